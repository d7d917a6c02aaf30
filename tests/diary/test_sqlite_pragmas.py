from __future__ import annotations

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
