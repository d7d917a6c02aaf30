from __future__ import annotations

import pytest
from pydantic import ValidationError

from calmcrown.catalog import Pressure, Technique


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


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ValidationError, match="region"):
        _technique(region="elbow")
