"""Trial diaries for the result tests: a headache every n-th day, by the period's arm."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np

from calmcrown.insight.trial.analysis import TrialDay, TrialSession
from calmcrown.insight.trial.design import TrialDesign

DAY = dt.timedelta(days=1)


def every_nth_day(trial: TrialDesign, headache_every: Mapping[str, int],
                  intensity: int = 6) -> list[TrialDay]:  # fmt: skip
    """A day for every date of the trial; a headache (with medication) every n-th day of
    a period, n by its arm."""
    days = []
    for period in trial.periods:
        for offset in range(period.days):
            headache = offset % headache_every[period.arm] == 0
            days.append(TrialDay(period.start + offset * DAY, headache,
                                 intensity if headache else None, headache))  # fmt: skip
    return days


def sessions_by_plan(trial: TrialDesign, every: int = 2) -> list[TrialSession]:
    """A session of the period's own arm every ``every`` days of its massage periods,
    pain rated before and after (it falls by 2 with head, by 1 with feet)."""
    fall = {"head": 2, "feet": 1}
    sessions = []
    for period in trial.periods:
        if period.arm == "none":
            continue
        for offset in range(0, period.days, every):
            before = 5 + offset % 3
            sessions.append(TrialSession(period.start + offset * DAY, period.arm, before,
                                         before - fall[period.arm] - offset % 2))  # fmt: skip
    return sessions


def clustered(trial: TrialDesign, seed: int, fewer: Mapping[str, float] | None = None,
              unrecorded: float = 0.05) -> list[TrialDay]:  # fmt: skip
    """A diary of headache days in runs (a chance of 0.6 after a headache day, 0.2 after
    a free day), ``fewer`` taking that share off an arm's chances, some days left out."""
    rng = np.random.Generator(np.random.PCG64(seed))
    days, yesterday = [], False
    for period in trial.periods:
        keep = 1 - (fewer or {}).get(period.arm, 0.0)
        for offset in range(period.days):
            chance = (0.6 if yesterday else 0.2) * keep
            yesterday = bool(rng.random() < chance)
            if rng.random() < unrecorded:
                continue
            intensity = int(rng.integers(3, 9)) if yesterday else None
            days.append(TrialDay(period.start + offset * DAY, yesterday, intensity,
                                 yesterday and rng.random() < 0.4))  # fmt: skip
    return days
