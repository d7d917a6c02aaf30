"""Alembic environment for the diary. Run through calmcrown.diary.schema, never by hand."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from calmcrown.diary.tables import metadata

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # Only `alembic revision --autogenerate` against a scratch database gets here.
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
        with engine.begin() as fresh:
            _run(fresh)
        return
    _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
