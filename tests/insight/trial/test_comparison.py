from __future__ import annotations

import itertools

import numpy as np
import pytest
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM

from calmcrown.insight.trial.comparison import (
    Figures,
    Verdict,
    compare,
    finds_better,
    pairs,
    randomisation_test,
    verdict_of,
)

# Two arms (0 = head, 1 = none), four blocks, arm 0 in the first period of blocks 1 and 3.
ARMS = np.array([0, 1, 1, 0, 0, 1, 1, 0])
BLOCKS = np.repeat(np.arange(4), 2)
EXPOSURE = np.full(8, 12.0)


def test_the_rate_ratio_is_the_quasi_poisson_fit_with_arm_and_block_effects() -> None:
    counts = np.array([2, 6, 5, 3, 1, 4, 7, 2], dtype=float)
    figures = compare(counts, EXPOSURE, ARMS, BLOCKS, 0, 1)
    # The same model written out for statsmodels: intercept, head, blocks 2-4.
    design = np.column_stack([np.ones(8), ARMS == 0, *(b == BLOCKS for b in (1, 2, 3))])
    fit = GLM(counts, design.astype(float), family=families.Poisson(),
              offset=np.log(EXPOSURE)).fit(scale="X2")  # fmt: skip
    assert figures.rate_ratio == pytest.approx(np.exp(fit.params[1]))
    assert figures.degrees_of_freedom == 3
    assert not figures.trend, "no trend term when it would leave under 3 df"
    low, high = fit.conf_int(alpha=0.05)[1]
    assert figures.ci_low is not None and figures.ci_high is not None
    # A t interval on 3 df is wider than statsmodels' normal one.
    assert figures.ci_low < np.exp(low) < np.exp(high) < figures.ci_high


def test_with_equal_periods_the_ratio_is_the_ratio_of_the_arms_totals() -> None:
    # A complete, balanced layout: the Poisson fit with arm and block effects has the
    # arms' totals as its margins (McCullagh & Nelder, ch. 6).
    counts = np.array([2, 6, 5, 3, 1, 4, 7, 2], dtype=float)
    figures = compare(counts, EXPOSURE, ARMS, BLOCKS, 0, 1)
    assert figures.rate_ratio == pytest.approx(counts[ARMS == 0].sum() / counts[ARMS == 1].sum())


def test_with_every_block_favouring_an_arm_the_randomisation_p_is_its_smallest() -> None:
    counts = np.array([1, 6, 5, 2, 1, 4, 7, 2], dtype=float)
    p, smallest, allocations, exact = randomisation_test(counts / EXPOSURE, ARMS, BLOCKS, 0, 1)
    assert (p, smallest, allocations, exact) == (1 / 16, 1 / 16, 16, True)


def test_three_arms_give_six_orders_a_block() -> None:
    arms = np.array([0, 1, 2, 2, 0, 1, 1, 2, 0, 0, 2, 1])
    blocks = np.repeat(np.arange(4), 3)
    counts = np.array([1, 4, 6, 7, 1, 4, 3, 6, 1, 0, 5, 3], dtype=float)
    p, smallest, allocations, exact = randomisation_test(counts / 12, arms, blocks, 0, 2)
    assert allocations == 6**4 and exact
    assert smallest == pytest.approx(1 / 6**4)
    assert p == pytest.approx(1 / 6**4)


def test_the_exact_count_agrees_with_listing_every_allocation() -> None:
    # Three arms, four blocks: all 1,296 allocations listed by brute force.
    rng = np.random.default_rng(5)
    arms = np.array([0, 1, 2, 2, 0, 1, 1, 2, 0, 0, 2, 1])
    blocks = np.repeat(np.arange(4), 3)
    for _ in range(20):
        rates = rng.poisson(3, 12) / 12
        p, *_ = randomisation_test(rates, arms, blocks, 0, 2)
        table = []
        for block in range(4):
            inside = np.flatnonzero(blocks == block)
            row = []
            for order in itertools.permutations(range(3)):
                assigned = [arms[inside][i] for i in order]
                row.append(rates[inside[assigned.index(0)]] - rates[inside[assigned.index(2)]])
            table.append(row)
        sums = np.array([sum(table[b][c] for b, c in enumerate(choice))
                         for choice in itertools.product(range(6), repeat=4)])  # fmt: skip
        observed = sum(row[0] for row in table)
        extreme = sums <= observed + 1e-12 if observed <= 0 else sums >= observed - 1e-12
        assert p == pytest.approx(extreme.mean())


def test_too_many_allocations_are_sampled_with_a_seed() -> None:
    blocks = np.repeat(np.arange(30), 2)
    arms = np.tile([0, 1], 30)
    rates = np.random.default_rng(1).random(60)
    first = randomisation_test(rates, arms, blocks, 0, 1)
    assert first == randomisation_test(rates, arms, blocks, 0, 1)
    assert first[2] == 20_000 and not first[3]
    assert first[0] > 0


def test_no_headache_in_either_arm_gives_no_ratio() -> None:
    figures = compare(np.zeros(8), EXPOSURE, ARMS, BLOCKS, 0, 1)
    assert figures.rate_ratio is None
    assert verdict_of(figures) is Verdict.NO_CLEAR_DIFFERENCE


def test_no_headache_in_the_arm_gives_a_zero_ratio_with_a_corrected_bound() -> None:
    counts = np.array([0, 6, 5, 0, 0, 4, 7, 0], dtype=float)
    figures = compare(counts, EXPOSURE, ARMS, BLOCKS, 0, 1)
    assert figures.rate_ratio == 0 and figures.ci_low == 0
    assert figures.corrected_zero is True
    assert figures.ci_high is not None and figures.ci_high < 1
    assert verdict_of(figures) is Verdict.LIKELY_BETTER, "every block favours the arm"


def _figures(high: float, low: float, p: float, smallest: float) -> Figures:
    return Figures(0.5, low, high, p, smallest, 16, True, False, 1.0, 3)


@pytest.mark.parametrize(
    ("figures", "verdict"),
    [
        (_figures(0.9, 0.2, 0.01, 0.001), Verdict.LIKELY_BETTER),
        (_figures(1.1, 0.2, 0.01, 0.001), Verdict.NO_CLEAR_DIFFERENCE),
        (_figures(0.9, 0.2, 0.2, 0.001), Verdict.NO_CLEAR_DIFFERENCE),
        (_figures(0.9, 0.2, 1 / 16, 1 / 16), Verdict.LIKELY_BETTER),
        (_figures(0.9, 0.2, 2 / 16, 1 / 16), Verdict.NO_CLEAR_DIFFERENCE),
        (_figures(3.0, 1.2, 0.01, 0.001), Verdict.LIKELY_WORSE),
    ],
    ids=[
        "both-agree",
        "interval-crosses-1",
        "p-too-large",
        "every-block-at-4-blocks",
        "one-block-against",
        "worse",
    ],
)
def test_the_verdict_needs_the_interval_and_the_randomisation_test(
    figures: Figures, verdict: Verdict
) -> None:
    assert verdict_of(figures) is verdict


def test_the_quick_check_for_better_agrees_with_the_full_verdict() -> None:
    rng = np.random.default_rng(2)
    for _ in range(200):
        counts = rng.poisson(np.where(ARMS == 0, 2.0, 5.0)).astype(float)
        full = verdict_of(compare(counts, EXPOSURE, ARMS, BLOCKS, 0, 1)) is Verdict.LIKELY_BETTER
        assert finds_better(counts, EXPOSURE, ARMS, BLOCKS, 0, 1) == full


def test_each_active_arm_is_compared_with_none_and_head_with_feet() -> None:
    assert pairs(["head", "feet", "none"]) == [("head", "none"), ("feet", "none"),
                                               ("head", "feet")]  # fmt: skip
    assert pairs(["feet", "none"]) == [("feet", "none")]
    assert pairs(["head", "feet"]) == [("head", "feet")]
