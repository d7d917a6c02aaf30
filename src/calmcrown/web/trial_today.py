"""What the web pages say of a running trial: Today's line and the routines it offers,
and the deviation notice on the safety check and the player. The rules are the core's
(insight/trial/living.py); this module only reads the stored trial for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from calmcrown.catalog import Audience, Catalog, Routine
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.trials import latest_trial
from calmcrown.insight.trial.arms import arm_of_routines
from calmcrown.insight.trial.living import (
    NO_MASSAGE_PERIOD,
    Stage,
    TrialToday,
    deviation_record,
    deviation_warning,
    offered_routines,
    others_warning,
    trial_today,
)
from calmcrown.planner import fitting_routines


@dataclass(frozen=True)
class TodayTrial:
    """Today's view of the trial: its line, and what the session section offers."""

    now: TrialToday
    routines: list[Routine]
    """The routines the period offers, for who gives the massage when any suits them."""
    lengths: list[tuple[int, Routine]]
    deviating: list[Routine] = field(default_factory=list)
    """The rest: allowed, and each a deviation."""
    deviation_hint: str | None = None
    someone_else_gives: bool = False
    """None of the period's routines is for who gives the massage: others' are offered."""

    @property
    def results_link(self) -> bool:
        return self.now.stage is Stage.AFTER

    @property
    def no_massage_words(self) -> str | None:
        return NO_MASSAGE_PERIOD if self.now.no_massage else None


def today_trial(
    store: DiaryStore,
    catalog: Catalog,
    audiences: frozenset[Audience],
    candidates: tuple[int, ...],
) -> TodayTrial | None:
    """Today's trial as Today shows it; None without a trial or when its period offers
    what Today offers anyway (before it starts, after it ends)."""
    now = trial_today(latest_trial(store), store.today())
    if now is None:
        return None
    if now.period is None:
        return TodayTrial(now, [], [])
    arm_of = arm_of_routines(catalog)
    suiting = [r for r in catalog.routines if catalog.routines[r].audience in audiences]
    offered, others = offered_routines(suiting, arm_of, now.period)
    someone_else = False
    if not offered and not now.no_massage:
        # The feet arm's one routine is a partner's: someone massaging themselves is
        # still offered it, and told who it is for, rather than an empty period.
        offered, _ = offered_routines(list(catalog.routines), arm_of, now.period)
        someone_else = bool(offered)
    lengths = []
    for minutes in candidates:
        fits = [r for r in fitting_routines(catalog, minutes) if r in offered]
        if fits:
            lengths.append((minutes, catalog.routines[fits[0]]))
    return TodayTrial(
        now,
        routines=[catalog.routines[r] for r in offered],
        lengths=lengths,
        deviating=[catalog.routines[r] for r in others],
        deviation_hint=others_warning(now.period),
        someone_else_gives=someone_else,
    )


@dataclass(frozen=True)
class SessionNotice:
    """What the check and the player say of a session that would deviate."""

    before: str
    after: str


def session_notice(store: DiaryStore, catalog: Catalog, routine: str,
                   on: dt.date | None = None) -> SessionNotice | None:  # fmt: skip
    """The deviation notice for a session of ``routine`` today; None when it fits the
    trial's period or no trial is running."""
    now = trial_today(latest_trial(store), on or store.today())
    if now is None or now.period is None:
        return None
    arm = arm_of_routines(catalog).get(routine)
    before, after = deviation_warning(now.period, arm), deviation_record(now.period, arm)
    return None if before is None or after is None else SessionNotice(before, after)
