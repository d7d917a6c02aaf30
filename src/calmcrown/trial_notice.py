"""What a session face says of a running trial, read from the diary: Today's period line
and the deviation notice before and after a session. Both the web pages and the terminal
guide say it, in the words of insight/trial/living.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from calmcrown.catalog import Catalog
from calmcrown.diary.records import SessionEntry
from calmcrown.diary.store import DiaryStore, Recorded
from calmcrown.diary.trials import all_trials, latest_trial
from calmcrown.insight.trial.arms import arm_of_routines
from calmcrown.insight.trial.living import (
    TrialToday,
    deviation_record,
    deviation_warning,
    is_deviation,
    trial_today,
)

STOPPED_BY_SCREENING = "stopped_by_screening"


@dataclass(frozen=True)
class SessionNotice:
    """What is said of a session that deviates from the trial's period."""

    before: str
    """Said before it starts, on the check, the player and in the terminal guide."""
    after: str
    """Said once it is recorded."""


def stored_trial_today(store: DiaryStore, on: dt.date | None = None) -> TrialToday | None:
    """Where today falls in the diary's latest trial; None without one."""
    return trial_today(latest_trial(store), on or store.today())


def session_notice(store: DiaryStore, catalog: Catalog, routine: str,
                   on: dt.date | None = None) -> SessionNotice | None:  # fmt: skip
    """The deviation notice for a session of ``routine`` today; None when it fits the
    trial's period or no trial period runs today."""
    now = stored_trial_today(store, on)
    if now is None or now.period is None:
        return None
    arm = arm_of_routines(catalog).get(routine)
    before, after = deviation_warning(now.period, arm), deviation_record(now.period, arm)
    return None if before is None or after is None else SessionNotice(before, after)


def deviating_sessions(
    store: DiaryStore, catalog: Catalog, sessions: Iterable[Recorded[SessionEntry]]
) -> set[str]:
    """The ids of ``sessions`` that deviate from a trial's period, as its analysis counts
    them (a stop by the safety check is a stop, not a deviation)."""
    trials = all_trials(store)
    if not trials:
        return set()
    arm_of = arm_of_routines(catalog)
    found = set()
    for session in sessions:
        if session.entry.outcome == STOPPED_BY_SCREENING:
            continue
        period = next((p for t in trials if (p := t.period_on(session.entry.date))), None)
        if is_deviation(period, arm_of.get(session.entry.routine)):
            found.add(session.id)
    return found
