"""Is a file exactly a calmcrown diary? Compared with one the migrations make afresh.

A restore must never bring in anything calmcrown did not make: a trigger that deletes
sessions whenever a day is logged, a view, an extra table, or tables whose columns are
not calmcrown's would all outlive the restore and act on every later write. So the file's
schema (tables, columns and their types, keys, indexes, constraints) must equal, item by
item, that of a new diary made by calmcrown's own migrations at the file's revision.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.pool import NullPool

from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.schema import upgrade

# How many of the differences a refusal names: enough to see what the file is.
SHOWN_DIFFERENCES = 3


class NotADiary(ValueError):
    """The file is not exactly a calmcrown diary; the message names what was found."""


@dataclass(frozen=True)
class TableShape:
    columns: dict[str, tuple[str, bool]]  # name: (type, nullable)
    keys: tuple[Any, ...]  # primary key, foreign keys, unique constraints, checks
    indexes: tuple[Any, ...]


@dataclass(frozen=True)
class Schema:
    tables: dict[str, TableShape]
    # Every object SQLite keeps in sqlite_master but its own: (type, name)
    objects: frozenset[tuple[str, str]]


def read_only_engine(path: Path) -> Engine:
    """An engine on ``path`` that cannot change it, whatever the file holds."""
    uri = path.resolve().as_uri() + "?mode=ro"

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(uri, uri=True)
        # SQLite's advice for files from elsewhere: the schema may not call functions
        # with side effects, and damaged pages are noticed as they are read.
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA cell_size_check = ON")
        return connection

    return create_engine("sqlite://", creator=connect, poolclass=NullPool)


@contextlib.contextmanager
def fresh_diary(revision: str) -> Iterator[Engine]:
    """A new, empty diary made by the migrations up to ``revision``, in a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="calmcrown-schema-") as folder:
        engine = create_diary_engine(f"sqlite:///{Path(folder) / 'diary.sqlite3'}")
        try:
            upgrade(engine, revision)
            yield engine
        finally:
            engine.dispose()


def schema_of(engine: Engine) -> Schema:
    inspector = inspect(engine)
    tables = {}
    for name in inspector.get_table_names():
        columns = {
            column["name"]: (str(column["type"]), bool(column["nullable"]))
            for column in inspector.get_columns(name)
        }
        keys = (
            _frozen(inspector.get_pk_constraint(name)),
            sorted(map(_frozen, inspector.get_foreign_keys(name)), key=repr),
            sorted(map(_frozen, inspector.get_unique_constraints(name)), key=repr),
            sorted(map(_frozen, inspector.get_check_constraints(name)), key=repr),
        )
        indexes = tuple(sorted(map(_frozen, inspector.get_indexes(name)), key=repr))
        tables[name] = TableShape(columns, tuple(map(str, keys)), indexes)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT type, name FROM sqlite_master").all()
    # SQLite's own tables (statistics) and the indexes behind UNIQUE and PRIMARY KEY.
    objects = frozenset(
        (str(kind), str(name)) for kind, name in rows if not str(name).startswith("sqlite_")
    )
    return Schema(tables, objects)


def differences(found: Schema, expected: Schema) -> list[str]:
    """What ``found`` has or lacks compared with ``expected``, in plain words, what it
    has that calmcrown does not make first, then what it lacks, then what differs."""
    problems: list[tuple[int, str]] = []
    for kind, name in found.objects - expected.objects:
        article = "an" if kind[0] in "aeiou" else "a"
        problems.append((0, f"contains {article} {kind} calmcrown does not create: {name}"))
    for table in expected.tables.keys() - found.tables.keys():
        problems.append((1, f"has no {table} table"))
    for table in expected.tables.keys() & found.tables.keys():
        problems += _table_differences(table, found.tables[table], expected.tables[table])
    return [problem for _, problem in sorted(problems)]


def refuse_unless_same(path: Path, found: Schema, expected: Schema) -> None:
    problems = differences(found, expected)
    if problems:
        more = len(problems) - SHOWN_DIFFERENCES
        shown = "; ".join(problems[:SHOWN_DIFFERENCES]) + (f"; and {more} more" if more > 0 else "")
        raise NotADiary(f"{path}: not a calmcrown diary: {shown}")


def _table_differences(
    table: str, found: TableShape, expected: TableShape
) -> list[tuple[int, str]]:
    problems = [
        (0, f"table {table} has a column calmcrown does not create: {column}")
        for column in found.columns.keys() - expected.columns.keys()
    ]
    problems += [
        (1, f"table {table} has no {column} column")
        for column in expected.columns.keys() - found.columns.keys()
    ]
    for column in found.columns.keys() & expected.columns.keys():
        (found_type, found_null), (want_type, want_null) = (
            found.columns[column],
            expected.columns[column],
        )
        if found_type != want_type:
            problems.append((2, f"column {table}.{column} is {found_type}, not {want_type}"))
        elif found_null != want_null:
            required = "may be empty" if found_null else "must be filled"
            problems.append((2, f"column {table}.{column} {required}, unlike calmcrown's"))
    if found.keys != expected.keys:
        problems.append((3, f"table {table} has keys or checks unlike calmcrown's"))
    if found.indexes != expected.indexes:
        problems.append((3, f"table {table} has indexes unlike calmcrown's"))
    return problems


def _frozen(value: Any) -> Any:
    """A reflected item as a value that compares and sorts: dicts and lists as tuples."""
    if isinstance(value, dict):
        return tuple(sorted(((key, _frozen(item)) for key, item in value.items()), key=repr))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)
