"""The diary as the analysis reads it: every day and session, with only the columns the
analysis uses, as plain rows.

Building ten years of days and sessions as validated entries (the shape the pages and
the API need) took about three times as long as the analysis itself; these rows were
checked on the way in and by the tables' constraints, and are read as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, Table

from calmcrown.diary import queries, tables
from calmcrown.diary.engine import read_connection
from calmcrown.diary.records import HeadacheEntry
from calmcrown.diary.store import DiaryStore, entry_from_row


class DayOutcome(NamedTuple):
    date: dt.date
    intensity: int
    medication: str | None


class SessionOutcome(NamedTuple):
    date: dt.date
    routine: str
    seconds: int
    planned_after_s: int | None
    actual_after_s: int | None
    pain_before: int | None
    pain_after: int | None
    outcome: str
    verdict: str | None
    reasons: Sequence[str]
    doctor_checks: Sequence[str]


@dataclass(frozen=True)
class Outcomes:
    days: list[DayOutcome]
    headaches: list[HeadacheEntry]
    sessions: list[SessionOutcome]


def _all_of(table: Table, columns: tuple[str, ...]) -> Select[Any]:
    return queries.live_columns(table, columns).order_by(table.c.date, table.c.id)


_DAYS = _all_of(tables.days, DayOutcome._fields)
_SESSIONS = _all_of(tables.sessions, SessionOutcome._fields)
_EVERY_EPISODE = {"starts_before": dt.datetime.max, "ends_from": dt.datetime.min}


def read_outcomes(store: DiaryStore) -> Outcomes:
    """Every day, headache episode and session of the store's profile, read in one
    transaction so that they agree with each other."""
    owner = {"owner": store.profile_id}
    with read_connection(store.engine) as conn:
        days = conn.execute(_DAYS, owner).all()
        sessions = conn.execute(_SESSIONS, owner).all()
        episodes = (
            conn.execute(queries.HEADACHES_OVERLAPPING, owner | _EVERY_EPISODE).mappings().all()
        )
    return Outcomes(
        days=[DayOutcome._make(row) for row in days],
        headaches=[entry_from_row(HeadacheEntry, row) for row in episodes],
        sessions=[SessionOutcome._make(row) for row in sessions],
    )
