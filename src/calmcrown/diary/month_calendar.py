"""A month of the diary as a calendar: each date's worst headache, medication and sessions.

Dates are counted the way the Diary's summary counts them (``summary.py``): a date with
a recorded intensity above 0 or covered by an episode is a headache day, and a date with
neither a day record nor an episode is unknown, never a day without headache. Medication
days follow the store's one rule (``Snapshot.medication_dates``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from calmcrown.diary.records import EARLIEST_DATE, episode_dates
from calmcrown.diary.store import DiaryStore, Snapshot
from calmcrown.diary.summary import DiarySummary, summarize, summary_of
from calmcrown.headache_kind import MILD_MAX, MODERATE_MAX

State = Literal["unknown", "none", "headache", "future"]
Grade = Literal["none", "mild", "moderate", "severe", "unrated", ""]


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    state: State
    worst: int | None
    """The day's worst intensity, 0-10; None when unknown or a headache was not rated."""
    medication: bool
    session: bool

    @property
    def grade(self) -> Grade:
        """The band of the worst intensity, with the tag's own mapping of 1-10 onto
        mild, moderate and severe (``headache_kind``)."""
        if self.state == "none":
            return "none"
        if self.state != "headache":
            return ""
        if self.worst is None:
            return "unrated"
        if self.worst <= MILD_MAX:
            return "mild"
        return "moderate" if self.worst <= MODERATE_MAX else "severe"

    @property
    def shown(self) -> str:
        """What the day's place shows: its worst as a number, "?" for a headache whose
        worst was not recorded, a dash for a date with nothing recorded."""
        if self.state == "headache":
            return "?" if self.worst is None else str(self.worst)
        return {"none": "0", "unknown": "\u2013", "future": ""}[self.state]

    @property
    def words(self) -> str:
        """The day in words, for a screen reader: "3 November: headache, worst 6
        (moderate), medication, a massage session." """
        if self.state == "headache":
            what = "headache, worst not recorded"
            if self.worst is not None:
                what = f"headache, worst {self.worst} ({self.grade})"
        else:
            what = {"none": "no headache", "unknown": "not recorded", "future": "still to come"}[
                self.state
            ]
        marks = ", medication" * self.medication + ", a massage session" * self.session
        return f"{self.date:%-d %B}: {what}{marks}."

    @property
    def marks(self) -> str:
        """M for a medication day, S for a session day (the calendar's legend says so)."""
        return " ".join(mark for mark, on in (("M", self.medication), ("S", self.session)) if on)


@dataclass(frozen=True)
class MonthCalendar:
    first: dt.date
    """The first day of the month."""
    weeks: list[list[CalendarDay | None]]
    """Monday first; None for the places before the 1st and after the last day."""
    previous: dt.date | None
    """The first of the month before, or None before the diary's earliest date."""
    next: dt.date | None
    """The first of the month after, or None when it has not begun yet."""
    today: dt.date


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of the month that ``month`` falls in."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def month_calendar(store: DiaryStore, month: dt.date, now: dt.datetime) -> MonthCalendar:
    """The calendar of the month ``month`` falls in, read in one transaction."""
    first, last = month_bounds(month)
    return build_month(first, store.snapshot(first, last, dated=True), now)


def diary_view(
    store: DiaryStore, since: dt.date, until: dt.date, month: dt.date, now: dt.datetime
) -> tuple[DiarySummary, MonthCalendar]:
    """The Diary page's summary of the dates and its calendar of ``month``.

    Mostly the month holds the range's last date and nothing after it has happened (the
    range ends today, or with the month): then one read serves both, as the page is
    asked for on every visit. A date after ``until`` that already holds a record (up to
    a day ahead is allowed, for time zones) shows once it is today.
    """
    first, last = month_bounds(month)
    today = store.today()
    if first <= until <= last and until in (today, last):
        snapshot = store.snapshot(min(since, first), until, dated=True)
        return summary_of(snapshot, since, until, now, today), build_month(first, snapshot, now)
    return summarize(store, since, until, now), month_calendar(store, month, now)


def build_month(month: dt.date, snapshot: Snapshot, now: dt.datetime) -> MonthCalendar:
    """The calendar of ``month`` from a snapshot of its dates; an episode still going
    covers the dates up to ``now``."""
    if snapshot.medication_dates is None:
        raise ValueError("the snapshot was read without its medication dates (dated=True)")
    medicated = snapshot.medication_dates
    first, last = month_bounds(month)
    today = now.date()
    worst: dict[dt.date, int] = {}
    headache: set[dt.date] = set()
    for recorded in snapshot.days:
        worst[recorded.entry.date] = recorded.entry.intensity
        if recorded.entry.intensity > 0:
            headache.add(recorded.entry.date)
    for episode in snapshot.headaches:
        for date in episode_dates(episode.entry, now, first, last):
            headache.add(date)
            peak = episode.entry.peak
            if peak is not None:
                worst[date] = max(worst.get(date, 0), peak)
            else:
                worst.setdefault(date, 0)
    sessions = {
        s.entry.date for s in snapshot.sessions if s.entry.outcome != "stopped_by_screening"
    }

    def day(date: dt.date) -> CalendarDay:
        state: State
        value = worst.get(date)
        if date in headache:
            state, value = "headache", value or None
        elif value is not None:
            state = "none"
        else:
            state = "future" if date > today else "unknown"
        return CalendarDay(date, state, value, date in medicated, date in sessions)

    weeks: list[list[CalendarDay | None]] = []
    start = first - dt.timedelta(days=first.weekday())
    while start <= last:
        week = [start + dt.timedelta(days=offset) for offset in range(7)]
        weeks.append([day(date) if first <= date <= last else None for date in week])
        start += dt.timedelta(days=7)
    previous = (first - dt.timedelta(days=1)).replace(day=1) if first > EARLIEST_DATE else None
    following = last + dt.timedelta(days=1)
    return MonthCalendar(
        first=first,
        weeks=weeks,
        previous=previous,
        next=following if following <= today else None,
        today=today,
    )
