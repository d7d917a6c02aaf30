"""Trial diaries for the result tests: a headache every n-th day, by the period's arm."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

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
