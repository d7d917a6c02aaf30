"""Starting an attack with one tap: one episode, however often or from wherever it is tapped."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from calmcrown.diary.attacks import start_attack
from calmcrown.diary.store import DiaryStore
from tests.diary.conftest import TODAY

NOW = dt.datetime.combine(TODAY, dt.time(14, 5, 37, 120))


def test_a_tap_starts_an_episode_this_minute_with_nothing_else_recorded(
    store: DiaryStore,
) -> None:
    recorded, started = start_attack(store, NOW)
    assert started and recorded.id.startswith("h")
    [going] = store.headaches()
    assert going.id == recorded.id
    assert going.entry.started_at == dt.datetime.combine(TODAY, dt.time(14, 5))
    assert going.entry.ongoing and going.entry.peak is None and going.entry.location == []


def test_a_second_tap_finds_the_episode_still_going(store: DiaryStore) -> None:
    first, _ = start_attack(store, NOW)
    again, started = start_attack(store, NOW + dt.timedelta(minutes=3))
    assert not started and again.id == first.id
    assert len(store.headaches()) == 1


def test_once_it_has_ended_the_next_tap_starts_another(store: DiaryStore) -> None:
    first, _ = start_attack(store, NOW)
    store.edit(first.id, {"ended_at": NOW + dt.timedelta(hours=2)})
    second, started = start_attack(store, NOW + dt.timedelta(hours=5))
    assert started and second.id != first.id
    assert [h.entry.ongoing for h in store.headaches()] == [False, True]


def test_an_episode_going_in_another_profile_starts_nothing_here(
    make_store: Callable[..., DiaryStore],
) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    start_attack(bob, NOW)
    _, started = start_attack(alice, NOW)
    assert started and len(alice.headaches()) == 1 and len(bob.headaches()) == 1


def test_two_taps_at_once_make_one_episode(make_store: Callable[..., DiaryStore]) -> None:
    phone, laptop = make_store("alice"), make_store("alice")
    together = threading.Barrier(2)
    results: list[bool] = []

    def tap(store: DiaryStore) -> None:
        together.wait()
        results.append(start_attack(store, NOW)[1])

    threads = [threading.Thread(target=tap, args=(s,)) for s in (phone, laptop)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert len(phone.headaches()) == 1
