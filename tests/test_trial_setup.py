"""Which arms a new trial offers: those with a routine that fits who massages and what
the last safety check said lasts."""

from __future__ import annotations

from pathlib import Path

from calmcrown.catalog import Audience, Catalog, Region
from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.records import SessionEntry
from calmcrown.diary.schema import ensure_schema
from calmcrown.diary.store import DiaryStore
from calmcrown.planner import routines_for
from calmcrown.screening import Adaptations
from calmcrown.trial_setup import fitting_arms, lasting_adaptations


def test_feet_fit_only_a_giver_with_a_foot_routine_and_feet_to_massage(catalog: Catalog) -> None:
    partner = routines_for(Audience.PARTNER)
    assert fitting_arms(catalog, Adaptations(), partner) == ["head", "feet", "none"]
    assert fitting_arms(catalog, Adaptations(), routines_for(Audience.SELF)) == ["head", "none"]
    no_feet = Adaptations(excluded_regions=frozenset({Region.FEET}))
    assert fitting_arms(catalog, no_feet, partner) == ["head", "none"]


def test_only_the_lasting_answers_of_the_last_check_count(catalog: Catalog,
                                                          tmp_path: Path) -> None:  # fmt: skip
    engine = create_diary_engine(f"sqlite:///{tmp_path / 'd.db'}")
    ensure_schema(engine)
    store = DiaryStore(engine, "default", routines=frozenset(catalog.routines))
    today = store.today()
    assert lasting_adaptations(store, catalog, today) == Adaptations()
    # A foot wound is today's answer, not a lasting one: the next trial may use feet.
    for reasons in (["foot_wound_or_infection"], ["leg_clot_history"]):
        session = {"date": today, "routine": "partner", "seconds": 600, "verdict": "adapt",
                   "reasons": reasons}  # fmt: skip
        store.add_session(store.validate(SessionEntry, session))
        excluded = lasting_adaptations(store, catalog, today).excluded_regions
        assert (Region.FEET in excluded) == (reasons == ["leg_clot_history"])
