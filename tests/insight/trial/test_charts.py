"""The per-period chart: every period's figure in its text alternative, the arms named
in words, unfinished periods told apart, on both themes."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from calmcrown.insight.charts import Theme
from calmcrown.insight.trial.analysis import TrialAnalysis, analyze_trial
from calmcrown.insight.trial.charts import arm_colours, period_chart
from calmcrown.insight.trial.design import design

from .diaries import DAY, every_nth_day

START = dt.date(2026, 1, 5)
SVG = "{http://www.w3.org/2000/svg}svg"


def _finished() -> TrialAnalysis:
    trial = design(["head", "feet", "none"], START, seed=11)
    return analyze_trial(trial, every_nth_day(trial, {"head": 7, "feet": 3, "none": 2}), [],
                         trial.end)  # fmt: skip


def _running() -> TrialAnalysis:
    trial = design(["feet", "none"], START, seed=8)
    today = trial.periods[4].start + 6 * DAY
    return analyze_trial(trial, every_nth_day(trial, {"feet": 5, "none": 3}), [], today)


def test_the_text_alternative_lists_every_periods_figure() -> None:
    analysis = _finished()
    alt = period_chart(analysis).alt
    assert alt.startswith("Headache days per 28 analysed days in each of the 12 periods")
    assert "the first 2 days of each period, the washout, are not counted" in alt
    for result in analysis.periods:
        rate = result.headache_days_per_28
        assert rate is not None
        words = {"head": "head massage", "feet": "foot massage", "none": "no massage"}
        assert f"period {result.period.index}, {words[result.period.arm]}, " in alt
        assert re.search(rf"period {result.period.index}, [^;]*: {rate:.1f}(;|\.$)", alt)
    assert "period 1, foot massage, 5 Jan to 18 Jan 2026: 9.3;" in alt


def test_a_running_trial_marks_the_running_period_and_those_to_come() -> None:
    analysis = _running()
    chart = period_chart(analysis, "light")
    running = analysis.periods[4].headache_days_per_28
    assert running is not None
    assert f"period 5, foot massage, 2 Mar to 15 Mar 2026: running, {running:.1f} so far;" in (
        chart.alt
    )
    assert "period 6, no massage, 16 Mar to 29 Mar 2026: to come;" in chart.alt
    assert chart.alt.endswith("period 8, foot massage, 13 Apr to 26 Apr 2026: to come.")
    # The picture says the same: a legend entry for unfinished bars, "so far" and "to come".
    assert "not finished" in chart.svg and "so far" in chart.svg
    assert chart.svg.count("to come") == 3


@pytest.mark.parametrize("theme", ["dim", "light"])
def test_the_legend_names_the_arms_in_words_in_the_themes_colours(theme: Theme) -> None:
    chart = period_chart(_finished(), theme)
    root = ET.fromstring(chart.svg)
    assert root.tag == SVG
    links = [v for e in root.iter() for k, v in e.attrib.items() if k.endswith("href")]
    assert all(link.startswith("#") for link in links), "nothing to fetch from anywhere"
    for words in ("head massage", "foot massage", "no massage"):
        assert words in chart.svg
    assert "not finished" not in chart.svg
    for colour in arm_colours(theme).values():
        assert colour.lower() in chart.svg.lower()
    assert chart.data_uri.startswith("data:image/svg+xml;base64,")


def test_the_arms_stay_apart_in_black_and_white() -> None:
    """Printed in greyscale: head and feet differ in lightness, and no massage is striped."""

    def lightness(colour: str) -> float:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    colours = arm_colours("light")
    assert abs(lightness(colours["head"]) - lightness(colours["feet"])) > 40
    assert "<pattern" in period_chart(_finished(), "light").svg


def test_the_same_trial_draws_the_same_picture() -> None:
    assert period_chart(_finished()).svg == period_chart(_finished()).svg
    assert period_chart(_finished(), wide=True).svg != period_chart(_finished()).svg
