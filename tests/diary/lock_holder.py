"""Another program holding the diary's write lock: a real second OS process, with its own
sqlite3 or psycopg connection, as a backup tool or a second app would."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from calmcrown.diary import tables

_HOLD = """
import sys
kind, target = sys.argv[1], sys.argv[2]
if kind == "sqlite":
    import sqlite3
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
else:
    import psycopg
    connection = psycopg.connect(target)
    # EXCLUSIVE lets others read but not write: every write of the app must wait.
    connection.execute(
        "LOCK TABLE profiles, days, headaches, sessions, practice_plans IN EXCLUSIVE MODE"
    )
print("locked", flush=True)
sys.stdin.readline()
connection.rollback()
"""


@contextlib.contextmanager
def another_program_holding_the_write_lock(database_url: str) -> Iterator[None]:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        kind, target = "sqlite", str(url.database)
    else:
        kind = "postgresql"
        target = url.set(drivername="postgresql").render_as_string(hide_password=False)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, kind, target],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.stdin.close()  # the holder reads end of file, lets go and ends
        holder.wait(timeout=30)


def everything_in(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in order: to compare the diary before and after."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in tables.metadata.sorted_tables
        }


_RESTORING = """
import sys
from pathlib import Path
from calmcrown.diary.serving_lock import hold_for_restore
with hold_for_restore(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


@contextlib.contextmanager
def a_restore_at_work_in_another_process(diary: Path) -> Iterator[None]:
    """Another calmcrown process holding ``diary`` as a restore does while it swaps."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _RESTORING, str(diary)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
