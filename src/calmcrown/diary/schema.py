"""Bring a diary database to the newest schema, with Alembic, before it is used.

Alembic is imported only when a database is behind: the everyday check reads one row
from ``alembic_version``, which keeps ``calmcrown log day`` quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest revision in migrations/versions; a test checks the two agree.
HEAD = "0004"
# An arbitrary constant naming "calmcrown's schema" among PostgreSQL advisory locks.
MIGRATION_LOCK = 0x63616C6D


def current_revision(connection: Connection) -> str | None:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema unless it is already at HEAD."""
    with engine.connect() as connection:
        if current_revision(connection) == HEAD:
            return
    upgrade(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    # One transaction: on SQLite it starts with BEGIN IMMEDIATE, so two processes that
    # open a new diary at the same moment take turns and the second finds it done.
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # PostgreSQL has no BEGIN IMMEDIATE: an advisory lock makes the turns instead.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), revision)
