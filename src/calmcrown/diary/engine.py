"""Database engines for the diary, set up for safety first.

SQLite runs with foreign keys on, write-ahead logging, a generous busy timeout and full
fsync, and every transaction starts with BEGIN IMMEDIATE: a writer takes the write lock
at the start, so a second writer waits for it instead of failing with "database is
locked" halfway through.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

BUSY_TIMEOUT_MS = 30_000
"""How long a command waits for another program's write lock before it says the diary
is busy. A person at the terminal can wait; the web app waits less (WEB_BUSY_TIMEOUT_MS)."""
SQLITE_POOL_SIZE = 16


def create_diary_engine(url: str, busy_timeout_ms: int | None = None) -> Engine:
    """The diary's engine; a write waits at most ``busy_timeout_ms`` (BUSY_TIMEOUT_MS
    unless given) for a lock held by another program, then fails with an OperationalError
    (SQLite "database is locked", PostgreSQL lock_not_available) that the faces turn into
    "the diary is busy" (calmcrown.diary.trouble)."""
    if busy_timeout_ms is None:
        busy_timeout_ms = BUSY_TIMEOUT_MS
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # PostgreSQL would wait for a lock for ever by default.
        options = _with_lock_timeout(parsed.query.get("options"), busy_timeout_ms)
        return create_engine(url, pool_pre_ping=True, connect_args={"options": options})
    if parsed.database and parsed.database != ":memory:":
        _private_file(Path(parsed.database).expanduser())
    # Connections beyond the pool's size are closed when returned and opened again (with
    # their pragmas) on the next request: keep enough for the web app's worker threads to
    # reuse theirs. An SQLite connection is only a file handle and a small cache.
    engine = create_engine(
        url,
        connect_args={"timeout": busy_timeout_ms / 1000},
        pool_size=SQLITE_POOL_SIZE,
        max_overflow=SQLITE_POOL_SIZE,
    )
    event.listen(engine, "connect", functools.partial(_configure_sqlite, busy_timeout_ms))
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _with_lock_timeout(given: str | tuple[str, ...] | None, busy_timeout_ms: int) -> str:
    """libpq's ``options`` with the lock timeout added: connect_args would otherwise
    replace options given in the URL."""
    kept = [given] if isinstance(given, str) else list(given or ())
    return " ".join([*kept, f"-c lock_timeout={int(busy_timeout_ms)}"])


def _private_file(path: Path) -> None:
    """The diary's folder (if new) and file, and its -wal and -shm, readable by their
    owner only, whatever their mode was before: the diary holds health data."""
    from calmcrown.diary.private_files import private_diary_file, private_folder

    private_folder(path.parent)
    private_diary_file(path)


def _configure_sqlite(busy_timeout_ms: int, dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself instead of pysqlite's own
    # deferred transactions, which can deadlock two writers instead of queueing them.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    cursor.execute("PRAGMA foreign_keys = ON")
    _switch_to_wal(cursor, busy_timeout_ms)
    # FULL syncs the WAL on every commit: an entry reported as saved survives a power cut.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _switch_to_wal(cursor: Any, busy_timeout_ms: int) -> None:
    """Turn write-ahead logging on, waiting for other processes opening the same file.

    The switch needs the file to itself. On a new diary opened by two processes at the
    same moment, SQLite answers "database is locked" at once, without the busy timeout
    (waiting could deadlock the two), so try again until the timeout. Once one of them
    has switched, the mode is stored in the file and every later switch is a no-op.
    """
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


READ_ONLY = "calmcrown_read_only"


def _begin_immediate(connection: Any) -> None:
    # Readers need no write lock; WAL lets them run beside a writer.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def read_connection(engine: Engine) -> Connection:
    """A connection for reading only, whose reads agree with each other: on SQLite a
    plain BEGIN (no write lock; WAL gives the transaction one snapshot), on PostgreSQL
    REPEATABLE READ (its default, READ COMMITTED, lets each SELECT see what committed
    since the one before: a session without its day, halfway through an import)."""
    connection = engine.connect()
    if is_sqlite(engine):
        return connection.execution_options(**{READ_ONLY: True})
    return connection.execution_options(isolation_level="REPEATABLE READ", **{READ_ONLY: True})


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
