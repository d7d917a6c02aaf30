"""Adding many entries at once, for imports: all of them, or on any conflict none.

Re-importing the same file adds nothing: an entry identical to one already in the diary
is counted instead of added. A day already recorded with other values is a conflict,
because a file must not silently overwrite what the person wrote in the diary.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from calmcrown.diary import tables
from calmcrown.diary.records import DayEntry, Entry
from calmcrown.diary.store import KINDS, DiaryStore, entry_from_row
from calmcrown.diary.trials import import_trials
from calmcrown.insight.trial.design import TrialDesign


@dataclass(frozen=True)
class ImportCounts:
    added: int
    already: int
    trials_added: int = 0
    trials_already: int = 0


class ImportConflict(ValueError):
    """Entries clash with the diary or with each other; ``problems`` are (where, field, why)."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} conflicting entries")


def import_entries(
    store: DiaryStore,
    labelled: Sequence[tuple[str, Entry]],
    trials: Sequence[tuple[str, TrialDesign]] = (),
) -> ImportCounts:
    """Add entries (and the file's trials) in one transaction: all of them or, on a
    conflict, none.

    An entry identical to one already in the diary is counted, not added again, so
    importing the same file twice adds nothing. A day whose date is already recorded
    with other values is a conflict: the file must not silently overwrite the diary.
    Trials come in after the sessions, which are then tied to the periods their dates
    fall in (``trials.import_trials``, which raises ``TrialClash`` on an overlap).
    """
    conflicts: list[tuple[str, str, str]] = []
    with store.writing() as conn:
        owner = store.profile_id
        days_now = {
            row.date: row
            for row in conn.execute(
                select(tables.days).where(tables.days.c.profile_id == owner)
            ).mappings()
        }
        present = Counter(
            _identity(prefix, entry_from_row(model, row))
            for prefix, (table, model) in KINDS.items()
            if prefix != "d"
            for row in conn.execute(
                select(table).where(table.c.profile_id == owner, table.c.deleted_at.is_(None))
            ).mappings()
        )
        new: list[Entry] = []
        seen_dates: dict[dt.date, str] = {}
        already = 0
        for label, entry in labelled:
            if isinstance(entry, DayEntry):
                if entry.date in seen_dates:
                    conflicts.append((label, "date", f"also on {seen_dates[entry.date]}"))
                    continue
                seen_dates[entry.date] = label
                row = days_now.get(entry.date)
                if row is not None and row["deleted_at"] is None:
                    if entry_from_row(DayEntry, row).model_dump() == entry.model_dump():
                        already += 1
                    else:
                        conflicts.append(
                            (
                                label,
                                "date",
                                f"{entry.date} is already recorded as d"
                                f"{row['id']} with other values; edit or delete it first",
                            )
                        )
                    continue
            else:
                key = _identity(_prefix_of(entry), entry)
                if present[key] > 0:
                    present[key] -= 1
                    already += 1
                    continue
            new.append(entry)
        if conflicts:
            raise ImportConflict(conflicts)
        # A day deleted earlier on the same date is brought back with the file's values.
        revived = [e for e in new if isinstance(e, DayEntry) and e.date in days_now]
        for entry in revived:
            store.write_day(conn, entry)
        revived_ids = {id(entry) for entry in revived}
        _insert_many(store, conn, [e for e in new if id(e) not in revived_ids])
        _, trials_already = import_trials(conn, store, trials) if trials else ({}, 0)
    return ImportCounts(len(new), already, len(trials) - trials_already, trials_already)


def _insert_many(store: DiaryStore, conn: Connection, entries: Sequence[Entry]) -> None:
    """Insert new entries, one statement per kind (an import may hold years of days)."""
    now = store.now()
    stamps = {"profile_id": store.profile_id, "created_at": now, "updated_at": now}
    for prefix, (table, _) in KINDS.items():
        rows = [stamps | entry.model_dump() for entry in entries if _prefix_of(entry) == prefix]
        if rows:
            conn.execute(insert(table), rows)


def _prefix_of(entry: Entry) -> str:
    return next(prefix for prefix, (_, model) in KINDS.items() if isinstance(entry, model))


def _identity(prefix: str, entry: Entry) -> str:
    """A key equal for two entries with the same content, for spotting re-imports."""
    return prefix + json.dumps(entry.model_dump(mode="json"), sort_keys=True)
