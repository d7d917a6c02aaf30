from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calmcrown.catalog import Catalog, PhaseName, Pressure, Region, Technique, load_catalog
from calmcrown.planner import (
    REST_MIN_SECONDS,
    CueKind,
    Plan,
    PlanError,
    fitting_routines,
    plan_session,
)
from calmcrown.screening import Adaptations, Answers, screen

CATALOG = load_catalog()
ADAPT_FLAGS = sorted(f.id for f in CATALOG.safety.flags.values() if f.level == "adapt")


def _min_seconds(catalog: Catalog, move_id: str) -> int:
    move = catalog.move(move_id)
    return move.min_seconds if isinstance(move, Technique) else REST_MIN_SECONDS


def assert_well_formed(catalog: Catalog, plan: Plan, minutes: int, adapt: Adaptations) -> None:
    """The properties every plan keeps, whatever the routine, minutes and adaptations."""
    total = minutes * 60
    assert plan.total_seconds == total
    phases = {phase.name: phase.seconds for phase in plan.phases}
    assert [phase.name for phase in plan.phases] == list(PhaseName)
    assert sum(phases.values()) == total
    assert phases[PhaseName.AFTER] >= 0.15 * total
    assert phases[PhaseName.SETTLE] >= 0.10 * total
    clock = 0
    for step in plan.steps:
        assert step.start_s == clock, "steps follow each other with no gap or overlap"
        assert step.seconds >= _min_seconds(catalog, step.move), f"{step.move} rushed"
        if step.region is not None:
            assert step.region not in adapt.excluded_regions
            assert step.pressure is not None and step.pressure <= adapt.max_pressure
        clock = step.end_s
    assert clock == total
    for phase in plan.phases:
        inside = [s for s in plan.steps if s.phase is phase.name]
        assert sum(s.seconds for s in inside) == phase.seconds
    times = [cue.at_s for cue in plan.cues]
    assert times == sorted(times)
    assert all(0 <= t <= total for t in times)
    switches = {cue.at_s for cue in plan.cues if cue.kind is CueKind.SWITCH}
    for step in plan.steps:
        if step.both_sides:
            assert any(step.start_s < t < step.end_s for t in switches), f"no switch in {step}"
    kinds = [cue.kind for cue in plan.cues]
    assert kinds.count(CueKind.HALFWAY) == 1 and kinds[-1] is CueKind.END
    assert kinds.count(CueKind.STEP) == len(plan.steps)


@st.composite
def routine_and_minutes(draw: st.DrawFn) -> tuple[str, int]:
    routine = draw(st.sampled_from(sorted(CATALOG.routines)))
    spec = CATALOG.routines[routine]
    return routine, draw(st.integers(spec.shortest_minutes, spec.longest_minutes))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routine_and_minutes(), st.booleans())
def test_every_routine_fits_every_minute_of_its_range(
    choice: tuple[str, int], partner: bool
) -> None:
    routine, minutes = choice
    plan = plan_session(CATALOG, routine, minutes, partner_mode=partner)
    assert_well_formed(CATALOG, plan, minutes, Adaptations())


@settings(max_examples=300, deadline=None)
@given(routine_and_minutes(), st.sets(st.sampled_from(ADAPT_FLAGS), max_size=3))
def test_adapted_plans_keep_every_limit(choice: tuple[str, int], flags: set[str]) -> None:
    routine, minutes = choice
    adapt = screen(CATALOG.safety, Answers(frozenset(flags))).adaptations
    try:
        plan = plan_session(CATALOG, routine, minutes, adapt)
    except PlanError as error:
        assert "try" in str(error) or "no routine fits" in str(error)
        return
    expected = min(minutes, adapt.max_minutes or minutes)
    assert_well_formed(CATALOG, plan, expected, adapt)


def test_scaling_keeps_the_phases_in_proportion(catalog: Catalog) -> None:
    routine = catalog.routine("dedicated")
    plan = plan_session(catalog, "dedicated", 60)
    for phase in plan.phases:
        native = routine.phase_seconds(phase.name) / routine.total_seconds
        assert phase.seconds / plan.total_seconds == pytest.approx(native, abs=0.01)


def test_short_time_drops_low_priority_steps_instead_of_rushing(catalog: Catalog) -> None:
    routine = catalog.routine("dedicated")
    full = plan_session(catalog, "dedicated")
    short = plan_session(catalog, "dedicated", routine.shortest_minutes)
    assert len(short.steps) < len(full.steps)
    assert any("unhurried" in note for note in short.notes)
    kept = {s.move for s in short.steps}
    core = {s.do for s in routine.practice if s.priority == 1}
    assert core <= kept, "the routine's core steps are the last to go"


def test_too_short_names_a_routine_that_fits(catalog: Catalog) -> None:
    with pytest.raises(PlanError) as caught:
        plan_session(catalog, "dedicated", 5)
    message = str(caught.value)
    assert "needs at least" in message
    suggested = message.split("try '")[1].split("'")[0]
    plan = plan_session(catalog, suggested, 5)
    assert plan.total_seconds == 300


def test_minutes_outside_5_to_60_are_refused(catalog: Catalog) -> None:
    for minutes in (4, 61, 0):
        with pytest.raises(PlanError, match="from 5 to 60"):
            plan_session(catalog, "evening", minutes)


def test_excluded_regions_leave_no_steps(catalog: Catalog) -> None:
    adapt = Adaptations(excluded_regions=frozenset({Region.NECK_SHOULDERS, Region.SCALP}))
    plan = plan_session(catalog, "evening", 10, adapt)
    regions = {s.region for s in plan.steps}
    assert not regions & adapt.excluded_regions
    assert any("Left out" in note for note in plan.notes)


def test_nothing_left_suggests_a_routine_that_avoids_those_regions(catalog: Catalog) -> None:
    adapt = Adaptations(excluded_regions=frozenset({Region.FEET}))
    with pytest.raises(PlanError) as caught:
        plan_session(catalog, "feet", 15, adapt)
    message = str(caught.value)
    assert "without the feet" in message
    suggested = message.split("try '")[1].split("'")[0]
    assert Region.FEET not in catalog.regions_of(catalog.routine(suggested))


def test_light_cap_never_plans_firmer_pressure(catalog: Catalog) -> None:
    thinners = screen(catalog.safety, Answers(frozenset({"blood_thinners"}))).adaptations
    for routine in catalog.routines:
        try:
            plan = plan_session(catalog, routine, adaptations=thinners)
        except PlanError:
            continue
        pressures = {s.pressure for s in plan.steps if s.pressure is not None}
        assert pressures <= {Pressure.LIGHT}, routine


def test_no_oil_adaptation_is_in_the_plan(catalog: Catalog) -> None:
    oily = next(r.id for r in catalog.routines.values() if r.oil)
    assert plan_session(catalog, oily).oil
    plan = plan_session(catalog, oily, adaptations=Adaptations(no_oil=True))
    assert not plan.oil
    assert any("No oil" in note for note in plan.notes)


def test_pregnancy_skips_traditionally_avoided_points(catalog: Catalog) -> None:
    adapt = screen(catalog.safety, Answers(frozenset({"pregnancy"}))).adaptations
    plan = plan_session(catalog, "feet", adaptations=adapt)
    for step in plan.steps:
        move = catalog.move(step.move)
        assert not (isinstance(move, Technique) and move.pregnancy_avoid)


def test_aura_keeps_the_session_short(catalog: Catalog) -> None:
    adapt = screen(catalog.safety, Answers(frozenset({"aura_now"}))).adaptations
    assert adapt.max_minutes is not None
    plan = plan_session(catalog, "evening", 30, adapt)
    assert plan.total_seconds == adapt.max_minutes * 60
    assert any("Kept to" in note for note in plan.notes)


def test_partner_mode_adds_pressure_checks(catalog: Catalog) -> None:
    alone = plan_session(catalog, "partner", partner_mode=False)
    together = plan_session(catalog, "partner")
    assert together.partner_mode
    assert not any(c.kind is CueKind.PRESSURE_CHECK for c in alone.cues)
    assert any(c.kind is CueKind.PRESSURE_CHECK for c in together.cues)


def test_unknown_routine_names_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(LookupError, match="evening"):
        plan_session(catalog, "evenin")


def test_fitting_routines_for_five_minutes(catalog: Catalog) -> None:
    fits = fitting_routines(catalog, 5)
    assert fits and fits[0] == "quick"
