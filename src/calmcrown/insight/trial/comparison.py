"""One arm against another, at the period level: a count model's rate ratio with its
95% interval, and a randomisation test over every allocation the design could have drawn.

The unit is the period, not the day: headache days come in runs, and a test that treats
days as independent (StudyU's Welch t-test on daily values) calls a difference that is
not there far too often (tests/insight/trial/test_calibration.py measures how often).

The model is a quasi-Poisson GLM (statsmodels): the headache days of each period, with
the log of its analysed days as offset, an effect for each arm and each block, and a
linear trend in the period's position when enough periods are left over to estimate it.
The dispersion is Pearson's chi-square over the residual degrees of freedom, and the
interval uses Student's t on those degrees of freedom.

The randomisation test (Edgington; Bulte & Onghena's SCRT) recomputes a statistic, the
mean over blocks of the difference in headache days per analysed day, for every order
the block randomisation could have drawn (each block's arms permuted): counted exactly
when there are at most ``EXACT_LIMIT`` of them, else over ``MONTE_CARLO_DRAWS`` seeded
draws.
Its p is one-sided, in the direction observed; its smallest value is 1/2^blocks for two
arms (1/16 at 4 blocks: it cannot reach 0.05 there).

References
----------
McCullagh P, Nelder JA. Generalized Linear Models, 2nd ed. 1989, ch. 6.
Edgington ES, Onghena P. Randomization Tests, 4th ed. 2007, ch. 11 (single-case designs).
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import stats
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning, SingularMatrixWarning

CONFIDENCE = 0.95
ALPHA = 0.05
EXACT_LIMIT = 100_000_000
"""Counted exactly up to here (2 arms to 26 blocks, 3 arms to 10): the count meets in
the middle, so its cost grows with the square root of the number of allocations."""
MONTE_CARLO_DRAWS = 20_000
"""Draws when the allocations are too many to list: p to within about 0.003 (95%) at 0.05."""
MONTE_CARLO_SEED = 20260
MINIMUM_DF_WITH_TREND = 5
"""A trend term is fitted only when it leaves this many residual degrees of freedom:
measured, a trend at 6 blocks of two arms (4 df) halved the power at a true 50% reduction
(16.4% to 8.2%), while the block effects already carry slow changes between blocks."""
ZERO_COUNT_CORRECTION = 0.5
PERFECT_FIT = 1e-6
TIE = 1e-12


class Verdict(StrEnum):
    LIKELY_BETTER = "likely_better"
    LIKELY_WORSE = "likely_worse"
    NO_CLEAR_DIFFERENCE = "no_clear_difference"
    INSUFFICIENT_DATA = "insufficient_data"
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class Figures:
    rate_ratio: float | None
    """Headache days per analysed day with ``arm`` over those with ``versus``."""
    ci_low: float | None
    ci_high: float | None
    p_randomisation: float | None
    smallest_p: float | None
    """The smallest p the randomisation test could give with this design."""
    allocations: int
    """Allocations the randomisation test went over."""
    exact: bool
    """True when every allocation was listed; False for a Monte Carlo estimate."""
    trend: bool
    """True when the model had a linear trend term."""
    dispersion: float | None
    degrees_of_freedom: int | None
    corrected_zero: bool = False


@dataclass(frozen=True)
class ModelFit:
    log_ratio: float
    std_error: float
    dispersion: float
    degrees_of_freedom: int
    trend: bool


@dataclass(frozen=True)
class _Fitted:
    params: tuple[float, ...]
    std_errors: tuple[float, ...]
    """Poisson's standard errors, before the dispersion is applied."""
    dispersion: float
    degrees_of_freedom: int
    trend: bool
    arm_column: dict[int, int]


FIT_CACHE_SIZE = 32
"""Fits kept: the comparisons of one trial against ``none`` share one model, and
``finds_better`` fits the same model twice; a fit is about a millisecond."""
_fits: OrderedDict[tuple[object, ...], _Fitted | None] = OrderedDict()


def forget_fits() -> None:
    """Empty the kept fits: benchmarks time an analysis as if seen for the first time."""
    _fits.clear()


def fit_model(
    counts: np.ndarray,
    exposure: np.ndarray,
    arm_codes: np.ndarray,
    block_codes: np.ndarray,
    arm: int,
    versus: int,
) -> ModelFit | None:
    """The quasi-Poisson fit's log rate ratio of ``arm`` over ``versus`` (codes into the
    arms), or None when it cannot be fitted."""
    fitted = _fitted(counts, exposure, arm_codes, block_codes, versus)
    if fitted is None or arm not in fitted.arm_column:
        return None
    column = fitted.arm_column[arm]
    std_error = fitted.std_errors[column] * math.sqrt(fitted.dispersion)
    estimate = fitted.params[column]
    if not (math.isfinite(estimate) and math.isfinite(std_error)):
        return None
    return ModelFit(estimate, std_error, fitted.dispersion, fitted.degrees_of_freedom,
                    fitted.trend)  # fmt: skip


def _fitted(
    counts: np.ndarray,
    exposure: np.ndarray,
    arm_codes: np.ndarray,
    block_codes: np.ndarray,
    versus: int,
) -> _Fitted | None:
    """The model with ``versus`` as reference, fitted once for the same data: the same
    arrays give the same fit, so a kept one is returned as it was."""
    arrays = (counts, exposure, arm_codes, block_codes)
    key = (*((a.dtype.str, a.shape, a.tobytes()) for a in arrays), versus)
    if key in _fits:
        _fits.move_to_end(key)
        return _fits[key]
    fitted = _fit(counts, exposure, arm_codes, block_codes, versus)
    _fits[key] = fitted
    while len(_fits) > FIT_CACHE_SIZE:
        _fits.popitem(last=False)
    return fitted


def _fit(
    counts: np.ndarray,
    exposure: np.ndarray,
    arm_codes: np.ndarray,
    block_codes: np.ndarray,
    versus: int,
) -> _Fitted | None:
    n = len(counts)
    arm_levels = np.unique(arm_codes)
    block_levels = np.unique(block_codes)
    # Treatment coding with ``versus`` as the reference arm: an arm's coefficient is
    # then its log rate ratio over ``versus``.
    columns = [np.ones(n)]
    arm_column = {}
    for level in arm_levels:
        if level != versus:
            arm_column[int(level)] = len(columns)
            columns.append((arm_codes == level).astype(float))
    columns.extend((block_codes == level).astype(float) for level in block_levels[1:])
    trend = n - len(columns) - 1 >= MINIMUM_DF_WITH_TREND
    if trend:
        position = np.arange(n, dtype=float)
        columns.append((position - position.mean()) / max(position.std(), 1.0))
    if n <= len(columns) or not arm_column:
        return None
    model = GLM(counts, np.column_stack(columns), family=families.Poisson(),
                offset=np.log(exposure))  # fmt: skip
    try:
        with warnings.catch_warnings():
            # An arm or block with (nearly) no headache day drives its coefficient
            # towards minus infinity; the checks below catch what that leaves unusable.
            warnings.simplefilter("ignore", PerfectSeparationWarning)
            warnings.simplefilter("ignore", SingularMatrixWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            result = model.fit()
    except (ValueError, np.linalg.LinAlgError):
        return None
    dof = int(result.df_resid)
    # Pearson chi-square over df, as quasi-Poisson; statsmodels' scale="X2" would do the
    # same but fails on a perfect fit. Student's t on the same df allows for how little
    # a handful of periods says about the spread. (Never taking it below 1 was measured
    # too: no false "better" at all, but a true halving found 1.5% of the time at
    # 4 blocks instead of 7.8%.)
    dispersion = float(result.pearson_chi2 / dof)
    if not math.isfinite(dispersion):
        return None
    if dispersion < PERFECT_FIT:
        # Every period exactly as the model expects: the spread cannot be measured and
        # an interval from it would have no width; plan with Poisson's instead.
        dispersion = 1.0
    return _Fitted(
        tuple(float(v) for v in result.params),
        tuple(float(v) for v in result.bse),
        dispersion,
        dof,
        trend,
        arm_column,
    )


def _block_differences(
    rates: np.ndarray, arm_codes: np.ndarray, block_codes: np.ndarray, arm: int, versus: int
) -> np.ndarray:
    """For each block, the statistic's value (rate of the arm's period minus rate of the
    versus period) under every order of the block's arms: shape (blocks, orders). The
    first order is the identity: the allocation actually drawn."""
    rows = []
    for block in np.unique(block_codes):
        inside = np.flatnonzero(block_codes == block)
        codes = list(arm_codes[inside])
        values = []
        for order in itertools.permutations(range(len(inside))):
            # ``order`` gives, for each period of the block, the arm it would have had.
            assigned = [codes[i] for i in order]
            values.append(
                rates[inside[assigned.index(arm)]] - rates[inside[assigned.index(versus)]]
            )
        rows.append(values)
    return np.array(rows)


def _every_sum(rows: np.ndarray) -> np.ndarray:
    """The statistic's sum over ``rows`` (blocks) for every choice of one order a block."""
    sums = np.zeros(1)
    for row in rows:
        sums = (sums[:, None] + row[None, :]).ravel()
    return sums


def _allocations_at_most(table: np.ndarray, bound: float) -> int:
    """How many of the orders^blocks allocations have a statistic (summed over blocks)
    of at most ``bound``, counted exactly without listing them all: the sums over the
    first half of the blocks against the sorted sums over the second (meet in the
    middle), so 6^6 = 46,656 allocations cost two lists of 216."""
    half = len(table) // 2
    first = _every_sum(table[:half])
    second = np.sort(_every_sum(table[half:]))
    return int(np.searchsorted(second, bound - first, side="right").sum())


def randomisation_test(
    rates: np.ndarray,
    arm_codes: np.ndarray,
    block_codes: np.ndarray,
    arm: int,
    versus: int,
    seed: int = MONTE_CARLO_SEED,
) -> tuple[float, float, int, bool]:
    """One-sided p in the direction observed, the smallest p possible, the number of
    allocations gone over and whether they were all listed."""
    table = _block_differences(rates, arm_codes, block_codes, arm, versus)
    blocks, orders = table.shape
    observed = float(table[:, 0].sum())
    total = orders**blocks
    exact = total <= EXACT_LIMIT
    # One-sided in the direction seen: "at least as low" or, turned round, "as high".
    sign = 1.0 if observed <= 0 else -1.0
    if exact:
        p = _allocations_at_most(sign * table, sign * observed + TIE) / total
        allocations = total
    else:
        rng = np.random.Generator(np.random.PCG64(seed))
        choice = rng.integers(0, orders, size=(MONTE_CARLO_DRAWS, blocks))
        values = sign * table[np.arange(blocks), choice].sum(axis=1)
        # Drawn at random, the observed allocation is counted among the draws, so that
        # p is never 0 (Phipson & Smyth 2010).
        p = float(((values <= sign * observed + TIE).sum() + 1) / (MONTE_CARLO_DRAWS + 1))
        allocations = MONTE_CARLO_DRAWS
    # Only the drawn allocation itself can be as extreme: 1/2^blocks for two arms,
    # 1/6^blocks for three (each block's six orders put the pair in six different places).
    return p, 1.0 / total, allocations, exact


@functools.lru_cache(maxsize=64)
def _t_quantile(degrees_of_freedom: int) -> float:
    """Student's t quantile of the interval: a few dozen microseconds in SciPy, asked
    for the same few degrees of freedom again and again."""
    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, degrees_of_freedom))


def compare(
    counts: np.ndarray,
    exposure: np.ndarray,
    arm_codes: np.ndarray,
    block_codes: np.ndarray,
    arm: int,
    versus: int,
    randomise: bool = True,
) -> Figures:
    """The figures of ``arm`` against ``versus`` over complete blocks of periods (every
    period with analysed days), in period order; with ``randomise`` False, the model's
    alone (no randomisation p)."""
    counts = np.asarray(counts, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    rates = counts / exposure
    p: float | None = None
    smallest: float | None = None
    allocations, exact = 0, False
    if randomise:
        p, smallest, allocations, exact = randomisation_test(
            rates, arm_codes, block_codes, arm, versus
        )
    arm_total = counts[arm_codes == arm].sum()
    versus_total = counts[arm_codes == versus].sum()
    nothing = Figures(None, None, None, p, smallest, allocations, exact, False, None, None)
    if arm_total == 0 and versus_total == 0:
        return nothing
    corrected = bool(arm_total == 0 or versus_total == 0)
    fitted_counts = counts.copy()
    if corrected:
        # No headache day at all in one arm: the ratio is 0 (or unbounded) and has no
        # finite log; the bounds come from the same fit with half a headache day added
        # to every period (Haldane and Anscombe's correction of a zero cell). Half a
        # day spread over the empty arm alone was tried first: 0 against 22 headache
        # days in 4 blocks then gave an upper bound of 2.2.
        fitted_counts = counts + ZERO_COUNT_CORRECTION
    fit = fit_model(fitted_counts, exposure, arm_codes, block_codes, arm, versus)
    if fit is None:
        return nothing
    half_width = _t_quantile(fit.degrees_of_freedom) * fit.std_error
    # np.exp: a bound past float's range (an arm with nearly no headache days) is inf.
    with np.errstate(over="ignore"):
        low = float(np.exp(fit.log_ratio - half_width))
        high = float(np.exp(fit.log_ratio + half_width))
    ratio: float | None = math.exp(fit.log_ratio)
    if corrected and arm_total == 0:
        ratio, low = 0.0, 0.0
    elif corrected:
        ratio, high = None, math.inf
    return Figures(
        rate_ratio=ratio,
        ci_low=low,
        ci_high=high if math.isfinite(high) else None,
        p_randomisation=p,
        smallest_p=smallest,
        allocations=allocations,
        exact=exact,
        trend=fit.trend,
        dispersion=fit.dispersion,
        degrees_of_freedom=fit.degrees_of_freedom,
        corrected_zero=corrected,
    )


def finds_better(
    counts: np.ndarray,
    exposure: np.ndarray,
    arm_codes: np.ndarray,
    block_codes: np.ndarray,
    arm: int,
    versus: int,
) -> bool:
    """``verdict_of(compare(...))`` is ``likely_better``, reached faster: the randomisation
    test (the slow part with three arms) runs only when the interval is below 1."""
    model = compare(counts, exposure, arm_codes, block_codes, arm, versus, randomise=False)
    if model.ci_high is None or model.ci_high >= 1:
        return False
    figures = compare(counts, exposure, arm_codes, block_codes, arm, versus)
    return verdict_of(figures) is Verdict.LIKELY_BETTER


def verdict_of(figures: Figures) -> Verdict:
    """``likely_better`` when the whole 95% interval is below 1 and the randomisation
    test agrees: its p at most 0.05, or, where the design cannot reach 0.05 (two arms,
    3 or 4 blocks), at its smallest (every block favours the arm). ``likely_worse`` the
    same the other way; ``no_clear_difference`` otherwise."""
    p, smallest = figures.p_randomisation, figures.smallest_p
    if p is None or smallest is None or figures.ci_low is None:
        return Verdict.NO_CLEAR_DIFFERENCE
    agrees = p <= max(ALPHA, smallest) + TIE
    if agrees and figures.ci_high is not None and figures.ci_high < 1:
        return Verdict.LIKELY_BETTER
    if agrees and figures.ci_low > 1:
        return Verdict.LIKELY_WORSE
    return Verdict.NO_CLEAR_DIFFERENCE


def pairs(arms: Sequence[str]) -> list[tuple[str, str]]:
    """The comparisons reported: each active arm against ``none``, and head against feet."""
    found = [(arm, "none") for arm in arms if arm != "none" and "none" in arms]
    if "head" in arms and "feet" in arms:
        found.append(("head", "feet"))
    return found
