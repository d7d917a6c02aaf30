from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from calmcrown.catalog import Catalog, load_catalog
from calmcrown.catalog.loader import DEFAULT_CONTENT_DIR

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged content, for tests that break it on purpose."""
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, target)
    return target


@pytest.fixture(autouse=True)
def private_diary(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test, and every process it starts, writes to a diary of its own, never the
    real one in the user's data directory."""
    data_dir = tmp_path_factory.mktemp("calmcrown-data")
    monkeypatch.setenv("CALMCROWN_DATA_DIR", str(data_dir))
    monkeypatch.delenv("CALMCROWN_DATABASE_URL", raising=False)
    monkeypatch.delenv("CALMCROWN_PROFILE", raising=False)
    return data_dir
