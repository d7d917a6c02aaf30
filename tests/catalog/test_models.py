from __future__ import annotations

import pytest
from pydantic import ValidationError

from calmcrown.catalog import Flag, Pressure, Technique, Verdict


def test_pressure_orders_from_light_to_moderate() -> None:
    assert Pressure.LIGHT < Pressure.MILD < Pressure.MODERATE
    assert min(Pressure.MODERATE, Pressure.LIGHT) is Pressure.LIGHT
    assert sorted(Pressure, reverse=True)[0] is Pressure.MODERATE


def _technique(**changes: object) -> Technique:
    fields: dict[str, object] = {
        "id": "demo",
        "name": "Demo",
        "region": "scalp",
        "steps": ["Do it."],
        "pressure": ["light", "mild"],
        "usual_seconds": 60,
        "min_seconds": 20,
        "max_seconds": 120,
        "both_sides": False,
        "source": "seed-000",
        "evidence": "None.",
    }
    return Technique.model_validate(fields | changes)


def test_a_pressure_range_cannot_run_backwards() -> None:
    with pytest.raises(ValidationError, match="runs backwards"):
        _technique(pressure=["moderate", "light"])


def test_minimum_cannot_exceed_usual_length() -> None:
    with pytest.raises(ValidationError, match="longer than usual_seconds"):
        _technique(min_seconds=90)


@pytest.mark.parametrize(
    ("usual", "shortest", "longest"),
    [(60, 20, 59), (60, 35, 69)],
    ids=["shorter than usual", "shorter than twice the minimum"],
)
def test_maximum_leaves_room_for_the_usual_length_and_a_second_round(
    usual: int, shortest: int, longest: int
) -> None:
    with pytest.raises(ValidationError, match="max_seconds"):
        _technique(usual_seconds=usual, min_seconds=shortest, max_seconds=longest)


def test_a_technique_without_a_maximum_is_refused() -> None:
    fields = _technique().model_dump()
    del fields["max_seconds"]
    with pytest.raises(ValidationError, match="max_seconds"):
        Technique.model_validate(fields)


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ValidationError, match="region"):
        _technique(region="elbow")


def _flag(**changes: object) -> Flag:
    fields: dict[str, object] = {
        "id": "demo",
        "level": "see_doctor",
        "question": "Is it so?",
        "message": "See a doctor.",
        "source": "seed-000",
    }
    return Flag.model_validate(fields | changes)


def test_a_lasting_flag_says_what_a_doctors_check_changes() -> None:
    lasting = {"lasting": True, "short": "a demo"}
    with pytest.raises(ValidationError, match="lasting flag needs once_checked"):
        _flag(**lasting)
    with pytest.raises(ValidationError, match="only a lasting see-doctor flag can be cleared"):
        _flag(once_checked={"message": "Fine."})
    with pytest.raises(ValidationError, match="has short words"):
        _flag(lasting=True, once_checked={"message": "Fine."})
    with pytest.raises(ValidationError, match="it cannot be lasting"):
        _flag(level="emergency", **lasting)
    cleared = _flag(**lasting, once_checked={"message": "Go gently.", "max_pressure": "light"})
    assert cleared.cleared().level is Verdict.ADAPT
    assert cleared.cleared().max_pressure is Pressure.LIGHT
    assert _flag(**lasting, once_checked={"message": "Fine."}).cleared().level is Verdict.CLEAR
