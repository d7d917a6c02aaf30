"""The diary store: the one place that reads and writes the diary's records.

Every public method is one transaction, and every query is filtered by the store's
profile, so no caller can read or change another profile's records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Select,
    Table,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from calmcrown.diary import queries, tables
from calmcrown.diary.engine import read_connection
from calmcrown.diary.medication_overuse import MEDICATION_WINDOW_DAYS, medication_warning_text
from calmcrown.diary.records import (
    DayEntry,
    Entry,
    EntryError,
    HeadacheEntry,
    SessionEntry,
    check_edited_length,
    validate_entry,
)
from calmcrown.diary.stored_entries import entry_from_row as entry_from_row  # re-exported

E = TypeVar("E", bound=Entry)

# Record ids are a letter for the kind and the row number: d12, h3, s7.
KINDS: dict[str, tuple[Table, type[Entry]]] = {
    "d": (tables.days, DayEntry),
    "h": (tables.headaches, HeadacheEntry),
    "s": (tables.sessions, SessionEntry),
}
KIND_NAMES = {"d": "day", "h": "headache", "s": "session"}


@dataclass(frozen=True)
class Recorded(Generic[E]):
    """An entry as stored, with its id; ``created`` is False when an entry was updated."""

    id: str
    entry: E
    created: bool = True

    @property
    def kind(self) -> str:
        return KIND_NAMES[self.id[0]]


@dataclass(frozen=True)
class Snapshot:
    """What the diary holds for some dates, read at one moment."""

    days: list[Recorded[DayEntry]]
    headaches: list[Recorded[HeadacheEntry]]
    sessions: list[Recorded[SessionEntry]]
    medication_days: int
    """Medication days in the 30 days up to the last date."""
    medication_dates: frozenset[dt.date] | None = None
    """The dates with acute medication, by the same rule; None unless asked for."""


_RECORD_ID = re.compile(r"([dhs])([0-9]{1,15})", re.ASCII)


class NotDeleted(EntryError):
    """A record asked to be brought back is in the diary already (an Undo tapped twice)."""


def parse_record_id(record_id: str) -> tuple[str, int]:
    match = _RECORD_ID.fullmatch(record_id)
    if match is None:
        raise LookupError(f"{record_id!r} is not a record id like d12, h3 or s7")
    return match[1], int(match[2])


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class DiaryStore:
    def __init__(
        self,
        engine: Engine,
        profile: str = "default",
        *,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = _utc_now,
        routines: frozenset[str] | None = None,
    ) -> None:
        self.engine = engine
        self.profile = profile
        self._today = today
        self._now = now
        self._routines = routines
        self._profile_id = self._ensure_profile()

    # -- writing ---------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction, with this profile's writers taking turns.

        SQLite's BEGIN IMMEDIATE already makes a second writer wait. PostgreSQL lets two
        transactions read the same row and both write, so there a transaction-scoped
        advisory lock on the profile gives the same read-then-write safety: two people
        logging the same day at once both keep their fields.
        """
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": self._profile_id})
            yield conn

    def validate(
        self, model: type[E], data: Mapping[str, Any], *, long_confirmed: bool = False
    ) -> E:
        """``data`` checked by the diary's rules, with this store's idea of today."""
        return validate_entry(
            model, data, today=self._today(), routines=self._routines, long_confirmed=long_confirmed
        )

    def record_day(self, entry: DayEntry) -> Recorded[DayEntry]:
        """Save a day; recording the same date again replaces what it held."""
        with self.writing() as conn:
            return self.write_day(conn, entry)

    def write_day(self, conn: Connection, entry: DayEntry) -> Recorded[DayEntry]:
        days = tables.days
        owner = self._owner(conn)
        existing = conn.execute(
            select(days.c.id).where(days.c.profile_id == owner, days.c.date == entry.date)
        ).scalar()
        now = self._now()
        values = entry.model_dump()
        if existing is None:
            row_id = _inserted_id(
                conn.execute(
                    insert(days).values(profile_id=owner, created_at=now, updated_at=now, **values)
                )
            )
            return Recorded(f"d{row_id}", entry, created=True)
        conn.execute(
            update(days)
            .where(days.c.id == existing)
            .values(updated_at=now, deleted_at=None, **values)
        )
        return Recorded(f"d{existing}", entry, created=False)

    def log_day(
        self, date: dt.date, changes: Mapping[str, Any], keep_higher: Collection[str] = ()
    ) -> Recorded[DayEntry]:
        """Record ``changes`` for a day, keeping what was already recorded for it.

        Logging a day twice (intensity 4 in the morning, 6 at night) must not wipe the
        medication noted the first time, so fields not given keep their values. A field
        in ``keep_higher`` (the day's worst so far) keeps its recorded value when the new
        one is lower, in the same transaction, so two taps at once cannot lower it either.
        """
        with self.writing() as conn:
            row = (
                conn.execute(
                    select(tables.days).where(
                        tables.days.c.profile_id == self._owner(conn),
                        tables.days.c.date == date,
                        tables.days.c.deleted_at.is_(None),
                    )
                )
                .mappings()
                .first()
            )
            before = entry_from_row(DayEntry, row).model_dump() if row is not None else {}
            entry = self.validate(DayEntry, before | dict(changes) | {"date": date})
            higher = {
                name: before[name]
                for name in keep_higher
                if before.get(name) is not None and getattr(entry, name) < before[name]
            }
            return self.write_day(conn, entry.model_copy(update=higher))

    def add_headache(self, entry: HeadacheEntry) -> Recorded[HeadacheEntry]:
        return self._insert("h", entry)

    def add_session(self, entry: SessionEntry) -> Recorded[SessionEntry]:
        return self._insert("s", entry)

    def _insert(self, prefix: str, entry: E) -> Recorded[E]:
        table, _ = KINDS[prefix]
        with self.writing() as conn:
            now = self._now()
            row_id = _inserted_id(
                conn.execute(
                    insert(table).values(
                        profile_id=self._owner(conn),
                        created_at=now,
                        updated_at=now,
                        **entry.model_dump(),
                        **self._trial_period(conn, entry),
                    )
                )
            )
        return Recorded(f"{prefix}{row_id}", entry)

    def edit(
        self, record_id: str, changes: Mapping[str, Any], *, long_confirmed: bool = False
    ) -> Recorded[Entry]:
        """Change some fields of a record; the whole record is checked again, a long
        headache only when its times change (``check_edited_length``)."""
        prefix, number = parse_record_id(record_id)
        table, model = KINDS[prefix]
        unknown = sorted(set(changes) - set(model.model_fields))
        if unknown:
            raise EntryError([(field, "unknown field") for field in unknown])
        with self.writing() as conn:
            current = self._fetch(conn, prefix, number)
            merged = current.entry.model_dump() | dict(changes)
            entry = self.validate(model, merged, long_confirmed=True)
            if not long_confirmed:
                check_edited_length(current.entry, entry, self._today())
            if isinstance(entry, DayEntry):
                row = conn.execute(
                    select(table.c.id, table.c.deleted_at).where(
                        table.c.profile_id == self._owner(conn),
                        table.c.date == entry.date,
                        table.c.id != number,
                    )
                ).first()
                if row is not None and row.deleted_at is None:
                    raise EntryError([("date", f"{entry.date} is already recorded as d{row.id}")])
                if row is not None:
                    raise EntryError(
                        [
                            (
                                "date",
                                f"{entry.date} belongs to deleted day d{row.id}; restore "
                                f"d{row.id} from the diary page and edit it instead "
                                "(`calmcrown undo` brings back only the latest deletion)",
                            )
                        ]
                    )
            conn.execute(
                update(table)
                .where(table.c.id == number)
                .values(
                    updated_at=self._now(), **entry.model_dump(), **self._trial_period(conn, entry)
                )
            )
        return Recorded(record_id, entry, created=False)

    def delete(self, record_id: str) -> Recorded[Entry]:
        """Mark a record deleted; ``restore`` brings it back, ``undo`` the latest one."""
        prefix, number = parse_record_id(record_id)
        table, _ = KINDS[prefix]
        with self.writing() as conn:
            current = self._fetch(conn, prefix, number)
            conn.execute(update(table).where(table.c.id == number).values(deleted_at=self._now()))
        return current

    def undo(self) -> Recorded[Entry] | None:
        """Restore the most recently deleted record, or return None if there is none."""
        with self.writing() as conn:
            owner = self._owner(conn)
            latest: tuple[dt.datetime, str, int] | None = None
            for prefix, (table, _) in KINDS.items():
                row = conn.execute(
                    select(table.c.deleted_at, table.c.id)
                    .where(table.c.profile_id == owner, table.c.deleted_at.is_not(None))
                    .order_by(table.c.deleted_at.desc(), table.c.id.desc())
                    .limit(1)
                ).first()
                if row is not None and (latest is None or row.deleted_at > latest[0]):
                    latest = (row.deleted_at, prefix, row.id)
            if latest is None:
                return None
            _, prefix, number = latest
            table, _ = KINDS[prefix]
            conn.execute(update(table).where(table.c.id == number).values(deleted_at=None))
            return self._fetch(conn, prefix, number)

    def restore(self, record_id: str) -> Recorded[Entry]:
        """Bring back exactly this deleted record, whenever it was deleted.

        LookupError if this diary has no such record, EntryError if it is not deleted.
        (A day cannot come back onto a date another day holds: the diary keeps one day
        record per date, deleted or not.)
        """
        prefix, number = parse_record_id(record_id)
        table, _ = KINDS[prefix]
        with self.writing() as conn:
            owner = self._owner(conn)
            mine = (table.c.id == number, table.c.profile_id == owner)
            row = conn.execute(select(table).where(*mine)).mappings().first()
            if row is None:
                raise LookupError(f"no {KIND_NAMES[prefix]} {prefix}{number} in this diary")
            if row["deleted_at"] is None:
                raise NotDeleted([("id", f"{prefix}{number} is not deleted")])
            conn.execute(update(table).where(*mine).values(deleted_at=None))
            return self._fetch(conn, prefix, number)

    # -- reading ---------------------------------------------------------------------

    def get(self, record_id: str) -> Recorded[Entry]:
        prefix, number = parse_record_id(record_id)
        with read_connection(self.engine) as conn:
            return self._fetch(conn, prefix, number)

    def days(
        self, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[Recorded[DayEntry]]:
        with read_connection(self.engine) as conn:
            return self._days(conn, since, until)

    def headaches(
        self, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[Recorded[HeadacheEntry]]:
        """Episodes that overlap the dates, ongoing ones included."""
        with read_connection(self.engine) as conn:
            return self._headaches(conn, since, until)

    def sessions(
        self, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[Recorded[SessionEntry]]:
        with read_connection(self.engine) as conn:
            return self._sessions(conn, since, until)

    def latest_checked_session(self, since: dt.date) -> Recorded[SessionEntry] | None:
        """The most recent session from ``since`` on that went through the safety check
        (it has a verdict); a session logged without a check says nothing of answers."""
        with read_connection(self.engine) as conn:
            found = self._list(conn, "s", SessionEntry, queries.LATEST_CHECKED, {"since": since})
        return found[0] if found else None

    def medication_days(self, end: dt.date | None = None) -> int:
        """Days with acute medication in the 30 days up to ``end`` (today by default)."""
        with read_connection(self.engine) as conn:
            return self._medication_days(conn, end or self._today())

    def snapshot(self, since: dt.date, until: dt.date, *, dated: bool = False) -> Snapshot:
        """Days, headaches and sessions of the dates, and the medication days up to
        ``until`` (``dated``: and which dates they were), read in one transaction: one
        consistent picture, and one round trip."""
        with read_connection(self.engine) as conn:
            dates = self._medicated_dates(conn, since, until) if dated else None
            return Snapshot(
                days=self._days(conn, since, until),
                headaches=self._headaches(conn, since, until),
                sessions=self._sessions(conn, since, until),
                medication_days=self._medication_days(conn, until),
                medication_dates=frozenset(dates) if dates is not None else None,
            )

    def _days(
        self, conn: Connection, since: dt.date | None, until: dt.date | None
    ) -> list[Recorded[DayEntry]]:
        return self._list(
            conn, "d", DayEntry, queries.DAYS_BETWEEN, queries.date_range(since, until)
        )

    def _headaches(
        self, conn: Connection, since: dt.date | None, until: dt.date | None
    ) -> list[Recorded[HeadacheEntry]]:
        bounds = {
            "starts_before": queries.day_after(until) if until is not None else dt.datetime.max,
            "ends_from": queries.start_of(since) if since is not None else dt.datetime.min,
        }
        return self._list(conn, "h", HeadacheEntry, queries.HEADACHES_OVERLAPPING, bounds)

    def _sessions(
        self, conn: Connection, since: dt.date | None, until: dt.date | None
    ) -> list[Recorded[SessionEntry]]:
        return self._list(
            conn, "s", SessionEntry, queries.SESSIONS_BETWEEN, queries.date_range(since, until)
        )

    def _medication_days(self, conn: Connection, last: dt.date) -> int:
        first = queries.days_before(last, MEDICATION_WINDOW_DAYS - 1)
        return len(self._medicated_dates(conn, first, last))

    def _medicated_dates(self, conn: Connection, first: dt.date, last: dt.date) -> set[dt.date]:
        """The one rule for a medication day: a day's medication, or that of an episode
        that started that day. Only the dates are read, not whole records: Today and the
        Diary ask on every visit."""
        window = {
            "owner": self._owner(conn),
            "since": first,
            "until": last,
            "starts_from": queries.start_of(first),
            "starts_before": queries.day_after(last),
        }
        dated: set[dt.date] = set(conn.execute(queries.MEDICATED_DATES, window).scalars())
        starts = conn.execute(queries.MEDICATED_EPISODE_STARTS, window).scalars()
        dated.update(start.date() for start in starts)
        return dated

    def medication_warning(self, end: dt.date | None = None) -> str | None:
        """The overuse warning for the 30 days up to ``end`` (today by default), if due."""
        today = self._today()
        return medication_warning_text(self.medication_days(end or today), end or today, today)

    # -- internals -------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """The store's clock, for the stamps on what it writes."""
        return self._now()

    def today(self) -> dt.date:
        """The store's idea of today's date, the one its date rules use."""
        return self._today()

    @property
    def profile_id(self) -> int:
        return self._profile_id

    def _owner(self, _conn: Connection) -> int:
        return self._profile_id

    def _trial_period(self, conn: Connection, entry: Entry) -> dict[str, Any]:
        """A session keeps the trial period its date falls in (none outside a trial)."""
        if not isinstance(entry, SessionEntry):
            return {}
        return {"trial_period_id": queries.trial_period_on(self._owner(conn), entry.date)}

    def _ensure_profile(self) -> int:
        """This store's profile id, creating the profile on first use.

        Two processes may create the same new profile at once: the insert does nothing
        when the name exists by then, and the select finds whichever row won.
        """
        profiles = tables.profiles
        mine = select(profiles.c.id).where(profiles.c.name == self.profile)
        with self.engine.begin() as conn:
            found = conn.execute(mine).scalar()
            if found is None:
                dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
                conn.execute(
                    dialect.insert(profiles)
                    .values(name=self.profile, created_at=self._now())
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                found = conn.execute(mine).scalar_one()
        return int(found)

    def _fetch(self, conn: Connection, prefix: str, number: int) -> Recorded[Entry]:
        table, model = KINDS[prefix]
        row = (
            conn.execute(
                select(table).where(
                    table.c.id == number,
                    table.c.profile_id == self._owner(conn),
                    table.c.deleted_at.is_(None),
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise LookupError(f"no {KIND_NAMES[prefix]} {prefix}{number} in this diary")
        return Recorded(f"{prefix}{number}", entry_from_row(model, row))

    def _list(
        self,
        conn: Connection,
        prefix: str,
        model: type[E],
        statement: Select[Any],
        params: dict[str, Any],
    ) -> list[Recorded[E]]:
        # All rows in one call: fetched one by one, each row gave the GIL away and waited
        # to get it back, which under ten concurrent page loads doubled their time.
        rows = conn.execute(statement, {"owner": self._owner(conn), **params}).mappings().all()
        return [Recorded(f"{prefix}{row['id']}", entry_from_row(model, row)) for row in rows]


def _inserted_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the database did not report the new row's id")
    return int(key[0])
