from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine

from calmcrown.catalog import Catalog, load_catalog
from calmcrown.catalog.loader import DEFAULT_CONTENT_DIR
from tests.run_date import RUN_DATE

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


@pytest.fixture(autouse=True)
def noon_of_the_run_date(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts at noon (local time) of the date the run began, and the clock runs
    on from there. A test's "today" is then the same in its set-up, in the app and in its
    checks, however late in the evening the run happens to be.

    A test marked ``real_clock`` keeps the real one: it starts another process that writes
    "today" by the real clock, and reads it back in this one."""
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    noon = dt.datetime.combine(RUN_DATE, dt.time(12)).astimezone()
    with time_machine.travel(noon, tick=True):
        yield
