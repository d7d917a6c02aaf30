from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import event, insert

from calmcrown.diary import tables
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


def test_a_write_during_the_read_is_seen_whole_or_not_at_all(
    make_store: Callable[..., DiaryStore],
) -> None:
    """A day and its session committed together while the analysis reads: it sees both or
    neither, never a session without its day (PostgreSQL's default isolation would)."""
    store = make_store("alice")
    store.record_day(DayEntry(date=TODAY, intensity=3))
    written: list[bool] = []

    def write_between(conn: object, cursor: object, statement: str, *_: object) -> None:
        if written or "FROM days" not in statement:
            return
        written.append(True)
        with store.writing() as other:
            store.write_day(other, DayEntry(date=TODAY - dt.timedelta(days=1), intensity=5))
            session = SessionEntry(
                date=TODAY - dt.timedelta(days=1), routine="evening", seconds=600
            )
            other.execute(
                insert(tables.sessions).values(
                    profile_id=store.profile_id, created_at=NOW, updated_at=NOW,
                    **session.model_dump(),
                )
            )  # fmt: skip

    event.listen(store.engine, "after_cursor_execute", write_between)
    try:
        outcomes = read_outcomes(store)
    finally:
        event.remove(store.engine, "after_cursor_execute", write_between)
    assert written
    assert [d.date for d in outcomes.days] == [TODAY] and outcomes.sessions == []
    assert len(read_outcomes(store).sessions) == 1, "the next read sees the write"
