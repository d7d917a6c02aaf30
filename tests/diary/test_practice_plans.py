from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from calmcrown.diary.practice_plans import load_practice_plan, save_practice_plan
from calmcrown.diary.store import DiaryStore
from calmcrown.practice_calendar import PlanError, PracticePlan


def test_a_plan_is_saved_replaced_and_kept_per_profile(
    make_store: Callable[..., DiaryStore],
) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    assert load_practice_plan(alice) is None
    plan = PracticePlan(sessions_per_week=3, days=("mon", "wed", "fri"), time=dt.time(20, 0))
    save_practice_plan(alice, plan)
    assert load_practice_plan(alice) == plan
    later = PracticePlan(
        sessions_per_week=4, days=("tue",), time=dt.time(7, 30), minutes=20, routine="feet",
        reminder_minutes=0,
    )  # fmt: skip
    save_practice_plan(alice, later)
    assert load_practice_plan(alice) == later
    assert load_practice_plan(bob) is None


def test_a_bad_plan_is_refused_and_nothing_changes(store: DiaryStore) -> None:
    good = PracticePlan(sessions_per_week=3, days=(), time=dt.time(20, 0))
    save_practice_plan(store, good)
    with pytest.raises(PlanError, match="sessions_per_week"):
        save_practice_plan(store, PracticePlan(sessions_per_week=0, days=(), time=dt.time(9)))
    assert load_practice_plan(store) == good
