from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from calmcrown.web.collector import CollectorPause


@pytest.fixture(autouse=True)
def collector_as_it_was() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_waits_until_the_last_of_two_imports_at_once_has_ended() -> None:
    gc.enable()
    pause = CollectorPause()
    first, second = pause.during(), pause.during()
    first.__enter__()
    assert not gc.isenabled()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled(), "the second import is still running"
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_already_off_stays_off_and_an_error_still_ends_the_pause() -> None:
    pause = CollectorPause()
    gc.disable()
    with pause.during():
        assert not gc.isenabled()
    assert not gc.isenabled(), "it was off before: it stays off"
    gc.enable()
    with pytest.raises(ValueError), pause.during():
        raise ValueError("an import that fails halfway")
    assert gc.isenabled()
