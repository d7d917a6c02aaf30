"""A medication day means the same on Today's overuse warning and in Insights, on SQLite
and PostgreSQL, for text written now and for text an older calmcrown stored as given."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

from calmcrown.catalog import load_catalog
from calmcrown.diary import tables
from calmcrown.diary.medication_overuse import took_medication
from calmcrown.diary.records import TEXT_WHITESPACE
from calmcrown.diary.store import DiaryStore
from calmcrown.insight_source import analyze_diary
from tests.diary.conftest import TODAY

STAMP = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _stored_as_given(store: DiaryStore, medication: dict[dt.date, str]) -> None:
    """Days written straight into the table, as a diary kept before text was
    normalised holds them: the rules of today's entries never saw them."""
    rows = [
        {"profile_id": store.profile_id, "date": day, "intensity": 4, "medication": text,
         "created_at": STAMP, "updated_at": STAMP}
        for day, text in medication.items()
    ]  # fmt: skip
    with store.engine.begin() as conn:
        conn.execute(insert(tables.days), rows)


def _episodes_stored_as_given(store: DiaryStore, medication: dict[dt.date, str]) -> None:
    rows = [
        {"profile_id": store.profile_id, "started_at": dt.datetime.combine(day, dt.time(8)),
         "ended_at": dt.datetime.combine(day, dt.time(12)), "location": [], "triggers": [],
         "medication": text, "created_at": STAMP, "updated_at": STAMP}
        for day, text in medication.items()
    ]  # fmt: skip
    with store.engine.begin() as conn:
        conn.execute(insert(tables.headaches), rows)


def _last_days(count: int) -> list[dt.date]:
    return [TODAY - dt.timedelta(days=back) for back in range(count)]


def _insights_medication_days(store: DiaryStore) -> int:
    result = analyze_diary(store, load_catalog(), now=dt.datetime.combine(TODAY, dt.time(22)))
    return result.baseline.medication_days + result.practice.medication_days


def test_twelve_days_of_a_tab_are_no_medication_on_today_and_in_insights(
    store: DiaryStore,
) -> None:
    _stored_as_given(store, dict.fromkeys(_last_days(12), "\t"))
    assert store.snapshot(TODAY, TODAY).medication_days == 0, "what Today warns from"
    assert store.medication_warning() is None
    assert _insights_medication_days(store) == 0


def test_a_medicine_followed_by_a_tab_counts_on_today_and_in_insights(store: DiaryStore) -> None:
    _stored_as_given(store, dict.fromkeys(_last_days(12), "ibuprofen\t"))
    assert store.snapshot(TODAY, TODAY).medication_days == 12
    warning = store.medication_warning()
    assert warning is not None and "12 of the last 30 days" in warning
    assert _insights_medication_days(store) == 12


def test_a_tab_written_now_is_kept_as_not_recorded(store: DiaryStore) -> None:
    for day in _last_days(12):
        store.log_day(day, {"intensity": 4, "medication": "\t"})
    assert [d.entry.medication for d in store.days()] == [None] * 12
    assert store.medication_days() == 0 and _insights_medication_days(store) == 0
    store.log_day(TODAY, {"intensity": 4, "medication": " ibuprofen 400 mg\t"})
    assert store.days(TODAY, TODAY)[0].entry.medication == "ibuprofen 400 mg"
    assert store.medication_days() == 1 and _insights_medication_days(store) == 1


@pytest.mark.parametrize("where", ["day", "episode"])
def test_the_database_and_python_judge_every_whitespace_alike(
    store: DiaryStore, where: str
) -> None:
    """Each character Python's strip() takes off, alone, doubled and after a name; and a
    zero-width space, which is not whitespace, so both count it."""
    texts = list(TEXT_WHITESPACE) + [c * 2 for c in TEXT_WHITESPACE]
    texts += [f"ibuprofen{c}" for c in TEXT_WHITESPACE] + ["\u200b", " \t\n", "x"]
    first = TODAY - dt.timedelta(days=len(texts) - 1)
    given = {first + dt.timedelta(days=n): text for n, text in enumerate(texts)}
    (_stored_as_given if where == "day" else _episodes_stored_as_given)(store, given)
    by_python = {day for day, text in given.items() if took_medication(text)}
    assert len(by_python) == len(TEXT_WHITESPACE) + 2
    assert store.snapshot(first, TODAY, dated=True).medication_dates == by_python
    assert _insights_medication_days(store) == len(by_python)


@pytest.mark.parametrize(
    ("text", "taken"),
    [(None, False), ("", False), ("\t", False), ("\xa0\r\n", False), ("ibuprofen\t", True),
     ("\u200b", True), ("x", True)],
)  # fmt: skip
def test_took_medication_is_any_text_left_once_whitespace_is_taken_off(
    text: str | None, taken: bool
) -> None:
    assert took_medication(text) is taken
