"""The floor of calmcrown's diary libraries: import Typer, SQLAlchemy and pydantic, check
one value with a pydantic model, and insert one row into SQLite in a transaction."""

import datetime
import sys

import pydantic
import sqlalchemy as sa
import typer  # noqa: F401  (imported, as calmcrown's command line imports it)


class Day(pydantic.BaseModel):
    date: datetime.date
    intensity: int


metadata = sa.MetaData()
days = sa.Table(
    "days",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, unique=True),
    sa.Column("intensity", sa.Integer),
)

engine = sa.create_engine(f"sqlite:///{sys.argv[1]}")
metadata.create_all(engine)
day = Day(date=datetime.date(2026, 11, 22), intensity=int(sys.argv[2]))
with engine.begin() as connection:
    connection.execute(sa.delete(days).where(days.c.date == day.date))
    connection.execute(sa.insert(days).values(**day.model_dump()))
