"""Opening the diary from the command line: settings, database, profile, errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from calmcrown.cli.errors import fail

if TYPE_CHECKING:
    from calmcrown.diary.store import DiaryStore
    from calmcrown.settings import Settings


def settings_from(ctx: typer.Context) -> Settings:
    """Settings from the environment, with ``--db`` taking precedence when given."""
    from pydantic import ValidationError

    from calmcrown.settings import Settings

    db = (ctx.find_root().obj or {}).get("db")
    try:
        return Settings(database_url=db) if db else Settings()
    except ValidationError as error:
        first = error.errors()[0]
        field = "--db" if db else f"CALMCROWN_{str(first['loc'][0]).upper()}"
        fail(f"{field}: {first['msg'].removeprefix('Value error, ')}")


def open_store(ctx: typer.Context, *, with_routines: bool = False) -> DiaryStore:
    """The diary, at the newest schema; ``with_routines`` checks routine ids on entry."""
    from sqlalchemy.exc import SQLAlchemyError

    from calmcrown.diary.engine import create_diary_engine
    from calmcrown.diary.private_files import tighten_folder
    from calmcrown.diary.schema import ensure_schema
    from calmcrown.diary.store import DiaryStore

    settings = settings_from(ctx)
    routines = None
    if with_routines:
        from calmcrown.catalog import load_catalog

        routines = frozenset(load_catalog().routines)
    where = _safe_url(settings.database)
    _hold_while_open(ctx, settings.database)
    try:
        if settings.data_dir.is_dir():
            # The data folder holds the diary: whatever its mode was, only its owner enters.
            tighten_folder(settings.data_dir)
        engine = create_diary_engine(settings.database)
        ensure_schema(engine)
        return DiaryStore(engine, settings.profile, routines=routines)
    except SQLAlchemyError as error:
        from calmcrown.cli.errors import DIARY_TROUBLE, TROUBLE_WORDS
        from calmcrown.diary.trouble import diary_trouble

        trouble = diary_trouble(error)
        if trouble is not None:  # a sound diary, locked by another program just now
            fail(TROUBLE_WORDS[trouble], DIARY_TROUBLE)
        reason = getattr(error, "orig", None) or error
        fail(f"cannot open the diary at {where}: {reason}", 1)
    except OSError as error:
        fail(f"cannot open the diary at {where}: {error.strerror} ({error.filename})", 1)
    except Exception as error:
        from alembic.util import CommandError

        if isinstance(error, CommandError):
            fail(f"the diary at {where} was made by a newer calmcrown ({error}); update it", 1)
        raise


def _hold_while_open(ctx: typer.Context, url: str) -> None:
    """Keep a restore from replacing the SQLite diary while this command has it open; the
    lock goes when the command ends (or its process does, however it ends)."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from calmcrown.diary.serving_lock import DiaryInUse, hold_while_open

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return  # restore works on SQLite files only
    try:
        lock = hold_while_open(Path(parsed.database).expanduser())
    except DiaryInUse as error:
        fail(str(error), 1)
    except OSError as error:
        fail(f"cannot open the diary at {_safe_url(url)}: {error.strerror} ({error.filename})", 1)
    ctx.call_on_close(lock.release)


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def report_name(store: DiaryStore, given: str | None) -> str:
    """The name a report prints at the top: the one given, else the profile's when someone
    chose one (the diary holds no name)."""
    if given:
        return given
    return "Name not given" if store.profile == "default" else f"Diary of {store.profile}"
