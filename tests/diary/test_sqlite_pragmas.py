from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from calmcrown.diary.engine import create_diary_engine


def test_sqlite_runs_with_foreign_keys_wal_fsync_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = create_diary_engine(f"sqlite:///{tmp_path / 'nested' / 'diary.sqlite3'}")
    with engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("foreign_keys", "journal_mode", "busy_timeout", "synchronous")
        }
    engine.dispose()
    assert pragma == {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "busy_timeout": 30000,
        "synchronous": 2,  # FULL
    }
    assert (tmp_path / "nested" / "diary.sqlite3").exists(), "the data directory is created"


def test_opening_a_new_diary_another_process_is_creating_waits_for_it(tmp_path: Path) -> None:
    """Switching to WAL needs the file to itself. While another connection is writing a
    new file (still in rollback-journal mode), SQLite refuses the switch at once, busy
    timeout or not: two processes opening a new diary together failed this way."""
    database = tmp_path / "diary.sqlite3"
    creator = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    creator.execute("BEGIN IMMEDIATE")
    creator.execute("CREATE TABLE opened (n INTEGER)")
    held_for = 1.0
    finish = threading.Timer(held_for, creator.execute, ["COMMIT"])
    started = time.monotonic()
    finish.start()
    engine = create_diary_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    waited = time.monotonic() - started
    finish.join()
    creator.close()
    engine.dispose()
    assert mode == "wal"
    assert waited >= held_for * 0.9, "it waited for the other writer instead of failing"
