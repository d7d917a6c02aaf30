"""Headache days per 28 days, practice over baseline, with an interval that survives
clustering.

Headache days come in runs: a headache today makes one tomorrow likelier. Daily values
are therefore not independent, and a test that treats them so (as a t-test on daily
values does) finds "a change" far more often than it should. Here the unit is the week:
each period is cut into 7-day blocks from its first date, and the weekly counts of
headache days are fitted with a quasi-Poisson model (a Poisson GLM with the recorded
days of each week as exposure, and a dispersion estimated from the data rather than
assumed to be 1). The interval of the rate ratio uses Student's t with the weeks'
degrees of freedom, which keeps the false "better" rate at or below the nominal level
with few weeks. The calibration is checked by simulation in tests/insight/.

References
----------
McCullagh P, Nelder JA. Generalized Linear Models, 2nd ed. 1989, ch. 6 (quasi-likelihood).
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import optimize, stats
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from calmcrown.insight.periods import Period, WeeklyCounts

CONFIDENCE = 0.95
POWER = 0.80
ZERO_COUNT_CORRECTION = 0.5  # headache days added to an empty period for its bound
LONGEST_PLAN_WEEKS = 520
PERFECT_FIT = 1e-6  # a dispersion below this is rounding error around zero spread


IntervalGap = Literal["too_few_weeks", "no_fit"]
"""Why a ratio has no interval: fewer than 3 recorded weeks in all leave the model no
degree of freedom, or the model could not be fitted to the weeks."""


@dataclass(frozen=True)
class RateRatio:
    ratio: float
    """Practice over baseline headache days per 28: the two rates shown, divided."""
    ci_low: float | None
    ci_high: float | None
    dispersion: float | None
    """Pearson chi-square over its degrees of freedom: 1 for Poisson-like weeks."""
    degrees_of_freedom: int | None
    corrected_zero: bool = False
    """True when a period had no headache day and the bound used the 0.5 correction."""
    no_interval: IntervalGap | None = None
    """Why ``ci_low`` and ``ci_high`` are None; None when they are given."""


def rate_ratio(baseline: Period, practice: Period) -> RateRatio | None:
    """Practice over baseline headache days per recorded day, with a 95% t interval when
    the weeks allow one.

    None only when there is no ratio to give: a period without recorded days, or no
    headache day in the baseline (nothing to reduce, and nothing to divide by).
    """
    before, after = baseline.weekly, practice.weekly
    rate_before, rate_after = baseline.headache_days_per_28, practice.headache_days_per_28
    if rate_before is None or rate_after is None or rate_before == 0:
        return None
    # The two-group Poisson fit's estimate is exactly this ratio; taking it from the
    # rates themselves gives it even where no interval can be fitted, and makes it agree
    # to the last digit with the two figures shown beside it.
    point = rate_after / rate_before
    if before.weeks + after.weeks < 3:
        return RateRatio(point, None, None, None, None, no_interval="too_few_weeks")
    corrected = after.counts.sum() == 0
    after_counts = after.counts
    if corrected:
        # No headache day since the practice began: the estimate is 0 and has no finite
        # log; the upper bound comes from the same fit with half a headache day added,
        # spread over the weeks by their recorded days.
        after_counts = after.exposure / after.exposure.sum() * ZERO_COUNT_CORRECTION
    fit = _fit(before, WeeklyCounts(after_counts, after.exposure))
    if fit is None:
        return RateRatio(point, None, None, None, None, no_interval="no_fit")
    estimate, std_error, dispersion, dof = fit
    half_width = stats.t.ppf(0.5 + CONFIDENCE / 2, dof) * std_error
    return RateRatio(
        ratio=point,
        ci_low=0.0 if corrected else math.exp(estimate - half_width),
        ci_high=math.exp(estimate + half_width),
        dispersion=dispersion,
        degrees_of_freedom=dof,
        corrected_zero=corrected,
    )


def _fit(before: WeeklyCounts, after: WeeklyCounts) -> tuple[float, float, float, int] | None:
    """log rate ratio, its quasi-Poisson standard error, the dispersion and the df."""
    counts = np.concatenate([before.counts, after.counts])
    exposure = np.concatenate([before.exposure, after.exposure])
    practice = np.concatenate([np.zeros(before.weeks), np.ones(after.weeks)])
    fitted = _poisson(counts, exposure, practice)
    if fitted is None:
        return None
    result, dispersion = fitted
    if dispersion < PERFECT_FIT:
        # Every week exactly as the model expects (a headache every Monday, say): the
        # spread between weeks cannot be measured, and an interval from it would have no
        # width. Plan with Poisson's instead, as if days fell independently.
        dispersion = 1.0
    std_error = float(result.bse[1]) * math.sqrt(dispersion)
    return float(result.params[1]), std_error, dispersion, int(result.df_resid)


def _poisson(
    counts: np.ndarray, exposure: np.ndarray, practice: np.ndarray | None
) -> tuple[Any, float] | None:
    """A Poisson GLM of weekly counts (exposure: recorded days) and its dispersion,
    Pearson chi-square over the residual df. Scaling the Poisson standard errors by its
    square root gives the quasi-Poisson ones; statsmodels' own scale="X2" fails on a
    perfect fit, which a short diary can be."""
    columns = [np.ones(len(counts))] if practice is None else [np.ones(len(counts)), practice]
    if len(counts) <= len(columns):
        return None
    model = GLM(
        counts, np.column_stack(columns), family=families.Poisson(), offset=np.log(exposure)
    )
    try:
        with warnings.catch_warnings():
            # A week pattern the model fits perfectly is handled below, not warned about.
            warnings.simplefilter("ignore", PerfectSeparationWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            result = model.fit()
    except (ValueError, np.linalg.LinAlgError):
        return None
    dispersion = float(result.pearson_chi2 / result.df_resid)
    return (result, dispersion) if math.isfinite(dispersion) else None


def planning_dispersion(baseline: Period, practice: Period) -> float:
    """The dispersion to plan with: the two-period fit's, or the baseline's on its own
    while the practice has no headache day; never below what independent days would
    give (1 - the daily rate), so that a short, even diary does not promise too much."""
    before, after = baseline.weekly, practice.weekly
    if before.counts.sum() == 0:
        return 1.0
    rate = before.counts.sum() / before.exposure.sum()
    if after.weeks and after.counts.sum() > 0:
        counts = np.concatenate([before.counts, after.counts])
        exposure = np.concatenate([before.exposure, after.exposure])
        fitted = _poisson(counts, exposure, np.r_[np.zeros(before.weeks), np.ones(after.weeks)])
    else:
        fitted = _poisson(before.counts, before.exposure, None)
    dispersion = fitted[1] if fitted is not None and fitted[1] >= PERFECT_FIT else 1.0
    return float(max(dispersion, 1 - rate))


@functools.lru_cache(maxsize=1024)
def _needed_margin(dof: int) -> float:
    # Two-sided 95% and 80% power, on Student's t with the analysis' degrees of freedom.
    dof = max(dof, 1)
    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, dof) + stats.t.ppf(POWER, dof))


def _shows(ratio: float, rate: float, days_before: float, days_after: float, phi: float,
           dof: int) -> float:  # fmt: skip
    """Positive when a true ``ratio`` would be shown (interval below 1) 80% of the time."""
    variance = phi / rate * (1 / days_before + 1 / (ratio * days_after))
    return -math.log(ratio) - _needed_margin(dof) * math.sqrt(variance)


def detectable_reduction(
    baseline: Period, practice: Period, dispersion: float | None = None
) -> float | None:
    """The smallest true reduction (0-1) the diary so far would show 80% of the time,
    planning with ``dispersion`` (by default :func:`planning_dispersion`'s)."""
    before, after = baseline.weekly, practice.weekly
    if before.weeks == 0 or after.weeks == 0 or before.counts.sum() == 0:
        return None
    rate = before.counts.sum() / before.exposure.sum()
    phi = planning_dispersion(baseline, practice) if dispersion is None else dispersion
    dof = before.weeks + after.weeks - 2
    days_before, days_after = before.exposure.sum(), after.exposure.sum()
    grid = np.linspace(0.99, 0.01, 99)
    for upper, lower in itertools.pairwise(grid):
        if _shows(lower, rate, days_before, days_after, phi, dof) >= 0:
            if _shows(upper, rate, days_before, days_after, phi, dof) >= 0:
                return float(1 - upper)
            ratio = optimize.brentq(
                _shows, lower, upper, args=(rate, days_before, days_after, phi, dof)
            )
            return float(1 - ratio)
    return None


def weeks_needed_for(
    reduction: float, baseline: Period, practice: Period, dispersion: float | None = None
) -> int | None:
    """More weeks of practice diary needed to show a true ``reduction`` 80% of the time,
    planning with ``dispersion`` (by default :func:`planning_dispersion`'s).

    0 when the diary is already long enough. The baseline cannot grow once the practice
    has begun, so with too short a baseline no number of weeks is enough: None, as when
    the baseline has no headache day to reduce.
    """
    before, after = baseline.weekly, practice.weekly
    if before.weeks == 0 or before.counts.sum() == 0:
        return None
    rate = before.counts.sum() / before.exposure.sum()
    phi = planning_dispersion(baseline, practice) if dispersion is None else dispersion
    ratio = 1 - reduction
    recorded_per_week = (
        after.exposure.sum() / after.weeks if after.weeks else before.exposure.sum() / before.weeks
    )
    days_before = before.exposure.sum()

    def enough(weeks: int) -> bool:
        dof = before.weeks + weeks - 2
        return _shows(ratio, rate, days_before, weeks * recorded_per_week, phi, dof) >= 0

    # More weeks only ever help (more days, more degrees of freedom): bisect.
    low, high = max(after.weeks, 1), LONGEST_PLAN_WEEKS
    if not enough(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if enough(middle):
            high = middle
        else:
            low = middle + 1
    return max(0, low - after.weeks)
