"""Every diary test runs twice: on SQLite (a file in tmp_path) and on PostgreSQL (a fresh
database in a throwaway cluster that the test session starts and stops itself)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from calmcrown.catalog import load_catalog
from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.schema import ensure_schema
from calmcrown.diary.store import DiaryStore
from tests.pg_cluster import PostgresCluster, start_cluster

# A fixed "today" so that date rules (nothing more than a day ahead) are reproducible.
TODAY = dt.date(2026, 11, 22)
_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'diary.sqlite3'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    name = f"diary_{next(_numbers)}"
    url = cluster.create_database(name)
    try:
        yield url
    finally:
        cluster.drop_database(name)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_diary_engine(database_url)
    ensure_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def make_store(engine: Engine) -> Callable[..., DiaryStore]:
    routines = frozenset(load_catalog().routines)

    def make(profile: str = "alice", today: dt.date = TODAY) -> DiaryStore:
        return DiaryStore(engine, profile, today=lambda: today, routines=routines)

    return make


@pytest.fixture
def store(make_store: Callable[..., DiaryStore]) -> DiaryStore:
    """Alice's diary: alice owns it; bob, in the same database, must never see it."""
    return make_store("alice")
