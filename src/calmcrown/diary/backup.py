"""Back up and restore an SQLite diary while calmcrown may be running.

A backup uses SQLite's online backup API, which copies a consistent snapshot page by
page even while another process writes.

A restore never installs the file it is given. It checks that the file is exactly a
calmcrown diary (backup_check.py), makes a new diary with calmcrown's migrations beside
the old one, copies every row of calmcrown's tables into it through their definitions
(so every rule of the schema applies to every row), checks it, and only then puts it in
the old one's place in one rename. The diary it replaces is first copied beside it (the
"before-restore" copy), and if anything fails once the swap has begun, the old diary is
put back as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from calmcrown.diary.backup_check import (
    NotADiary,
    fresh_diary,
    read_only_engine,
    refuse_unless_same,
    schema_of,
)
from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.private_files import (
    PRIVATE_FILE,
    SQLITE_COMPANIONS,
    private_folder,
    sync_folder,
)
from calmcrown.diary.schema import HEAD, MIGRATIONS, upgrade
from calmcrown.diary.serving_lock import hold_for_restore
from calmcrown.diary.tables import metadata

REQUIRED_TABLES = {"alembic_version", "profiles", "days", "headaches", "sessions"}
ROWS_PER_BATCH = 1000


class BackupError(ValueError):
    """The file given cannot be backed up to or restored from; nothing was changed."""


class RestoreFailed(RuntimeError):
    """The restore could not be finished; the diary is as it was before.

    ``kept`` is the copy of that diary made before the swap, if it was made.
    """

    def __init__(self, message: str, kept: Path | None) -> None:
        super().__init__(message)
        self.kept = kept


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
        private_folder(target.parent)
    except OSError as error:
        raise BackupError(f"cannot create {target.parent} ({error.strerror})") from None
    # A new private file takes the old one's place only when complete: an older backup
    # readable by others does not pass its mode on, and a failed copy leaves it intact.
    try:
        descriptor, partial_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise BackupError(f"cannot write in {target.parent} ({error.strerror})") from None
    os.close(descriptor)
    partial = Path(partial_name)
    try:
        _copy(source, partial)
        os.replace(partial, target)
    except OSError as error:
        raise BackupError(f"cannot write {target} ({error.strerror})") from None
    except sqlite3.Error as error:
        raise BackupError(f"cannot copy {source} to {target}: {error}") from None
    finally:
        partial.unlink(missing_ok=True)
    sync_folder(target.parent)
    return target


def restore(url: str, backup_file: Path) -> Path | None:
    """Replace the diary with the rows of ``backup_file``; returns where the diary it
    replaced is kept (None if there was none).

    Raises BackupError when the file is refused (nothing changed), DiaryInUse while
    ``calmcrown serve`` holds the diary, RestoreFailed when the restore could not be
    finished (the diary is as it was).
    """
    target = sqlite_path(url)
    with contextlib.ExitStack() as holding:
        try:
            private_folder(target.parent)
            holding.enter_context(hold_for_restore(target))
        except OSError as error:
            raise RestoreFailed(f"cannot lock the diary ({_reason(error)})", None) from None
        revision = check_backup(backup_file)
        try:
            scratch_name = tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.restore-")
        except OSError as error:
            raise RestoreFailed(
                f"cannot write in {target.parent} ({error.strerror})", None
            ) from None
        scratch = Path(scratch_name)
        try:
            try:
                fresh, counts = _rebuild(backup_file, revision, scratch)
                kept = _keep_copy(target) if target.exists() else None
            except (OSError, sqlite3.Error, SQLAlchemyError) as error:
                raise RestoreFailed(
                    f"the restore could not be prepared ({_reason(error)})", None
                ) from None
            try:
                _swap(fresh, target, scratch, counts)
            except (OSError, sqlite3.Error, RestoreFailed) as error:
                raise RestoreFailed(
                    f"the restore could not be finished ({_reason(error)})", kept
                ) from None
        finally:
            _remove_scratch(scratch)
    return kept


def check_backup(path: Path) -> str:
    """Refuse anything that is not a sound calmcrown diary; return its schema revision."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        uri = path.resolve().as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            ok = connection.execute("PRAGMA quick_check").fetchone()
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            }
            revision = _revision(connection) if "alembic_version" in tables else None
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: not an SQLite database ({error})") from None
    if ok != ("ok",):
        raise BackupError(f"{path}: the database is damaged ({ok[0] if ok else 'no answer'})")
    missing = REQUIRED_TABLES - tables
    if missing:
        raise BackupError(f"{path}: not a calmcrown diary (no {', '.join(sorted(missing))} table)")
    if revision is None:
        raise BackupError(f"{path}: not a calmcrown diary (it names no schema revision)")
    if revision[0] not in known_revisions():
        raise BackupError(
            f"{path}: made by a newer calmcrown (schema {revision[0]}); "
            "update calmcrown before restoring it"
        )
    found = read_only_engine(path)
    try:
        with fresh_diary(revision[0]) as expected:
            refuse_unless_same(path, schema_of(found), schema_of(expected))
    except NotADiary as error:
        raise BackupError(str(error)) from None
    except SQLAlchemyError as error:
        raise BackupError(f"{path}: cannot read its schema ({error})") from None
    finally:
        found.dispose()
    return str(revision[0])


def _revision(connection: sqlite3.Connection) -> tuple[str] | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None  # not calmcrown's alembic_version table: refused with the others
    return None if row is None else (str(row[0]),)


def known_revisions() -> set[str]:
    """The schema revisions this calmcrown can open or upgrade from."""
    return {path.stem.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("*.py")}


def _rebuild(backup_file: Path, revision: str, scratch: Path) -> tuple[Path, dict[str, int]]:
    """A new diary in ``scratch`` holding every row of ``backup_file``, and its counts."""
    work, fresh = scratch / "backup.sqlite3", scratch / "diary.sqlite3"
    _copy(backup_file, work, read_only=True)
    source, target = create_diary_engine(_url(work)), create_diary_engine(_url(fresh))
    try:
        if revision != HEAD:
            upgrade(source)
        upgrade(target)
        # The upgraded copy must now be exactly what the migrations make at the head.
        refuse_unless_same(backup_file, schema_of(source), schema_of(target))
        _copy_rows(backup_file, source, target)
        counts = _counts(source)
        _verify(fresh, target, counts)
    except NotADiary as error:
        raise BackupError(str(error)) from None
    finally:
        source.dispose()
        target.dispose()
    return fresh, counts


def _copy_rows(backup_file: Path, source: Engine, target: Engine) -> None:
    """Every row of calmcrown's tables, through their definitions: a value the schema does
    not allow stops the copy, and the new diary is left unused."""
    table = None
    try:
        with source.connect() as reading, target.begin() as writing:
            for table in metadata.sorted_tables:
                rows = reading.execute(select(table)).mappings()
                while batch := rows.fetchmany(ROWS_PER_BATCH):
                    writing.execute(insert(table), [dict(row) for row in batch])
    except (SQLAlchemyError, ValueError, TypeError) as error:
        reason = getattr(error, "orig", None) or error
        where = f"a row of its {table.name} table" if table is not None else "a row"
        raise BackupError(f"{backup_file}: {where} breaks calmcrown's rules ({reason})") from None


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
        }


def _verify(path: Path, engine: Engine, counts: dict[str, int]) -> None:
    with engine.connect() as connection:
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if integrity != "ok" or orphans:
        raise RestoreFailed(f"the new diary did not pass SQLite's checks ({integrity})", None)
    if _counts(engine) != counts:
        raise RestoreFailed("the new diary did not receive every row", None)
    engine.dispose()
    # One self-contained file, its write-ahead log folded in, ready to be moved.
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")


def _keep_copy(target: Path) -> Path:
    saved = _new_file_beside(target, "before-restore")
    try:
        _copy(target, saved)
    except BaseException:
        saved.unlink(missing_ok=True)  # half a copy would only mislead
        raise
    return saved


def _swap(fresh: Path, target: Path, scratch: Path, counts: dict[str, int]) -> None:
    """Put ``fresh`` in ``target``'s place; on any failure, put the old diary back.

    The old diary's file stays reachable through a second name in ``scratch``, and its
    -wal and -shm (which hold its latest writes and belong to it alone) are moved aside
    with it: the new diary must not start with another file's write-ahead log.
    """
    old = scratch / "old-diary"
    had_old = target.exists()
    moved: list[tuple[Path, Path]] = []
    installed = False
    try:
        for suffix in SQLITE_COMPANIONS:
            companion = target.with_name(target.name + suffix)
            if os.path.lexists(companion):
                aside = scratch / f"old-diary{suffix}"
                os.replace(companion, aside)
                moved.append((aside, companion))
        if had_old:
            os.link(target, old)
        os.replace(fresh, target)
        installed = True
        sync_folder(target.parent)
        _check_installed(target, counts)
    except BaseException:
        if installed:
            for suffix in SQLITE_COMPANIONS:
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            if had_old:
                os.replace(old, target)
            else:
                target.unlink()
        for aside, companion in reversed(moved):
            os.replace(aside, companion)
        sync_folder(target.parent)
        raise


def _check_installed(target: Path, counts: dict[str, int]) -> None:
    with contextlib.closing(sqlite3.connect(target)) as connection:
        ok = connection.execute("PRAGMA quick_check").fetchone()
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        found = {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in counts
        }
    if ok != ("ok",) or revision != (HEAD,) or found != counts:
        raise RestoreFailed("the diary in place did not read back as written", None)


def _remove_scratch(scratch: Path) -> None:
    # What was set aside is no longer needed: the old diary is kept as a whole copy.
    shutil.rmtree(scratch, ignore_errors=True)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(getattr(error, "orig", None) or error)


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _new_file_beside(target: Path, label: str) -> Path:
    """A file next to ``target`` that did not exist before: never overwrites a copy."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        path = target.with_name(f"{target.stem}-{label}-{stamp}{suffix}{target.suffix}")
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
        except FileExistsError:
            continue
        return path
    raise RestoreFailed(f"too many copies named {target.stem}-{label}-{stamp}", None)


def _copy(source: Path, target: Path, *, read_only: bool = False) -> None:
    """Copy a diary page by page into ``target`` (an existing private file, or a new one
    made private), as one self-contained file. Raises sqlite3.Error."""
    if not target.exists():
        os.close(os.open(target, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    where = source.resolve().as_uri() + "?mode=ro" if read_only else str(source)
    with (
        contextlib.closing(sqlite3.connect(where, timeout=30, uri=read_only)) as reader,
        contextlib.closing(sqlite3.connect(target, timeout=30)) as writer,
    ):
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode = DELETE")
