"""Back up and restore an SQLite diary while calmcrown may be running.

Both use SQLite's online backup API, which copies a consistent snapshot page by page
even while another process writes. A restore first saves the diary it replaces, so a
restore of the wrong file loses nothing.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

REQUIRED_TABLES = {"alembic_version", "profiles", "days", "headaches", "sessions"}


class BackupError(ValueError):
    """A backup or restore cannot be done; the message says why."""


def sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise BackupError(
            "backup and restore work on the SQLite diary; for PostgreSQL use pg_dump and "
            "pg_restore, which know the server"
        )
    return Path(parsed.database).expanduser()


def backup(url: str, target: Path, *, overwrite: bool = False) -> Path:
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"there is no diary at {source} yet")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists; choose another name or pass --force")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, target)
    return target


def restore(url: str, backup_file: Path) -> Path | None:
    """Replace the diary with ``backup_file``; returns where the old diary was saved."""
    target = sqlite_path(url)
    check_backup(backup_file)
    saved = None
    if target.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        saved = target.with_name(f"{target.stem}-before-restore-{stamp}{target.suffix}")
        _copy(target, saved)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup_file, target)
    return saved


def check_backup(path: Path) -> None:
    """Refuse anything that is not a sound calmcrown diary."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            ok = connection.execute("PRAGMA quick_check").fetchone()
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            }
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: not an SQLite database ({error})") from None
    if ok != ("ok",):
        raise BackupError(f"{path}: the database is damaged ({ok[0] if ok else 'no answer'})")
    missing = REQUIRED_TABLES - tables
    if missing:
        raise BackupError(f"{path}: not a calmcrown diary (no {', '.join(sorted(missing))} table)")


def _copy(source: Path, target: Path) -> None:
    with (
        sqlite3.connect(source, timeout=30) as reader,
        sqlite3.connect(target, timeout=30) as writer,
    ):
        reader.backup(writer)
    reader.close()
    writer.close()
