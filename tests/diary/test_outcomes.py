from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from calmcrown.diary.outcomes import read_outcomes
from calmcrown.diary.records import DayEntry, HeadacheEntry, SessionEntry
from calmcrown.diary.store import DiaryStore
from calmcrown.insight.analysis import analyze
from tests.diary.conftest import TODAY

NOW = dt.datetime.combine(TODAY, dt.time(20))


def _fill(store: DiaryStore) -> None:
    for offset in range(70):
        date = TODAY - dt.timedelta(days=offset)
        medication = "ibuprofen" if offset % 6 == 0 else None
        store.record_day(DayEntry(date=date, intensity=(offset * 7) % 5, medication=medication))
        if offset < 30 and offset % 2 == 0:
            store.add_session(
                SessionEntry(date=date, routine="evening", seconds=600, planned_after_s=90,
                             actual_after_s=90 if offset % 4 else 0, pain_before=5,
                             pain_after=offset % 5, verdict="adapt", reasons=["blood_thinners"])
            )  # fmt: skip
    store.add_headache(HeadacheEntry(started_at=NOW - dt.timedelta(days=40, hours=3), peak=7))


def test_the_rows_read_for_the_analysis_are_the_diary_entries(
    make_store: Callable[..., DiaryStore],
) -> None:
    alice = make_store("alice")
    _fill(alice)
    alice.delete(alice.days(TODAY, TODAY)[0].id)
    _fill(make_store("bob"))  # in the same database: never read for alice
    outcomes = read_outcomes(alice)
    days = [r.entry for r in alice.days()]
    sessions = [r.entry for r in alice.sessions()]
    assert [(d.date, d.intensity, d.medication) for d in days] == [tuple(d) for d in outcomes.days]
    assert len(outcomes.sessions) == len(sessions) == 15
    for row, entry in zip(outcomes.sessions, sessions, strict=True):
        assert row._asdict() == {name: getattr(entry, name) for name in row._fields}
    assert outcomes.headaches == [r.entry for r in alice.headaches()]
    # The analysis gives the same answer from either shape.
    assert analyze(outcomes.days, outcomes.headaches, outcomes.sessions, now=NOW).to_dict() == (
        analyze(days, outcomes.headaches, sessions, now=NOW).to_dict()
    )
