from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from calmcrown.settings import Settings
from calmcrown.web.app import create_app

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
