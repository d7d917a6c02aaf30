from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from calmcrown.settings import Settings
from calmcrown.web.app import create_app
from tests.diary.conftest import database_url, postgres

__all__ = ["database_url", "postgres"]  # for diary_api: parametrised over both databases

ORIGIN = "http://127.0.0.1:8765"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'web.db'}")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url=ORIGIN) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient) -> TestClient:
    """A client that sends this app's Origin, as the app's own pages do."""
    client.headers["Origin"] = ORIGIN
    return client


@pytest.fixture
def diary_api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """``api`` over a diary on SQLite, then on PostgreSQL: for rules the database keeps."""
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url)
    with TestClient(create_app(settings), base_url=ORIGIN) as client:
        client.headers["Origin"] = ORIGIN
        yield client
