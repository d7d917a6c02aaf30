"""Back up and restore an SQLite diary while calmcrown may be running.

Both use SQLite's online backup API, which copies a consistent snapshot page by page
even while another process writes. A restore first saves the diary it replaces, so a
restore of the wrong file loses nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from calmcrown.diary.schema import MIGRATIONS

# Files holding health data are created readable and writable by their owner only.
PRIVATE = 0o600

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
    if target.is_dir():
        raise BackupError(f"{target} is a directory; give a file name")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists; choose another name or pass --force")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"cannot create {target.parent} ({error.strerror})") from None
    _copy(source, target)
    return target


def restore(url: str, backup_file: Path) -> Path | None:
    """Replace the diary with ``backup_file``; returns where the old diary was saved."""
    target = sqlite_path(url)
    check_backup(backup_file)
    saved = None
    if target.exists():
        saved = _new_file_beside(target, "before-restore")
        _copy(target, saved)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup_file, target, journal="WAL")
    return saved


def _new_file_beside(target: Path, label: str) -> Path:
    """A file next to ``target`` that did not exist before: never overwrites a copy."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        path = target.with_name(f"{target.stem}-{label}-{stamp}{suffix}{target.suffix}")
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE))
        except FileExistsError:
            continue
        return path
    raise BackupError(f"too many copies named {target.stem}-{label}-{stamp}")


def check_backup(path: Path) -> None:
    """Refuse anything that is not a sound calmcrown diary."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        read_only = path.resolve().as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(read_only, uri=True)) as connection:
            ok = connection.execute("PRAGMA quick_check").fetchone()
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            }
            revision = (
                connection.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: not an SQLite database ({error})") from None
    if ok != ("ok",):
        raise BackupError(f"{path}: the database is damaged ({ok[0] if ok else 'no answer'})")
    missing = REQUIRED_TABLES - tables
    if missing:
        raise BackupError(f"{path}: not a calmcrown diary (no {', '.join(sorted(missing))} table)")
    if revision is None or revision[0] not in known_revisions():
        raise BackupError(
            f"{path}: made by a newer calmcrown (schema {revision[0] if revision else '?'}); "
            "update calmcrown before restoring it"
        )


def known_revisions() -> set[str]:
    """The schema revisions this calmcrown can open or upgrade from."""
    return {path.stem.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("*.py")}


def _copy(source: Path, target: Path, journal: str = "DELETE") -> None:
    """Copy a diary page by page; a copy is one self-contained file unless it is live."""
    if not target.exists():
        # Health data: the copy is readable by its owner only, like the diary itself.
        os.close(os.open(target, os.O_CREAT | os.O_WRONLY, PRIVATE))
    try:
        with (
            contextlib.closing(sqlite3.connect(source, timeout=30)) as reader,
            contextlib.closing(sqlite3.connect(target, timeout=30)) as writer,
        ):
            reader.backup(writer)
            writer.execute(f"PRAGMA journal_mode = {journal}")
    except sqlite3.Error as error:
        raise BackupError(f"cannot copy {source} to {target}: {error}") from None
