from __future__ import annotations

import re
from pathlib import Path

import pytest

from calmcrown.catalog import PHASES, Catalog, ContentError, Technique, load_catalog


def test_every_content_file_loads(catalog: Catalog) -> None:
    assert catalog.techniques and catalog.rests and catalog.routines
    assert catalog.tips and catalog.oils and catalog.sources


def test_required_routines_have_their_lengths_and_audiences(catalog: Catalog) -> None:
    expected = {
        "quick": (5, "self"),
        "evening": (10, "self"),
        "add-on": (20, "practitioner"),
        "dedicated": (45, "practitioner"),
        "feet": (15, "partner"),
        "partner": (20, "partner"),
    }
    found = {rid: (r.minutes, r.audience.value) for rid, r in catalog.routines.items()}
    assert expected.items() <= found.items()


def test_required_techniques_exist_with_their_regions(catalog: Catalog) -> None:
    expected = {
        "scalp_circles": "scalp",
        "scalp_strokes": "scalp",
        "occipital_hold": "occipital_ridge",
        "temple_circles": "temples",
        "trigger_point_holds": "neck_shoulders",
        "fascial_glides": "scalp",
        "cranial_holds": "scalp",
        "neck_strokes": "neck_shoulders",
        "jaw_release": "face_jaw",
        "forehead_glide": "forehead",
        "foot_warmup": "feet",
        "sole_kneading": "feet",
        "thumb_rolling": "feet",
        "toe_reflex_area": "feet",
        "responsive_strokes": "feet",
    }
    found = {tid: t.region.value for tid, t in catalog.techniques.items()}
    assert expected.items() <= found.items()


def test_reflexology_is_labelled_as_tradition(catalog: Catalog) -> None:
    toes = catalog.techniques["toe_reflex_area"]
    assert toes.tradition
    assert catalog.sources[toes.source].kind == "tradition"


def test_every_after_phase_keeps_a_rest(catalog: Catalog) -> None:
    for routine in catalog.routines.values():
        assert any(step.do in catalog.rests for step in routine.after), routine.id


def test_each_routine_adds_up(catalog: Catalog) -> None:
    for routine in catalog.routines.values():
        assert sum(routine.phase_seconds(p) for p in PHASES) == routine.minutes * 60


def test_unverified_sources_exist_and_are_marked(catalog: Catalog) -> None:
    assert not catalog.sources["oil-dilution-guidance"].verified
    assert not catalog.sources["patch-test-guidance"].verified


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count))


def _first_practice_step(content: Path) -> tuple[Path, re.Match[str]]:
    path = content / "routines" / "evening.toml"
    block = re.search(
        r'\[\[practice\]\]\s*\ndo = "(?P<do>[^"]+)"\s*\nseconds = (?P<seconds>\d+)',
        path.read_text(),
    )
    assert block, "evening.toml's first practice step is written as do = ..., seconds = ..."
    return path, block


def test_unknown_technique_is_named(content_copy: Path) -> None:
    path, step = _first_practice_step(content_copy)
    _edit(path, f'do = "{step["do"]}"', 'do = "scalp_cirkles"')
    with pytest.raises(ContentError) as caught:
        load_catalog(content_copy)
    assert str(caught.value) == (
        "routines/evening.toml: practice[0].do: unknown technique 'scalp_cirkles'"
    )


def test_a_step_longer_than_its_technique_allows_is_refused(
    content_copy: Path, catalog: Catalog
) -> None:
    path, step = _first_practice_step(content_copy)
    technique = catalog.techniques[step["do"]]
    _edit(
        path,
        step.group(0),
        step.group(0).replace(
            f"seconds = {step['seconds']}", f"seconds = {technique.max_seconds + 1}"
        ),
    )
    with pytest.raises(
        ContentError,
        match=r"^routines/evening.toml: practice\[0\].seconds: .*"
        r"longer than the \d+ s maximum",
    ):
        load_catalog(content_copy)


def test_a_figure_the_content_names_must_exist(content_copy: Path) -> None:
    _edit(content_copy / "routines" / "evening.toml", 'position = "', 'position = "nowhere-')
    with pytest.raises(ContentError, match=r"^routines/evening.toml: position: no figure"):
        load_catalog(content_copy)


def test_step_shorter_than_its_minimum_is_named(content_copy: Path, catalog: Catalog) -> None:
    path, step = _first_practice_step(content_copy)
    technique = catalog.techniques[step["do"]]
    assert isinstance(technique, Technique)
    _edit(
        path,
        step.group(0),
        step.group(0).replace(
            f"seconds = {step['seconds']}", f"seconds = {technique.min_seconds - 1}"
        ),
    )
    with pytest.raises(
        ContentError,
        match=r"^routines/evening.toml: practice\[0\].seconds: .*"
        r"shorter than the \d+ s minimum",
    ):
        load_catalog(content_copy)


def test_phases_that_do_not_add_up_are_named(content_copy: Path) -> None:
    path, step = _first_practice_step(content_copy)
    seconds = int(step["seconds"])
    _edit(
        path,
        step.group(0),
        step.group(0).replace(f"seconds = {seconds}", f"seconds = {seconds + 30}"),
    )
    with pytest.raises(
        ContentError,
        match=r"^routines/evening.toml: minutes: phases add up to "
        r"630 s .* but minutes = 10 means 600 s",
    ):
        load_catalog(content_copy)


def test_missing_after_phase_is_named(content_copy: Path) -> None:
    path = content_copy / "routines" / "evening.toml"
    text = path.read_text()
    path.write_text(text[: text.index("[[after]]")])
    with pytest.raises(ContentError, match=r"^routines/evening.toml: after: missing"):
        load_catalog(content_copy)


def test_missing_source_is_named(content_copy: Path) -> None:
    path = content_copy / "techniques" / "head.toml"
    text = path.read_text()
    start = text.index("[scalp_circles]")
    line = re.compile(r"^source = .*\n", re.M).search(text, start)
    assert line
    path.write_text(text[: line.start()] + text[line.end() :])
    with pytest.raises(ContentError) as caught:
        load_catalog(content_copy)
    assert str(caught.value) == "techniques/head.toml: scalp_circles.source: missing"


def test_unknown_source_is_named(content_copy: Path) -> None:
    _edit(content_copy / "routines" / "evening.toml", 'source = "', 'source = "nowhere-', 1)
    with pytest.raises(ContentError, match=r"^routines/evening.toml: source: unknown source"):
        load_catalog(content_copy)


def test_misspelt_key_is_named(content_copy: Path) -> None:
    _edit(content_copy / "techniques" / "head.toml", "usual_seconds", "usual_secs")
    with pytest.raises(ContentError, match=r"^techniques/head.toml: \w+\.usual_secs: "):
        load_catalog(content_copy)


def test_broken_toml_is_named(content_copy: Path) -> None:
    (content_copy / "tips.toml").write_text("[warm_hands\n")
    with pytest.raises(ContentError, match=r"^tips.toml: not valid TOML"):
        load_catalog(content_copy)
