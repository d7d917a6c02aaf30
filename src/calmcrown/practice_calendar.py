"""Turn a practice plan (how often, which days, what time) into an iCalendar file.

The seed advice is to practise 3-4 times a week and give it a month; putting the sessions
in the person's own calendar, with a reminder, is the simplest way to make that happen.
The file is reproducible: the same plan and start date always give the same bytes, and
each session keeps its UID, so a calendar app that imports it again updates the events
instead of doubling them.

This module is part of the domain core: it imports only the standard library and
``icalendar``, and never reads a database, the network or the clock.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Literal, get_args

from icalendar import Alarm, Calendar, Event

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# Monday first, as in date.weekday(): WEEKDAYS[day.weekday()] names a date's weekday.
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)

MIN_SESSIONS = 1
MAX_SESSIONS = 2 * len(WEEKDAYS)  # at most a morning and an evening session every day
MIN_MINUTES = 5  # the same bounds as the planner, so every plan here can be guided
MAX_MINUTES = 60
MAX_REMINDER_MINUTES = 24 * 60  # a reminder the day before is the longest that helps
MIN_WEEKS = 1
MAX_WEEKS = 52

PRODID = "-//calmcrown//practice plan//EN"

# The same shape as the catalog's identifiers; repeated here so this module stays free
# of the catalog (and pydantic) and only needs the standard library and icalendar.
_ROUTINE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_DOMAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")

_DESCRIPTION = (
    "Time for your calmcrown practice. Open calmcrown first: its safety check comes "
    "before every session and may change the routine or tell you to skip it today."
)


_TRIAL_DESCRIPTION = (
    "Your trial asks for this routine in this period; another one would count as a deviation."
)


class PlanError(ValueError):
    """A plan or calendar request that cannot be used; the message starts with the field."""


@dataclass(frozen=True)
class PracticePlan:
    """When a person means to practise; see :func:`session_days` for how days are chosen."""

    sessions_per_week: int
    days: tuple[Weekday, ...]
    time: datetime.time
    minutes: int = 10
    routine: str = "evening"
    reminder_minutes: int = 15


@dataclass(frozen=True)
class CalendarPeriod:
    """Dates on which the calendar follows a trial's period instead of the plan's routine."""

    start: datetime.date
    end: datetime.date
    """The last date, inclusive."""
    routine: str | None
    """The routine its sessions name; None for a period with no session (no massage)."""
    label: str
    """What the period is, for the event's title: "feet period of your trial"."""

    def contains(self, date: datetime.date) -> bool:
        return self.start <= date <= self.end


def validate_plan(plan: PracticePlan) -> None:
    """Raise :class:`PlanError` naming the first field of ``plan`` that cannot be used.

    Accepted: ``sessions_per_week`` from 1 to 14; ``days`` a tuple of distinct weekday
    names (``"mon"`` .. ``"sun"``), possibly empty, possibly longer than
    ``sessions_per_week`` (only the first ones are used); ``time`` a local
    :class:`datetime.time` without a time zone; ``minutes`` from 5 to 60; ``routine`` an
    id such as ``"evening"``; ``reminder_minutes`` from 0 (no reminder) to 1440.
    """
    _check_whole("sessions_per_week", plan.sessions_per_week, MIN_SESSIONS, MAX_SESSIONS)
    _check_days(plan.days)
    if not isinstance(plan.time, datetime.time):
        raise PlanError(f"time: must be a datetime.time, not {plan.time!r}")
    if plan.time.tzinfo is not None:
        raise PlanError(
            "time: must be a local time without a time zone, so each calendar shows it "
            f"in its owner's zone, not {plan.time.isoformat()}"
        )
    _check_whole("minutes", plan.minutes, MIN_MINUTES, MAX_MINUTES)
    if not isinstance(plan.routine, str) or not _ROUTINE_ID.match(plan.routine):
        raise PlanError(
            "routine: must be a routine id such as 'evening' (lowercase letters, digits, "
            f"'-' or '_'), not {plan.routine!r}"
        )
    _check_whole("reminder_minutes", plan.reminder_minutes, 0, MAX_REMINDER_MINUTES)


def session_days(plan: PracticePlan) -> tuple[Weekday, ...]:
    """The weekdays the plan's sessions fall on, sorted Monday to Sunday.

    The rule:

    1. Preferred ``days`` come first, in the order given; if there are more of them than
       ``sessions_per_week``, only the first ``sessions_per_week`` are used.
    2. Any remaining sessions go on the other days, chosen so the week's sessions are
       spread as evenly as possible: of all the ways to add them, take the one with the
       smallest sum of ``1 / d**2`` over every pair of session days, where ``d`` is how
       many days apart the pair is around the week (Sunday and Monday are one day apart).
       Close pairs cost far more than distant ones, so sessions on neighbouring days are
       avoided first and the remaining gaps are then balanced. Ties go to the choice that
       comes first in Monday-to-Sunday order, which keeps the rule deterministic.
    3. Above seven sessions every day has one, and the extra ``sessions_per_week - 7``
       (second sessions of a day) are placed by rules 1 and 2; such a day appears twice.

    With no preferred days this gives, for 1 to 7 sessions: mon; mon thu; mon wed fri;
    mon tue thu sat; mon tue wed fri sat; mon to sat; every day.
    """
    validate_plan(plan)
    preferred = tuple(WEEKDAYS.index(day) for day in plan.days)
    count = plan.sessions_per_week
    once = min(count, len(WEEKDAYS))
    chosen = [*_spread(once, preferred), *_spread(count - once, preferred)]
    return tuple(WEEKDAYS[index] for index in sorted(chosen))


def practice_calendar(
    plan: PracticePlan,
    start: datetime.date,
    weeks: int = 4,
    uid_domain: str = "calmcrown.local",
    periods: Sequence[CalendarPeriod] = (),
) -> bytes:
    """An iCalendar file with one event per session from ``start`` for ``weeks`` weeks.

    On a date in one of ``periods`` (a personal trial's) the session names that period's
    routine, and a period without one (no massage) has no session at all: a reminder to
    massage would be a reminder to deviate from the trial.

    The period is the ``7 * weeks`` days beginning on ``start`` (whatever weekday that
    is), so it holds exactly ``sessions_per_week * weeks`` sessions and none before
    ``start``. Each event starts at the plan's time as a floating local time, lasts
    ``minutes``, and has a display reminder ``reminder_minutes`` before it (none for 0).
    A day with two sessions has its second one twelve hours from ``time``, on the same
    date (see :func:`_second_time`). Raises :class:`PlanError` naming the field.
    """
    validate_plan(plan)
    _check_whole("weeks", weeks, MIN_WEEKS, MAX_WEEKS)
    _check_periods(periods)
    if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date):
        raise PlanError(f"start: must be a date without a time, not {start!r}")
    if not isinstance(uid_domain, str) or not _DOMAIN.match(uid_domain):
        raise PlanError(
            f"uid_domain: must be a domain name such as 'calmcrown.local', not {uid_domain!r}"
        )

    calendar = Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    # DTSTAMP normally says when the file was written, but "now" would make every export
    # differ: the same plan could no longer be compared, tested or re-imported as the
    # same file. Midnight UTC of the start date is fixed by the request itself and still
    # falls on the day the plan begins, so it is reproducible without reading the clock.
    stamp = datetime.datetime.combine(start, datetime.time(0), tzinfo=datetime.UTC)
    # Separate events rather than one RRULE: every calendar app shows plain events the
    # same way, the file holds exactly `weeks` weeks, and several BYDAY values, a second
    # session on some days and an end date are where recurrence support differs most.
    for session_start in _session_starts(plan, start, weeks):
        period = next((p for p in periods if p.contains(session_start.date())), None)
        if period is not None and period.routine is None:
            continue
        calendar.add_component(_event(plan, session_start, stamp, uid_domain, period))
    # icalendar leaves to_ical() unannotated; name the type it returns at this boundary.
    ical: bytes = calendar.to_ical()
    return ical


def _event(
    plan: PracticePlan,
    session_start: datetime.datetime,
    stamp: datetime.datetime,
    uid_domain: str,
    period: CalendarPeriod | None = None,
) -> Event:
    routine = plan.routine if period is None or period.routine is None else period.routine
    summary = f"calmcrown massage: {routine} ({plan.minutes} min)"
    event = Event.new(
        # The UID depends only on when the session is, so the same session always keeps
        # the same UID, and two sessions on one day (twelve hours apart) never share one.
        uid=f"practice-{session_start:%Y%m%dT%H%M%S}@{uid_domain}",
        stamp=stamp,
        # A naive datetime is written without TZID: a floating time, which each calendar
        # places at that clock time in its owner's own zone, also when they travel.
        start=session_start,
        summary=summary if period is None else f"{summary}, {period.label}",
        description=_DESCRIPTION if period is None else f"{_TRIAL_DESCRIPTION} {_DESCRIPTION}",
    )
    event.duration = datetime.timedelta(minutes=plan.minutes)
    if plan.reminder_minutes > 0:
        event.add_component(
            Alarm.new_display(
                description=(
                    f"Massage practice in {plan.reminder_minutes} min. "
                    "Start with the safety check in calmcrown."
                ),
                trigger=datetime.timedelta(minutes=-plan.reminder_minutes),
            )
        )
    return event


def _session_starts(
    plan: PracticePlan, start: datetime.date, weeks: int
) -> list[datetime.datetime]:
    """Every session's local start in the ``7 * weeks`` days from ``start``, in order."""
    per_weekday: dict[Weekday, int] = {}
    for day in session_days(plan):
        per_weekday[day] = per_weekday.get(day, 0) + 1
    times = (plan.time, _second_time(plan.time))
    starts: list[datetime.datetime] = []
    for offset in range(7 * weeks):
        date = start + datetime.timedelta(days=offset)
        count = per_weekday.get(WEEKDAYS[date.weekday()], 0)
        starts.extend(datetime.datetime.combine(date, at) for at in times[:count])
    return sorted(starts)


def _second_time(first: datetime.time) -> datetime.time:
    """The start of a day's second session: twelve hours from the first, on the same date.

    Twelve hours is as far apart as two sessions can be in one day; going back from an
    afternoon or evening time and forward from a morning one keeps both on the same date.
    """
    hour = first.hour - 12 if first.hour >= 12 else first.hour + 12
    return first.replace(hour=hour)


def _spread(count: int, preferred: tuple[int, ...]) -> tuple[int, ...]:
    """``count`` distinct day indexes (0 = Monday): preferred first, the rest spread out.

    Rule 2 of :func:`session_days`. There are at most 35 ways to choose, so trying them
    all is cheaper and clearer than a cleverer search.
    """
    fixed = preferred[:count]
    free = [day for day in range(len(WEEKDAYS)) if day not in fixed]
    candidates = (
        tuple(sorted((*fixed, *extra))) for extra in combinations(free, count - len(fixed))
    )
    return min(candidates, key=lambda days: (_crowding(days), days))


def _crowding(days: Sequence[int]) -> Fraction:
    # Exact fractions, so equal spreads compare equal and the Monday-first tie-break holds.
    return sum(
        (Fraction(1, _days_apart(a, b) ** 2) for a, b in combinations(days, 2)),
        Fraction(0),
    )


def _days_apart(a: int, b: int) -> int:
    """Distance around the week: Sunday (6) and Monday (0) are one day apart."""
    forward = (a - b) % len(WEEKDAYS)
    return min(forward, len(WEEKDAYS) - forward)


def _check_whole(field: str, value: object, low: int, high: int) -> None:
    # bool is an int subclass; True as a number of sessions is a mistake, not a 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanError(f"{field}: must be a whole number from {low} to {high}, not {value!r}")
    if not low <= value <= high:
        raise PlanError(f"{field}: must be from {low} to {high}, not {value}")


def _check_periods(periods: Sequence[CalendarPeriod]) -> None:
    for i, period in enumerate(periods):
        if period.end < period.start:
            raise PlanError(f"periods[{i}]: ends on {period.end}, before its start {period.start}")
        if period.routine is not None and not _ROUTINE_ID.match(period.routine):
            raise PlanError(f"periods[{i}].routine: must be a routine id, not {period.routine!r}")


def _check_days(days: object) -> None:
    # A bare string would iterate as letters ("mon" -> "m", "o", "n"); say so plainly.
    if isinstance(days, str) or not isinstance(days, tuple | list):
        raise PlanError(f"days: must be a tuple of weekdays such as ('mon', 'thu'), not {days!r}")
    seen: set[str] = set()
    for day in days:
        if day not in WEEKDAYS:
            raise PlanError(f"days: unknown weekday {day!r}; use {', '.join(WEEKDAYS)}")
        if day in seen:
            raise PlanError(f"days: {day!r} is listed twice")
        seen.add(day)
