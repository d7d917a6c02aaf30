from __future__ import annotations

import datetime as dt

import pytest

from calmcrown.insight.frequency import (
    detectable_reduction,
    rate_ratio,
    weeks_needed_for,
)
from calmcrown.insight.periods import DayRecord, Period

MONDAY = dt.date(2026, 1, 5)


def _period(name: str, start: dt.date, weeks: list[str]) -> Period:
    """Weeks written as 7 characters: H headache, . free, ? not recorded."""
    records = []
    for w, week in enumerate(weeks):
        for d, mark in enumerate(week):
            if mark != "?":
                date = start + dt.timedelta(days=7 * w + d)
                records.append(DayRecord(date, mark == "H", 5 if mark == "H" else 0, False))
    end = start + dt.timedelta(days=7 * len(weeks) - 1)
    return Period(name, start, end, tuple(records))


BASELINE = _period("baseline", MONDAY, ["HHH....", "H......", "HHHH...", "HH....."])
PRACTICE = _period(
    "practice", MONDAY + dt.timedelta(days=28), ["H......", "......?", "HH.....", "H......"]
)


def test_weeks_count_headache_days_over_recorded_days() -> None:
    weeks = PRACTICE.weekly
    assert weeks.counts.tolist() == [1, 0, 2, 1]
    assert weeks.exposure.tolist() == [7, 6, 7, 7]


def test_rate_ratio_matches_statsmodels() -> None:
    ratio = rate_ratio(BASELINE, PRACTICE)
    assert ratio is not None
    # The point estimate of a two-group Poisson GLM is the ratio of the rates:
    # (4 / 27) / (10 / 28).
    assert ratio.ratio == pytest.approx((4 / 27) / (10 / 28))
    # From statsmodels and SciPy, computed independently of calmcrown:
    #   m = sm.GLM([3,1,4,2,1,0,2,1], sm.add_constant([0,0,0,0,1,1,1,1]),
    #              family=sm.families.Poisson(), offset=np.log([7,7,7,7,7,6,7,7])
    #              ).fit(scale="X2")
    #   t = scipy.stats.t.ppf(0.975, 6); np.exp(m.params[1] -/+ t * m.bse[1]); m.scale
    # (the two fits stop their iterations at slightly different points: 1e-5 apart)
    assert ratio.ci_low == pytest.approx(0.13136203983691389, rel=1e-5)
    assert ratio.ci_high == pytest.approx(1.3099014814589955, rel=1e-5)
    assert ratio.dispersion == pytest.approx(0.6309523809523806, rel=1e-5)
    assert ratio.degrees_of_freedom == 6


def test_one_week_each_gives_the_ratio_of_the_rates_without_an_interval() -> None:
    # 7 and 5 recorded days: both rates are shown, so their ratio is too; two weeks in
    # all leave the model no degree of freedom for an interval.
    week = _period("baseline", MONDAY, ["HHH...."])
    days = _period("practice", MONDAY + dt.timedelta(days=7), ["H....??"])
    ratio = rate_ratio(week, days)
    assert ratio is not None
    assert ratio.ratio == pytest.approx((1 / 5) / (3 / 7))
    assert (ratio.ci_low, ratio.ci_high, ratio.no_interval) == (None, None, "too_few_weeks")
    assert not ratio.corrected_zero


def test_no_headache_in_one_week_since_gives_zero_without_an_interval() -> None:
    week = _period("baseline", MONDAY, ["HHH...."])
    free = _period("practice", MONDAY + dt.timedelta(days=7), [".....??"])
    ratio = rate_ratio(week, free)
    assert ratio is not None and ratio.ratio == 0.0 and ratio.ci_high is None
    assert not ratio.corrected_zero, "no bound was computed, so none was corrected"


def test_the_ratio_is_exactly_the_ratio_of_headache_days_per_28() -> None:
    ratio = rate_ratio(BASELINE, PRACTICE)
    assert ratio is not None and ratio.no_interval is None
    per_28 = PRACTICE.headache_days_per_28, BASELINE.headache_days_per_28
    assert per_28[0] is not None and per_28[1] is not None
    assert ratio.ratio == per_28[0] / per_28[1]


def test_no_ratio_without_a_baseline_headache() -> None:
    free = _period("baseline", MONDAY, ["......."] * 4)
    assert rate_ratio(free, PRACTICE) is None
    assert detectable_reduction(free, PRACTICE) is None
    assert weeks_needed_for(0.5, free, PRACTICE) is None


def test_no_headache_since_the_practice_gives_zero_and_a_corrected_bound() -> None:
    free = _period("practice", MONDAY + dt.timedelta(days=28), ["......."] * 4)
    ratio = rate_ratio(BASELINE, free)
    assert ratio is not None and ratio.corrected_zero
    assert (ratio.ratio, ratio.ci_low) == (0.0, 0.0)
    assert 0 < ratio.ci_high < 1


UNEVEN = ["HHH....", "H......", "HHHH...", "HH.....", "H.H....", "......."]


def test_more_diary_shows_smaller_reductions() -> None:
    six = (
        _period("baseline", MONDAY, UNEVEN),
        _period("practice", MONDAY + dt.timedelta(42), UNEVEN),
    )
    assert detectable_reduction(*six) is None, "6 + 6 weeks cannot reliably show any reduction"
    short = detectable_reduction(
        _period("baseline", MONDAY, UNEVEN * 2),
        _period("practice", MONDAY + dt.timedelta(days=84), UNEVEN * 2),
    )
    longer = detectable_reduction(
        _period("baseline", MONDAY, UNEVEN * 4),
        _period("practice", MONDAY + dt.timedelta(days=168), UNEVEN * 4),
    )
    assert short is not None and longer is not None
    assert 0 < longer < short < 1


def test_weeks_needed_shrinks_to_zero_once_the_diary_is_long_enough() -> None:
    baseline = _period("baseline", MONDAY, UNEVEN * 3)
    starting = _period("practice", MONDAY + dt.timedelta(days=126), ["H......"])
    needed = weeks_needed_for(0.5, baseline, starting)
    assert needed is not None and needed > 0
    after = _period(
        "practice", MONDAY + dt.timedelta(days=126), ["H......", "......."] * ((needed + 2) // 2)
    )
    assert weeks_needed_for(0.5, baseline, after) == 0


def test_a_short_baseline_cannot_be_made_up_for() -> None:
    one_week = _period("baseline", MONDAY, ["H......"])
    practice = _period("practice", MONDAY + dt.timedelta(days=7), ["H......"] * 4)
    assert weeks_needed_for(0.5, one_week, practice) is None
