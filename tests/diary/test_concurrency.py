"""Two writers at once: the second waits for the first instead of failing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.schema import ensure_schema


def _log(url: str, date: str, intensity: int = 3) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "calmcrown",
            "--db",
            url,
            "log",
            "day",
            "--date",
            date,
            "--intensity",
            str(intensity),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_writer_waits_for_a_held_write_lock(tmp_path: Path) -> None:
    database = tmp_path / "diary.sqlite3"
    url = f"sqlite:///{database}"
    ensure_schema(create_diary_engine(url))
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    held_for = 2.0
    release = threading.Timer(held_for, holder.rollback)
    started = time.monotonic()
    release.start()
    result = _log(url, "2026-11-20")
    waited = time.monotonic() - started
    release.join()
    holder.close()
    assert result.returncode == 0, result.stderr
    assert waited >= held_for * 0.9, "the second writer waited for the lock"
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM days").fetchone() == (1,)


def test_two_processes_logging_at_once_both_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'diary.sqlite3'}"  # a new diary: both may create it
    loop = (
        "import subprocess, sys\n"
        "for day in range(1, 7):\n"
        "    done = subprocess.run([sys.executable, '-m', 'calmcrown', '--db', sys.argv[1],\n"
        "        'log', 'day', '--date', f'2026-{sys.argv[2]}-{day:02d}', '--intensity', '2'],\n"
        "        capture_output=True, text=True)\n"
        "    if done.returncode:\n"
        "        sys.exit(done.stderr)  # the failing command's own message, for the report\n"
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", loop, url, month], stderr=subprocess.PIPE)
        for month in ("09", "10")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    with sqlite3.connect(tmp_path / "diary.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM days").fetchone() == (12,)


def test_writers_on_the_same_day_keep_each_others_fields(database_url: str) -> None:
    """On both databases: many writers merging fields into one new day lose nothing."""
    import datetime as dt
    from concurrent.futures import ThreadPoolExecutor

    from calmcrown.diary.store import DiaryStore

    day = dt.date(2026, 11, 1)
    fields = {"medication": "ibuprofen", "notes": "evening", "sleep": 4, "stress": 6, "hours": 2.0}

    def write(field: str) -> None:
        engine = create_diary_engine(database_url)  # a separate connection pool per writer
        try:
            DiaryStore(engine, "carol").log_day(day, {"intensity": 5, field: fields[field]})
        finally:
            engine.dispose()

    ensure_schema(create_diary_engine(database_url))
    with ThreadPoolExecutor(max_workers=len(fields)) as pool:
        list(pool.map(write, fields))
    engine = create_diary_engine(database_url)
    [saved] = DiaryStore(engine, "carol").days()
    engine.dispose()
    assert {name: getattr(saved.entry, name) for name in fields} == fields
