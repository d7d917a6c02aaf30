"""The Diary's month calendar: each date's worst headache, medication and sessions, with
unknown dates never shown as days without headache."""

from __future__ import annotations

import datetime as dt

import pytest

from calmcrown.diary.month_calendar import CalendarDay, MonthCalendar, diary_view, month_calendar
from calmcrown.diary.records import DayEntry, HeadacheEntry, SessionEntry
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.summary import summarize
from tests.diary.conftest import TODAY

NOW = dt.datetime.combine(TODAY, dt.time(12))  # TODAY is Sunday 22 November 2026


def _on(calendar: MonthCalendar, day: int) -> CalendarDay:
    found = [d for week in calendar.weeks for d in week if d is not None and d.date.day == day]
    assert len(found) == 1
    return found[0]


def _day(store: DiaryStore, day: int, intensity: int, **fields: object) -> None:
    data = {"date": TODAY.replace(day=day), "intensity": intensity, **fields}
    store.record_day(store.validate(DayEntry, data))


def _headache(store: DiaryStore, start: str, **fields: object) -> None:
    store.add_headache(store.validate(HeadacheEntry, {"started_at": start, **fields}))


def test_weeks_start_on_monday_and_only_the_months_dates_are_shown(store: DiaryStore) -> None:
    calendar = month_calendar(store, TODAY, NOW)
    assert calendar.first == dt.date(2026, 11, 1)
    first_week, last_week = calendar.weeks[0], calendar.weeks[-1]
    # 1 November 2026 is a Sunday: six empty places before it, Monday first.
    assert first_week[:6] == [None] * 6 and first_week[6] is not None
    assert first_week[6].date == dt.date(2026, 11, 1)
    assert last_week[0] is not None and last_week[0].date == dt.date(2026, 11, 30)
    assert last_week[1:] == [None] * 6
    assert all(len(week) == 7 for week in calendar.weeks) and len(calendar.weeks) == 6


def test_an_unrecorded_date_is_unknown_not_a_day_without_headache(store: DiaryStore) -> None:
    _day(store, 2, 0)
    calendar = month_calendar(store, TODAY, NOW)
    recorded, unrecorded = _on(calendar, 2), _on(calendar, 3)
    assert (recorded.state, recorded.worst, recorded.grade) == ("none", 0, "none")
    assert (unrecorded.state, unrecorded.worst, unrecorded.grade) == ("unknown", None, "")
    assert _on(calendar, 23).state == "future" and _on(calendar, 22).state == "unknown"


def test_the_worst_of_a_day_is_its_own_or_its_episodes_highest(store: DiaryStore) -> None:
    _day(store, 5, 3)
    _headache(store, "2026-11-05T18:00", ended_at="2026-11-06T09:00", peak=8)
    _day(store, 7, 6)
    _headache(store, "2026-11-07T08:00", ended_at="2026-11-07T10:00", peak=2)
    calendar = month_calendar(store, TODAY, NOW)
    assert [(d.worst, d.grade) for d in (_on(calendar, 5), _on(calendar, 6))] == [
        (8, "severe"),
        (8, "severe"),
    ], "an episode over midnight makes both days headache days"
    assert (_on(calendar, 7).worst, _on(calendar, 7).grade) == (6, "moderate")


def test_a_headache_without_a_rating_is_a_headache_of_unknown_worst(store: DiaryStore) -> None:
    _day(store, 9, 0)  # recorded as none, but an episode covers the evening
    _headache(store, "2026-11-09T21:00", ended_at="2026-11-09T23:00")
    _headache(store, "2026-11-21T20:00")  # still going: it covers today too
    calendar = month_calendar(store, TODAY, NOW)
    for day in (9, 21, 22):
        assert (_on(calendar, day).state, _on(calendar, day).worst) == ("headache", None)
        assert _on(calendar, day).grade == "unrated"


def test_medication_and_session_days_are_marked(store: DiaryStore) -> None:
    _day(store, 10, 4, medication="ibuprofen 400 mg")
    _day(store, 11, 0, medication="  ")  # blank text is no medication
    _headache(store, "2026-11-12T23:00", ended_at="2026-11-13T06:00", medication="sumatriptan")
    for day, outcome in ((12, "completed"), (14, "stopped_by_screening")):
        session = {"date": TODAY.replace(day=day), "routine": "quick", "seconds": 300,
                   "outcome": outcome}  # fmt: skip
        store.add_session(store.validate(SessionEntry, session))
    calendar = month_calendar(store, TODAY, NOW)
    medicated = [d.date.day for w in calendar.weeks for d in w if d is not None and d.medication]
    assert medicated == [10, 12], "the episode counts on the day it started, as the store counts"
    sessions = [d.date.day for w in calendar.weeks for d in w if d is not None and d.session]
    assert sessions == [12], "a stop by the safety check is not a session given"


def test_the_months_around_it_are_offered_but_never_one_to_come(store: DiaryStore) -> None:
    this_month = month_calendar(store, TODAY, NOW)
    assert this_month.previous == dt.date(2026, 10, 1) and this_month.next is None
    january = month_calendar(store, dt.date(2026, 1, 15), NOW)
    assert (january.previous, january.next) == (dt.date(2025, 12, 1), dt.date(2026, 2, 1))
    assert month_calendar(store, dt.date(1900, 1, 31), NOW).previous is None


@pytest.mark.parametrize(
    ("since", "until", "month"),
    [
        (TODAY - dt.timedelta(days=27), TODAY, TODAY),  # the page as first opened
        (dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.date(2026, 10, 1)),  # a month's link
        (dt.date(2026, 10, 20), TODAY, TODAY),  # the range starts in the month before
        (dt.date(2026, 11, 1), dt.date(2026, 11, 10), TODAY),  # ends mid-month: two reads
        (dt.date(2026, 9, 1), dt.date(2026, 9, 30), TODAY),  # another month altogether
    ],
)
def test_the_diary_page_gets_what_separate_reads_give(
    store: DiaryStore, since: dt.date, until: dt.date, month: dt.date
) -> None:
    _day(store, 1, 4, medication="ibuprofen 400 mg")
    _day(store, 15, 0)
    store.record_day(store.validate(DayEntry, {"date": "2026-10-30", "intensity": 5}))
    _headache(store, "2026-10-31T22:00", ended_at="2026-11-01T00:00", peak=6)  # ends at midnight
    _headache(store, "2026-11-20T08:00", medication="paracetamol 1 g")
    for date in ("2026-10-05", "2026-11-10", "2026-11-21"):
        session = {"date": date, "routine": "quick", "seconds": 300}
        store.add_session(store.validate(SessionEntry, session))
    summary, calendar = diary_view(store, since, until, month, NOW)
    assert summary == summarize(store, since, until, NOW)
    assert calendar == month_calendar(store, month, NOW)


def test_each_day_reads_as_a_number_and_as_words(store: DiaryStore) -> None:
    _day(store, 3, 6, medication="ibuprofen 400 mg")
    _day(store, 4, 0)
    _headache(store, "2026-11-05T08:00", ended_at="2026-11-05T09:00")
    session = {"date": "2026-11-03", "routine": "quick", "seconds": 300}
    store.add_session(store.validate(SessionEntry, session))
    calendar = month_calendar(store, TODAY, NOW)
    shown = {day: (_on(calendar, day).shown, _on(calendar, day).marks) for day in (3, 4, 5, 6, 30)}
    assert shown == {3: ("6", "M S"), 4: ("0", ""), 5: ("?", ""), 6: ("\u2013", ""), 30: ("", "")}
    assert _on(calendar, 3).words == (
        "3 November: headache, worst 6 (moderate), medication, a massage session."
    )
    assert _on(calendar, 4).words == "4 November: no headache."
    assert _on(calendar, 5).words == "5 November: headache, worst not recorded."
    assert _on(calendar, 6).words == "6 November: not recorded."
    assert _on(calendar, 30).words == "30 November: still to come."
