"""The practice plan as an iCalendar file: read back with icalendar, as a calendar app would."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from icalendar import Calendar, Event

from calmcrown.practice_calendar import (
    PRODID,
    PlanError,
    PracticePlan,
    practice_calendar,
    session_days,
    validate_plan,
)

MONDAY = datetime.date(2026, 3, 2)
THURSDAY = datetime.date(2026, 3, 5)
EVENING = datetime.time(20, 0)
MON_WED_FRI = PracticePlan(sessions_per_week=3, days=("mon", "wed", "fri"), time=EVENING)


def _plan(**changes: Any) -> PracticePlan:
    fields: dict[str, Any] = {
        "sessions_per_week": 3,
        "days": ("mon", "wed", "fri"),
        "time": EVENING,
        **changes,
    }
    return PracticePlan(**fields)


def _events(ical: bytes) -> list[Event]:
    return list(Calendar.from_ical(ical).events)


def _alarms(event: Event) -> list[Any]:
    return [component for component in event.subcomponents if component.name == "VALARM"]


def test_the_monday_fixture_is_a_monday() -> None:
    # Several tests below count weekdays from these dates.
    assert MONDAY.weekday() == 0
    assert THURSDAY.weekday() == 3


def test_the_calendar_names_its_product_and_version() -> None:
    calendar = Calendar.from_ical(practice_calendar(MON_WED_FRI, MONDAY))
    assert str(calendar["PRODID"]) == PRODID == "-//calmcrown//practice plan//EN"
    assert str(calendar["VERSION"]) == "2.0"


def test_three_sessions_a_week_for_four_weeks_are_twelve_events_on_the_plan_days() -> None:
    events = _events(practice_calendar(MON_WED_FRI, MONDAY, weeks=4))
    assert len(events) == 12
    starts = [event.start for event in events]
    assert Counter(start.weekday() for start in starts) == {0: 4, 2: 4, 4: 4}
    assert all(start.time() == EVENING for start in starts)
    assert starts == sorted(starts)


def test_sessions_start_at_a_floating_local_time() -> None:
    for event in _events(practice_calendar(MON_WED_FRI, MONDAY)):
        assert isinstance(event.start, datetime.datetime)
        assert event.start.tzinfo is None
        assert "TZID" not in event["DTSTART"].params
    assert b"DTSTART:20260302T200000\r\n" in practice_calendar(MON_WED_FRI, MONDAY)


@pytest.mark.parametrize("minutes", [5, 10, 45, 60])
def test_each_event_lasts_the_plan_minutes(minutes: int) -> None:
    events = _events(practice_calendar(_plan(minutes=minutes), MONDAY))
    assert {event.duration for event in events} == {datetime.timedelta(minutes=minutes)}
    assert all("DURATION" in event and "DTEND" not in event for event in events)


def test_summary_names_the_routine_and_length_and_description_puts_safety_first() -> None:
    plan = _plan(routine="dedicated", minutes=45)
    for event in _events(practice_calendar(plan, MONDAY)):
        assert str(event["SUMMARY"]) == "calmcrown massage: dedicated (45 min)"
        assert "safety check" in str(event["DESCRIPTION"])


@pytest.mark.parametrize(("reminder", "written"), [(15, "-PT15M"), (60, "-PT1H"), (90, "-PT1H30M")])
def test_a_display_alarm_fires_reminder_minutes_before_each_session(
    reminder: int, written: str
) -> None:
    for event in _events(practice_calendar(_plan(reminder_minutes=reminder), MONDAY)):
        [alarm] = _alarms(event)
        assert str(alarm["ACTION"]) == "DISPLAY"
        trigger = alarm.TRIGGER
        assert trigger == datetime.timedelta(minutes=-reminder)
        assert str(alarm["DESCRIPTION"])
    ical = practice_calendar(_plan(reminder_minutes=reminder), MONDAY)
    assert ical.count(f"TRIGGER:{written}\r\n".encode()) == 12


def test_no_alarm_when_reminder_minutes_is_zero() -> None:
    ical = practice_calendar(_plan(reminder_minutes=0), MONDAY)
    assert all(_alarms(event) == [] for event in _events(ical))
    assert b"VALARM" not in ical


def test_uids_are_unique_and_the_same_on_every_export() -> None:
    first = [str(event["UID"]) for event in _events(practice_calendar(MON_WED_FRI, MONDAY))]
    second = [str(event["UID"]) for event in _events(practice_calendar(MON_WED_FRI, MONDAY))]
    assert len(set(first)) == len(first) == 12
    assert first == second
    assert all(uid.endswith("@calmcrown.local") for uid in first)


def test_uid_domain_is_used() -> None:
    events = _events(practice_calendar(MON_WED_FRI, MONDAY, uid_domain="example.org"))
    assert all(str(event["UID"]).endswith("@example.org") for event in events)


def test_the_same_plan_gives_byte_identical_files() -> None:
    assert practice_calendar(MON_WED_FRI, MONDAY) == practice_calendar(MON_WED_FRI, MONDAY)


def test_dtstamp_is_midnight_utc_of_the_start_date() -> None:
    for event in _events(practice_calendar(MON_WED_FRI, THURSDAY)):
        stamp = event.DTSTAMP
        assert stamp == datetime.datetime(2026, 3, 5, tzinfo=datetime.UTC)


def test_a_mid_week_start_only_includes_dates_from_the_start_on() -> None:
    events = _events(practice_calendar(MON_WED_FRI, THURSDAY, weeks=4))
    dates = [event.start.date() for event in events]
    assert min(dates) == datetime.date(2026, 3, 6), "the Friday after the Thursday start"
    assert all(THURSDAY <= date < THURSDAY + datetime.timedelta(weeks=4) for date in dates)
    assert datetime.date(2026, 3, 2) not in dates and datetime.date(2026, 3, 4) not in dates
    assert len(dates) == 12, "four full weeks from the start, whatever weekday it is"


@pytest.mark.parametrize("offset", range(7))
def test_every_start_weekday_gives_weeks_times_sessions_events(offset: int) -> None:
    start = MONDAY + datetime.timedelta(days=offset)
    events = _events(practice_calendar(_plan(sessions_per_week=4, days=()), start, weeks=3))
    assert len(events) == 12
    assert all(
        start <= event.start.date() < start + datetime.timedelta(weeks=3) for event in events
    )


@pytest.mark.parametrize("weeks", [1, 52])
def test_weeks_sets_how_far_the_calendar_reaches(weeks: int) -> None:
    assert len(_events(practice_calendar(MON_WED_FRI, MONDAY, weeks=weeks))) == 3 * weeks


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        (1, ("mon",)),
        (2, ("mon", "thu")),
        (3, ("mon", "wed", "fri")),
        (4, ("mon", "tue", "thu", "sat")),
        (5, ("mon", "tue", "wed", "fri", "sat")),
        (6, ("mon", "tue", "wed", "thu", "fri", "sat")),
        (7, ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    ],
)
def test_sessions_without_preferred_days_are_spread_through_the_week(
    sessions: int, expected: tuple[str, ...]
) -> None:
    assert session_days(_plan(sessions_per_week=sessions, days=())) == expected


@pytest.mark.parametrize(
    ("sessions", "days", "expected"),
    [
        # Preferred days are kept and the rest spread around them.
        (3, ("sat",), ("mon", "wed", "sat")),
        (4, ("sun", "tue"), ("tue", "wed", "fri", "sun")),
        (2, ("wed",), ("wed", "sat")),
        # More preferred days than sessions: the first ones, in the order given.
        (2, ("fri", "mon", "wed"), ("mon", "fri")),
        (1, ("sun", "mon"), ("sun",)),
        # Exactly as many: all of them, sorted Monday to Sunday.
        (3, ("fri", "tue", "sun"), ("tue", "fri", "sun")),
    ],
)
def test_preferred_days_are_used_first(
    sessions: int, days: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert session_days(_plan(sessions_per_week=sessions, days=days)) == expected


def test_preferred_days_reach_the_calendar() -> None:
    plan = _plan(sessions_per_week=2, days=("tue", "sat"))
    weekdays = {event.start.weekday() for event in _events(practice_calendar(plan, MONDAY))}
    assert weekdays == {1, 5}


def test_above_seven_sessions_some_days_have_a_second_session_twelve_hours_away() -> None:
    plan = _plan(sessions_per_week=10, days=())
    assert session_days(plan) == (
        *("mon", "mon", "tue", "wed", "wed", "thu", "fri", "fri", "sat", "sun"),
    )
    events = _events(practice_calendar(plan, MONDAY, weeks=2))
    assert len(events) == 20
    monday = sorted(event.start for event in events if event.start.date() == MONDAY)
    assert [start.time() for start in monday] == [datetime.time(8, 0), EVENING]
    assert len({str(event["UID"]) for event in events}) == 20


def test_a_morning_time_puts_the_second_session_in_the_evening() -> None:
    plan = _plan(sessions_per_week=14, days=(), time=datetime.time(7, 30))
    events = _events(practice_calendar(plan, MONDAY, weeks=1))
    assert len(events) == 14
    assert {event.start.time() for event in events} == {
        datetime.time(7, 30),
        datetime.time(19, 30),
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sessions_per_week": 0}, "sessions_per_week"),
        ({"sessions_per_week": 15}, "sessions_per_week"),
        ({"sessions_per_week": True}, "sessions_per_week"),
        ({"minutes": 4}, "minutes"),
        ({"minutes": 61}, "minutes"),
        ({"days": ("mon", "wed", "mon")}, "days"),
        ({"days": ("mon", "monday")}, "days"),
        ({"days": "mon"}, "days"),
        ({"time": datetime.time(20, 0, tzinfo=datetime.UTC)}, "time"),
        ({"routine": "Evening routine"}, "routine"),
        ({"routine": ""}, "routine"),
        ({"reminder_minutes": -1}, "reminder_minutes"),
        ({"reminder_minutes": 1441}, "reminder_minutes"),
    ],
)
def test_an_unusable_plan_is_rejected_naming_the_field(changes: dict[str, Any], field: str) -> None:
    plan = _plan(**changes)
    for check in (validate_plan, session_days, lambda p: practice_calendar(p, MONDAY)):
        with pytest.raises(PlanError, match=rf"^{field}: "):
            check(plan)


def test_the_range_message_says_the_bounds_and_the_value() -> None:
    with pytest.raises(PlanError) as caught:
        validate_plan(_plan(sessions_per_week=0))
    assert str(caught.value) == "sessions_per_week: must be from 1 to 14, not 0"


def test_duplicate_and_unknown_days_are_named() -> None:
    with pytest.raises(PlanError, match="'wed' is listed twice"):
        validate_plan(_plan(days=("wed", "fri", "wed")))
    with pytest.raises(PlanError, match="unknown weekday 'funday'"):
        validate_plan(_plan(days=("funday",)))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"weeks": 0}, "weeks"),
        ({"weeks": 53}, "weeks"),
        ({"start": datetime.datetime(2026, 3, 2, 20, 0)}, "start"),
        ({"uid_domain": ""}, "uid_domain"),
        ({"uid_domain": "calm crown"}, "uid_domain"),
    ],
)
def test_an_unusable_calendar_request_is_rejected_naming_the_field(
    kwargs: dict[str, Any], field: str
) -> None:
    arguments: dict[str, Any] = {"start": MONDAY, **kwargs}
    with pytest.raises(PlanError, match=rf"^{field}: "):
        practice_calendar(MON_WED_FRI, **arguments)


def test_a_good_plan_validates() -> None:
    validate_plan(MON_WED_FRI)
    validate_plan(_plan(sessions_per_week=14, days=(), minutes=60, reminder_minutes=0))
