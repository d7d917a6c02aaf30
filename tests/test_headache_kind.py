"""Headache tags follow the ICHD-3 rules, treat a gap as unknown, and never claim to diagnose."""

from __future__ import annotations

import ast
import dataclasses
import sys
from typing import Any

import pytest

from calmcrown.headache_kind import HeadacheFeatures, HeadacheTag, explain_tag, tag_headache
from tests.conftest import REPO
from tests.test_claims import PATTERN as PROMISES_TOO_MUCH

MODULE = REPO / "src" / "calmcrown" / "headache_kind.py"

TENSION = HeadacheTag.TENSION_LIKE
MIGRAINE = HeadacheTag.MIGRAINE_LIKE
UNCLEAR = HeadacheTag.UNCLEAR

NOTHING = HeadacheFeatures(
    duration_hours=None,
    ongoing=False,
    peak=None,
    side=None,
    quality=None,
    worse_with_activity=None,
    nausea=None,
    vomiting=None,
    light_sensitivity=None,
    sound_sensitivity=None,
    aura=None,
)


def episode(**recorded: Any) -> HeadacheFeatures:
    """An episode with only these features recorded; everything else left as None."""
    return dataclasses.replace(NOTHING, **recorded)


# Typical pictures, reused below with one thing changed.
TYPICAL_TENSION: dict[str, Any] = {
    "duration_hours": 3.0,
    "side": "both",
    "quality": "pressing",
    "peak": 4,
    "worse_with_activity": False,
    "nausea": False,
    "vomiting": False,
    "light_sensitivity": True,
    "sound_sensitivity": False,
}
TYPICAL_MIGRAINE: dict[str, Any] = {
    "duration_hours": 12.0,
    "side": "left",
    "quality": "pulsating",
    "peak": 8,
    "worse_with_activity": True,
    "nausea": True,
    "vomiting": False,
    "light_sensitivity": True,
    "sound_sensitivity": True,
    "aura": False,
}
# Enough character and one symptom but no duration: each case adds the duration it tests.
MIGRAINE_CHARACTER: dict[str, Any] = {
    "side": "right",
    "quality": "pulsating",
    "peak": 7,
    "nausea": True,
}
TENSION_CHARACTER: dict[str, Any] = {"side": "both", "quality": "pressing", "peak": 3}

CASES = [
    pytest.param(episode(**TYPICAL_TENSION), TENSION, id="typical tension"),
    pytest.param(
        episode(duration_hours=2, **TENSION_CHARACTER),
        TENSION,
        id="tension with only two features recorded",
    ),
    pytest.param(
        episode(duration_hours=3, side="both", worse_with_activity=False),
        TENSION,
        id="tension, not worse with activity counts",
    ),
    pytest.param(
        episode(duration_hours=3, side="both", worse_with_activity=None),
        UNCLEAR,
        id="activity not recorded is not a no",
    ),
    pytest.param(
        episode(duration_hours=5, side="both", peak=6),
        TENSION,
        id="tension, peak 6 is still moderate",
    ),
    pytest.param(
        episode(duration_hours=5, side="both", peak=7), UNCLEAR, id="peak 7 is severe, not tension"
    ),
    pytest.param(
        episode(duration_hours=2, sound_sensitivity=True, **TENSION_CHARACTER),
        TENSION,
        id="tension, sound sensitivity alone allowed",
    ),
    pytest.param(
        episode(duration_hours=0.5, **TENSION_CHARACTER), TENSION, id="tension, exactly 30 minutes"
    ),
    pytest.param(
        episode(duration_hours=168, **TENSION_CHARACTER), TENSION, id="tension, exactly 7 days"
    ),
    pytest.param(
        episode(duration_hours=170, **TENSION_CHARACTER), UNCLEAR, id="longer than 7 days"
    ),
    pytest.param(episode(**TENSION_CHARACTER), TENSION, id="tension, duration not recorded"),
    pytest.param(episode(**TYPICAL_MIGRAINE), MIGRAINE, id="typical migraine without aura"),
    pytest.param(
        episode(
            duration_hours=6,
            side="right",
            quality="pulsating",
            peak=7,
            nausea=False,
            light_sensitivity=True,
            sound_sensitivity=True,
        ),
        MIGRAINE,
        id="migraine by light and sound, no nausea",
    ),
    pytest.param(
        episode(duration_hours=6, side="left", worse_with_activity=True, vomiting=True),
        MIGRAINE,
        id="migraine by vomiting alone",
    ),
    pytest.param(
        episode(duration_hours=5, side="left", peak=4, nausea=True),
        MIGRAINE,
        id="migraine, peak 4 is moderate",
    ),
    pytest.param(
        episode(duration_hours=5, side="left", peak=3, nausea=True),
        UNCLEAR,
        id="peak 3 is mild, not migraine",
    ),
    pytest.param(
        episode(duration_hours=4, **MIGRAINE_CHARACTER), MIGRAINE, id="migraine, exactly 4 hours"
    ),
    pytest.param(
        episode(duration_hours=72, **MIGRAINE_CHARACTER), MIGRAINE, id="migraine, exactly 72 hours"
    ),
    pytest.param(
        episode(duration_hours=3.5, **MIGRAINE_CHARACTER),
        UNCLEAR,
        id="3.5 hours is too short for migraine",
    ),
    pytest.param(
        episode(**{**TYPICAL_MIGRAINE, "duration_hours": 80}),
        UNCLEAR,
        id="80 hours one-sided pulsating is not migraine",
    ),
    pytest.param(
        episode(
            duration_hours=6,
            side="left",
            quality="pulsating",
            peak=5,
            light_sensitivity=True,
            nausea=False,
        ),
        UNCLEAR,
        id="migraine character without its symptoms",
    ),
    pytest.param(
        episode(duration_hours=6, side="left", nausea=True),
        UNCLEAR,
        id="one migraine feature is too little",
    ),
    pytest.param(episode(duration_hours=1, aura=True, peak=5), MIGRAINE, id="migraine with aura"),
    pytest.param(
        episode(**{**TYPICAL_TENSION, "aura": True}), MIGRAINE, id="aura wins over tension features"
    ),
    pytest.param(
        episode(duration_hours=1 / 6, aura=True), MIGRAINE, id="aura with a 10-minute headache"
    ),
    pytest.param(
        episode(**{**TYPICAL_TENSION, "aura": False}), TENSION, id="aura False changes nothing"
    ),
    pytest.param(
        episode(
            duration_hours=5,
            side="left",
            quality="pressing",
            peak=5,
            worse_with_activity=True,
            nausea=True,
        ),
        MIGRAINE,
        id="both character lists met, nausea: migraine",
    ),
    pytest.param(
        episode(**{**TYPICAL_TENSION, "vomiting": True}), UNCLEAR, id="vomiting excludes tension"
    ),
    pytest.param(
        episode(**{**TYPICAL_TENSION, "sound_sensitivity": True}),
        UNCLEAR,
        id="light and sound exclude tension",
    ),
    pytest.param(
        episode(**{**TYPICAL_TENSION, "nausea": True}), UNCLEAR, id="nausea excludes tension"
    ),
    pytest.param(
        episode(duration_hours=1 / 6, **TENSION_CHARACTER), UNCLEAR, id="short 10-minute headache"
    ),
    pytest.param(
        episode(duration_hours=0.25, **MIGRAINE_CHARACTER),
        UNCLEAR,
        id="short headache with migraine features",
    ),
    pytest.param(NOTHING, UNCLEAR, id="nothing recorded"),
    pytest.param(episode(ongoing=True), UNCLEAR, id="nothing recorded, still ongoing"),
    pytest.param(
        episode(ongoing=True, **MIGRAINE_CHARACTER),
        MIGRAINE,
        id="ongoing, duration unknown, migraine",
    ),
    pytest.param(
        episode(ongoing=True, duration_hours=5, **MIGRAINE_CHARACTER),
        MIGRAINE,
        id="ongoing 5 hours, migraine",
    ),
    pytest.param(
        episode(ongoing=True, duration_hours=2, **MIGRAINE_CHARACTER),
        UNCLEAR,
        id="ongoing 2 hours is too early for migraine",
    ),
    pytest.param(
        episode(ongoing=True, duration_hours=80, **MIGRAINE_CHARACTER),
        UNCLEAR,
        id="ongoing 80 hours is already too long",
    ),
    pytest.param(
        episode(ongoing=True, duration_hours=1, **TENSION_CHARACTER),
        TENSION,
        id="ongoing 1 hour, tension",
    ),
    pytest.param(
        episode(ongoing=True, duration_hours=0.25, **TENSION_CHARACTER),
        UNCLEAR,
        id="ongoing 15 minutes is too early",
    ),
    pytest.param(
        episode(ongoing=True, **TENSION_CHARACTER), TENSION, id="ongoing, duration unknown, tension"
    ),
]


@pytest.mark.parametrize(("features", "expected"), CASES)
def test_tag_follows_the_rules(features: HeadacheFeatures, expected: HeadacheTag) -> None:
    assert tag_headache(features) is expected


@pytest.mark.parametrize("features", [pytest.param(case.values[0], id=case.id) for case in CASES])
def test_explanation_is_one_sentence_that_starts_with_the_tag_and_is_no_diagnosis(
    features: HeadacheFeatures,
) -> None:
    sentence = explain_tag(features)
    label = tag_headache(features).value.capitalize()
    assert sentence.startswith(f"{label}: ")
    assert sentence.endswith("; a tag, not a diagnosis.")
    assert sentence.count(".") == 1, "one sentence, no stray full stops"
    assert sentence.lower().count("diagnos") == sentence.count("not a diagnosis") == 1
    assert not PROMISES_TOO_MUCH.search(sentence)


def test_tension_explanation_names_the_features_used() -> None:
    assert explain_tag(episode(**TYPICAL_TENSION)) == (
        "Tension-like: pressing, on both sides, moderate (4 of 10), not worse with activity; "
        "a tag, not a diagnosis."
    )


def test_tension_explanation_leaves_out_what_did_not_count() -> None:
    sentence = explain_tag(episode(**TYPICAL_TENSION))
    # Light sensitivity was recorded but is allowed, not evidence for tension-like.
    assert "light" not in sentence


def test_mild_peak_is_called_mild() -> None:
    sentence = explain_tag(episode(duration_hours=2, **TENSION_CHARACTER))
    assert (
        sentence == "Tension-like: pressing, on both sides, mild (3 of 10); a tag, not a diagnosis."
    )


def test_migraine_explanation_names_the_features_used() -> None:
    assert explain_tag(episode(**TYPICAL_MIGRAINE)) == (
        "Migraine-like: on the left side, pulsating, severe (8 of 10), worse with activity, "
        "with nausea, sensitive to light and sound; a tag, not a diagnosis."
    )


def test_light_alone_is_not_named_for_migraine() -> None:
    features = episode(duration_hours=6, light_sensitivity=True, **MIGRAINE_CHARACTER)
    sentence = explain_tag(features)
    assert sentence.startswith("Migraine-like: ")
    assert "nausea" in sentence
    assert "light" not in sentence


def test_aura_is_named_first() -> None:
    sentence = explain_tag(episode(**{**TYPICAL_TENSION, "aura": True}))
    assert sentence.startswith("Migraine-like: with aura")
    assert "pressing" not in sentence, "tension features do not explain a migraine-like tag"


def test_short_headache_explains_it_was_too_short() -> None:
    assert explain_tag(episode(duration_hours=1 / 6, **TENSION_CHARACTER)) == (
        "Unclear: under 30 minutes, too short to tag; a tag, not a diagnosis."
    )
    ongoing = explain_tag(episode(ongoing=True, duration_hours=0.25, **TENSION_CHARACTER))
    assert "under 30 minutes so far" in ongoing


def test_nothing_recorded_says_too_little_was_recorded() -> None:
    sentence = explain_tag(NOTHING)
    assert sentence.startswith("Unclear: too little recorded to tell")


def test_unclear_explains_why_each_kind_does_not_fit() -> None:
    sentence = explain_tag(episode(**{**TYPICAL_MIGRAINE, "duration_hours": 80}))
    assert sentence == (
        "Unclear: not migraine-like (longer than 72 hours), not tension-like (nausea and "
        "sensitivity to both light and sound); a tag, not a diagnosis."
    )


def test_unclear_names_every_exclusion() -> None:
    features = episode(**{**TYPICAL_TENSION, "vomiting": True, "sound_sensitivity": True})
    sentence = explain_tag(features)
    assert "vomiting and sensitivity to both light and sound" in sentence


def test_ongoing_too_early_for_migraine_says_so() -> None:
    sentence = explain_tag(episode(ongoing=True, duration_hours=2, **MIGRAINE_CHARACTER))
    assert "not migraine-like (under 4 hours so far)" in sentence


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("peak", 0),
        ("peak", 11),
        ("peak", True),
        ("peak", 5.5),
        ("duration_hours", -1.0),
        ("duration_hours", float("nan")),
        ("duration_hours", float("inf")),
        ("duration_hours", "3"),
        ("side", "middle"),
        ("quality", "throbbing"),
        ("nausea", "yes"),
        ("aura", 1),
        ("ongoing", None),
    ],
)
def test_bad_value_is_an_error_that_names_the_field(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"^{field} must be"):
        episode(**{field: value})


def test_edge_values_are_accepted() -> None:
    features = episode(peak=1, duration_hours=0, side="right", quality="pulsating")
    assert features.peak == 1
    assert episode(peak=10, duration_hours=3).peak == 10


def test_module_imports_only_the_standard_library() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    roots = {name.split(".")[0] for name in imported}
    assert roots, "the check found the imports"
    assert roots <= set(sys.stdlib_module_names) | {"__future__"}, roots - set(
        sys.stdlib_module_names
    )
