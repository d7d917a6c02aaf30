from __future__ import annotations

import datetime as dt

import pytest

from calmcrown.diary.records import DayEntry, SessionEntry
from calmcrown.insight.analysis import Analysis, analyze
from tests.insight.simulated import START

BEFORE = "HHH.H..HH.HH..H.HHH..HHH..H.HH.H.H.HHH.H..H.HH.H.HH.HH.."
AFTER = "H..............H.......H......H...........H............."
PRACTICE = START + dt.timedelta(days=len(BEFORE))


@pytest.fixture
def helped() -> Analysis:
    """Eight weeks before, eight since, with sessions rated before and after and a safety
    check that found a caution."""
    days = [
        DayEntry(date=START + dt.timedelta(days=i), intensity=6 if mark == "H" else 0,
                 medication="ibuprofen 400 mg" if mark == "H" and i % 2 else None)
        for i, mark in enumerate(BEFORE + AFTER)
    ]  # fmt: skip
    sessions = [
        SessionEntry(date=PRACTICE + dt.timedelta(days=d), routine="evening", seconds=600,
                     pain_before=6, pain_after=3 + d % 3, verdict="clear")
        for d in range(0, 56, 2)
    ]  # fmt: skip
    sessions.append(
        SessionEntry(date=PRACTICE + dt.timedelta(days=5), routine="feet", seconds=900,
                     pain_before=5, pain_after=4, verdict="adapt", reasons=["blood_thinners"])
    )  # fmt: skip
    end = PRACTICE + dt.timedelta(days=len(AFTER) - 1)
    return analyze(days, [], sessions, now=dt.datetime.combine(end, dt.time(22)), until=end,
                   target_per_week=3, routine_regions={"evening": "head and neck",
                                                       "feet": "feet"})  # fmt: skip
