from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from calmcrown.insight.analysis import Analysis
from calmcrown.insight.charts import PALETTES, all_charts, calendar

SVG = "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize("theme", ["dim", "light"])
def test_every_chart_is_svg_with_a_text_alternative(helped: Analysis, theme: str) -> None:
    charts = all_charts(helped, theme)  # type: ignore[arg-type]
    assert [c.title for c in charts] == [
        "Headache days", "Headache days per 28 days over time",
        "Pain before and after each session", "Sessions a week",
    ]  # fmt: skip
    for chart in charts:
        root = ET.fromstring(chart.svg)
        assert root.tag == SVG
        links = [v for e in root.iter() for k, v in e.attrib.items() if k.endswith("href")]
        assert all(link.startswith("#") for link in links), "nothing to fetch from anywhere"
        assert len(chart.alt) > 40 and chart.data_uri.startswith("data:image/svg+xml;base64,")


def test_the_text_alternatives_carry_the_figures(helped: Analysis) -> None:
    calendar_chart, rolling, pain, weekly = all_charts(helped)
    assert "37 headache days" in calendar_chart.alt
    assert "the practice began on" in calendar_chart.alt
    assert "16.0 on average before the practice and 2.5 since it began" in rolling.alt
    assert "29 sessions" in pain.alt and "pain fell by 2.0 points" in pain.alt
    assert "against a plan of 3 a week" in weekly.alt


def test_the_same_diary_draws_the_same_picture(helped: Analysis) -> None:
    assert calendar(helped).svg == calendar(helped).svg


def test_the_dim_theme_uses_no_bright_colour(helped: Analysis) -> None:
    svg = calendar(helped, "dim").svg.lower()
    assert "#ffffff" not in svg and "#e69f00" not in svg


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("theme", ["dim", "light"])
def test_the_calendar_shades_differ_in_lightness_not_hue_alone(theme: str) -> None:
    """No headache, mild and severe told apart without colour vision (the mild shade of
    the light theme was once 1.05:1 against a free day)."""
    palette = PALETTES[theme]  # type: ignore[index]
    mild, severe = palette.scale
    assert _contrast(mild, palette.free) >= 1.5
    assert _contrast(severe, mild) >= 1.8


def test_the_calendar_has_a_key_that_tells_free_days_from_unrecorded(helped: Analysis) -> None:
    svg = calendar(helped, "dim").svg
    for label in ("no headache", "not recorded", "mild", "severe"):
        assert f">{label}<" in svg
