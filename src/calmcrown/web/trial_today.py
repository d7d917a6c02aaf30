"""What Today says of a trial: its line and the routines its period offers. The rules
are the core's (insight/trial/living.py); the deviation notice the check and the player
show is calmcrown.trial_notice's, which the terminal guide shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from calmcrown.catalog import Audience, Catalog, Routine
from calmcrown.diary.store import DiaryStore
from calmcrown.insight.trial.arms import arm_of_routines
from calmcrown.insight.trial.living import (
    NO_MASSAGE_PERIOD,
    Stage,
    TrialToday,
    offered_routines,
    others_warning,
)
from calmcrown.planner import fitting_routines
from calmcrown.trial_notice import stored_trial_today


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
    now = stored_trial_today(store)
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
