"""The diary's reading queries, built once with bound parameters: SQLAlchemy then reuses
their compiled form, which halves the time of a query the pages run on every visit. And
the date arithmetic they are given, which stops at the ends of the calendar instead of
overflowing, so that any date the API accepts gives an answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    ScalarSelect,
    Select,
    Table,
    bindparam,
    func,
    or_,
    select,
)

from calmcrown.diary import tables
from calmcrown.diary.records import (
    TEXT_WHITESPACE,
    DayEntry,
    Entry,
    HeadacheEntry,
    SessionEntry,
)

ONE_DAY = dt.timedelta(days=1)


def start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def day_after(day: dt.date) -> dt.datetime:
    """The first moment after ``day``, or the last there is after 9999-12-31 began."""
    try:
        return start_of(day) + ONE_DAY
    except OverflowError:
        return dt.datetime.max


def days_before(day: dt.date, count: int) -> dt.date:
    try:
        return day - dt.timedelta(days=count)
    except OverflowError:
        return dt.date.min


def date_range(since: dt.date | None, until: dt.date | None) -> dict[str, dt.date]:
    return {"since": since or dt.date.min, "until": until or dt.date.max}


def live(table: Table, model: type[Entry]) -> Select[Any]:
    """A profile's records not deleted, with just the columns the entry needs (the
    timestamps are never parsed for nothing); the owner is bound when the query runs."""
    return live_columns(table, ("id", *model.model_fields))


def live_columns(table: Table, names: Iterable[str]) -> Select[Any]:
    """A profile's records not deleted, with the columns named."""
    return select(*(table.c[name] for name in names)).where(
        table.c.profile_id == bindparam("owner"), table.c.deleted_at.is_(None)
    )


DAYS_BETWEEN = (
    live(tables.days, DayEntry)
    .where(tables.days.c.date.between(bindparam("since"), bindparam("until")))
    .order_by(tables.days.c.date, tables.days.c.id)
)
SESSIONS_BETWEEN = (
    live(tables.sessions, SessionEntry)
    .where(tables.sessions.c.date.between(bindparam("since"), bindparam("until")))
    .order_by(tables.sessions.c.date, tables.sessions.c.id)
)
HEADACHES_OVERLAPPING = (
    live(tables.headaches, HeadacheEntry)
    .where(
        tables.headaches.c.started_at < bindparam("starts_before"),
        or_(
            tables.headaches.c.ended_at.is_(None),
            tables.headaches.c.ended_at >= bindparam("ends_from"),
        ),
    )
    .order_by(tables.headaches.c.started_at, tables.headaches.c.id)
)


def trial_period_on(owner: int, date: dt.date | ColumnElement[Any]) -> ScalarSelect[Any]:
    """The id of the profile's trial period holding ``date`` (a value, or a column for a
    correlated update), NULL outside every trial. Trials never overlap, and an early end
    cuts its periods at that date, so at most one period holds a date."""
    periods, trials = tables.trial_periods, tables.trials
    return (
        select(periods.c.id)
        .join(trials, trials.c.id == periods.c.trial_id)
        .where(
            trials.c.profile_id == owner,
            periods.c.start_date <= date,
            periods.c.end_date >= date,
        )
        .limit(1)
        .scalar_subquery()
    )


def medication_given(column: Column[str]) -> ColumnElement[bool]:
    """``medication_overuse.took_medication`` asked of the database: text left once the
    same whitespace is trimmed from its ends. SQLite's trim(X, Y) and PostgreSQL's
    trim(string, characters) both take off any of Y's characters; a bare trim() took
    off spaces only, so a lone tab from an older diary counted here and nowhere else."""
    return func.trim(column, TEXT_WHITESPACE) != ""


MEDICATED_DATES = select(tables.days.c.date).where(
    tables.days.c.profile_id == bindparam("owner"),
    tables.days.c.deleted_at.is_(None),
    tables.days.c.date.between(bindparam("since"), bindparam("until")),
    medication_given(tables.days.c.medication),
)
MEDICATED_EPISODE_STARTS = select(tables.headaches.c.started_at).where(
    tables.headaches.c.profile_id == bindparam("owner"),
    tables.headaches.c.deleted_at.is_(None),
    tables.headaches.c.started_at >= bindparam("starts_from"),
    tables.headaches.c.started_at < bindparam("starts_before"),
    medication_given(tables.headaches.c.medication),
)
# The latest session that went through the safety check: its answers are the ones given
# last time. A session without a time counts as at midnight, before any timed one.
LATEST_CHECKED = (
    live(tables.sessions, SessionEntry)
    .where(
        tables.sessions.c.verdict.is_not(None),
        tables.sessions.c.date >= bindparam("since"),
    )
    .order_by(
        tables.sessions.c.date.desc(),
        tables.sessions.c.time.is_(None),
        tables.sessions.c.time.desc(),
        tables.sessions.c.id.desc(),
    )
    .limit(1)
)
