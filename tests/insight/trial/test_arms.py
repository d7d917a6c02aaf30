from __future__ import annotations

import datetime as dt

import pytest

from calmcrown.catalog import Catalog, Region, load_catalog
from calmcrown.diary.records import SessionEntry
from calmcrown.insight.trial.analysis import TrialSession
from calmcrown.insight.trial.arms import arm_of_routines, routines_of_arm, trial_sessions


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_each_routine_belongs_to_the_arm_of_its_regions(catalog: Catalog) -> None:
    arms = arm_of_routines(catalog)
    assert set(arms) == set(catalog.routines)
    for routine_id, arm in arms.items():
        regions = set(catalog.regions_of(catalog.routines[routine_id]))
        if arm == "feet":
            assert regions == {Region.FEET}
        elif arm == "head":
            assert Region.FEET not in regions
        else:
            assert Region.FEET in regions and len(regions) > 1


def test_both_massage_arms_have_routines_and_none_has_none(catalog: Catalog) -> None:
    assert routines_of_arm(catalog, "head")
    assert routines_of_arm(catalog, "feet")
    assert routines_of_arm(catalog, "none") == []


def test_sessions_carry_their_arm_and_a_safety_stop() -> None:
    day = dt.date(2026, 2, 2)
    sessions = [
        SessionEntry(date=day, routine="feet", seconds=600, pain_before=5, pain_after=3),
        SessionEntry(date=day, routine="gone", seconds=0, outcome="stopped_by_screening"),
    ]
    assert trial_sessions(sessions, {"feet": "feet"}) == [
        TrialSession(day, "feet", 5, 3),
        TrialSession(day, None, None, None, stopped_by_screening=True),
    ]
