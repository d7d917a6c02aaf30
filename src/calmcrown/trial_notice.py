"""What a session face says of a running trial, read from the diary: Today's period line
and the deviation notice before and after a session. Both the web pages and the terminal
guide say it, in the words of insight/trial/living.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calmcrown.catalog import Catalog
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.trials import latest_trial
from calmcrown.insight.trial.arms import arm_of_routines
from calmcrown.insight.trial.living import (
    TrialToday,
    deviation_record,
    deviation_warning,
    trial_today,
)


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
