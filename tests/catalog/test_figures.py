"""Every technique can be learnt by looking: each has a well-formed, self-contained figure."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from calmcrown.catalog import load_catalog
from calmcrown.catalog.figures import SVG, read_figure

CATALOG = load_catalog()
FIGURES = sorted(CATALOG.figures_dir.glob("*.svg"))
MAX_BYTES = 8_000
# Nothing a figure may pull in or run: it is drawn here and fetches nothing.
FORBIDDEN = {"script", "foreignObject", "image", "iframe"}
XLINK = "{http://www.w3.org/1999/xlink}href"


def test_every_technique_has_a_figure() -> None:
    missing = [t.id for t in CATALOG.techniques.values() if CATALOG.figure_of(t) is None]
    assert not missing, f"techniques without a figure: {missing}"


def test_every_routine_shows_its_position_and_the_guides_exist() -> None:
    assert all(r.position in CATALOG.figures for r in CATALOG.routines.values())
    assert {"pressure_guide", "foot_reflex_map"} <= CATALOG.figures


@pytest.mark.parametrize("path", FIGURES, ids=lambda path: path.stem)
def test_a_figure_is_well_formed_small_and_self_contained(path: Path) -> None:
    assert path.stat().st_size < MAX_BYTES, f"{path.name} is {path.stat().st_size} bytes"
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 400 400"
    assert root.get("role") == "img"
    labels = (root.get("aria-labelledby") or "").split()
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert labels and set(labels) <= ids, "aria-labelledby points at the title and desc"
    figure = read_figure(path)
    assert len(figure.title) >= 3 and len(figure.description.split()) >= 8
    for element in root.iter():
        assert element.tag.removeprefix(SVG) not in FORBIDDEN, element.tag
        for name, value in element.attrib.items():
            assert not name.startswith("on"), f"{name} handler in {path.name}"
            # The pages' Content-Security-Policy drops style attributes: use a class.
            assert name != "style", f"a style attribute in {path.name}"
            if name in ("href", XLINK):
                assert value.startswith("#"), f"{path.name} links out: {value}"
    assert "http://" not in figure.inline.replace("http://www.w3.org/", "")
    assert len(root.findall(f"{SVG}style")) == 1
    assert "<style>" not in figure.inline, "the inlined figure takes the page's colours"


def test_the_reflex_map_says_it_is_a_tradition() -> None:
    figure = read_figure(CATALOG.figure_path("foot_reflex_map"))
    text = ElementTree.tostring(ElementTree.parse(figure.path).getroot(), encoding="unicode")
    assert "tradition" in figure.description.lower()
    assert "A tradition, not proven" in text


def test_a_malformed_figure_names_its_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg xmlns='http://www.w3.org/2000/svg'><title>x</title>")
    with pytest.raises(ValueError, match=r"figures/broken.svg: not well-formed"):
        read_figure(broken)
    untitled = tmp_path / "untitled.svg"
    untitled.write_text("<svg xmlns='http://www.w3.org/2000/svg'><desc>d</desc></svg>")
    with pytest.raises(ValueError, match="needs an <svg> with a <title> and a <desc>"):
        read_figure(untitled)
