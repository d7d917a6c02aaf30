"""What a design can find, before the person commits to it: by simulation from their
own diary, the chance of finding a true 50% reduction (``power_50``), and the smallest
reduction found 80% of the time (``detectable_reduction``), for 3 to 6 blocks.

The person's headache days are modelled as a two-state chain (the chance of a headache
depends on whether yesterday had one), fitted from consecutive recorded days of their
diary; with too little diary, a typical chain of about 10 headache days per 28 is used.
Each simulated trial runs the real design (its periods, washout and block randomisation)
and the real comparison and verdict rule; "found" means ``likely_better``.

Every analysed day is taken as recorded: days left unrecorded lower the power further.

Deterministic given the seed. Each figure is a share of ``SIMULATIONS`` trials: its 95%
margin is about +-0.1 at 0.5, which is enough to choose between designs and is stated
beside the figures. The simulations share their random numbers across reductions
(common random numbers), so that a larger reduction is never found less often by chance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from calmcrown.insight.trial.comparison import finds_better, pairs
from calmcrown.insight.trial.design import BLOCK_CHOICES, allocation

SIMULATIONS = 100
TARGET_POWER = 0.8
TYPICAL_AFTER_HEADACHE = 0.5
TYPICAL_AFTER_FREE = 0.3
"""A typical diary: about 10.5 headache days per 28, in runs."""
MINIMUM_PAIRS = 28
"""Consecutive recorded day pairs needed to fit the person's own chain."""
BISECTION_STEPS = 4
"""Halvings of the reduction's interval: to within about 0.03, finer than the margin."""


@dataclass(frozen=True)
class HeadacheChain:
    after_headache: float
    """P(headache today | headache yesterday)."""
    after_free: float
    """P(headache today | no headache yesterday)."""
    fitted: bool
    """True when fitted from the person's diary; False for the typical chain."""

    @property
    def share(self) -> float:
        return self.after_free / (1 - self.after_headache + self.after_free)

    def reduced(self, reduction: float) -> tuple[float, float]:
        """The chain with ``reduction`` fewer headache days, keeping its lag-one
        correlation (and so how its days cluster)."""
        lag_one = self.after_headache - self.after_free
        after_free = self.share * (1 - reduction) * (1 - lag_one)
        return after_free + lag_one, after_free


TYPICAL = HeadacheChain(TYPICAL_AFTER_HEADACHE, TYPICAL_AFTER_FREE, fitted=False)


def fit_chain(days: Iterable[tuple[dt.date, bool]]) -> HeadacheChain:
    """The chain of the person's diary: transition shares over pairs of consecutive
    recorded dates (unrecorded dates break a pair, never count as free)."""
    known = dict(days)
    pairs_seen = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    for date, headache in known.items():
        tomorrow = known.get(date + dt.timedelta(days=1))
        if tomorrow is not None:
            pairs_seen[(headache, tomorrow)] += 1
    after_headache_n = pairs_seen[(True, True)] + pairs_seen[(True, False)]
    after_free_n = pairs_seen[(False, True)] + pairs_seen[(False, False)]
    if after_headache_n + after_free_n < MINIMUM_PAIRS or not after_headache_n or not after_free_n:
        return TYPICAL
    after_headache = pairs_seen[(True, True)] / after_headache_n
    after_free = pairs_seen[(False, True)] / after_free_n
    if after_free == 0 or after_headache == 1:
        # No headache from a free day, or headaches that never end: nothing to simulate
        # a reduction of; plan with the typical diary instead.
        return TYPICAL
    # Never plan with less clustering than none: a negatively correlated diary is rare
    # and a short one may look so by chance.
    if after_headache < after_free:
        share = after_free / (1 - after_headache + after_free)
        after_headache = after_free = share
    return HeadacheChain(after_headache, after_free, fitted=True)


def _simulate(chain: HeadacheChain, reductions: np.ndarray, uniforms: np.ndarray,
              first: np.ndarray) -> np.ndarray:  # fmt: skip
    """Headache days (simulations x days), each day's reduction from ``reductions``
    (simulations x days). The same uniforms for every reduction: common random numbers."""
    lag_one = chain.after_headache - chain.after_free
    # HeadacheChain.reduced, for every simulated day at once.
    after_free = chain.share * (1 - reductions) * (1 - lag_one)
    after_headache = after_free + lag_one
    headache = np.empty(uniforms.shape, dtype=bool)
    headache[:, 0] = first < chain.share * (1 - reductions[:, 0])
    for i in range(1, uniforms.shape[1]):
        chance = np.where(headache[:, i - 1], after_headache[:, i], after_free[:, i])
        headache[:, i] = uniforms[:, i] < chance
    return headache


def _found_share(chain: HeadacheChain, arms: Sequence[str], blocks: int, period_days: int,
                 washout_days: int, reduction: float, rng_seed: int) -> float:  # fmt: skip
    arm, versus = pairs(arms)[0]
    rng = np.random.Generator(np.random.PCG64(rng_seed))
    periods = len(arms) * blocks
    uniforms = rng.random((SIMULATIONS, periods * period_days))
    first = rng.random(SIMULATIONS)
    seeds = rng.integers(0, 2**53, SIMULATIONS)
    codes = {name: i for i, name in enumerate(arms)}
    arm_codes = np.array([[codes[a] for a in allocation(arms, blocks, int(s))] for s in seeds])
    block_codes = np.repeat(np.arange(blocks), len(arms))
    daily = np.where(np.repeat(arm_codes == codes[arm], period_days, axis=1), reduction, 0.0)
    headache = _simulate(chain, daily, uniforms, first)
    kept = headache.reshape(SIMULATIONS, periods, period_days)[:, :, washout_days:]
    counts = kept.sum(axis=2).astype(float)
    exposure = np.full(periods, float(period_days - washout_days))
    found = sum(
        finds_better(counts[i], exposure, arm_codes[i], block_codes, codes[arm], codes[versus])
        for i in range(SIMULATIONS)
    )
    return found / SIMULATIONS


@dataclass(frozen=True)
class PowerRow:
    blocks: int
    power_50: float
    detectable_reduction: float | None
    """None when even a 95% reduction is found less than 80% of the time."""
    simulations: int


def power_table(
    chain: HeadacheChain,
    arms: Sequence[str],
    period_days: int,
    washout_days: int,
    block_choices: Sequence[int] = BLOCK_CHOICES,
    seed: int = 0,
) -> list[PowerRow]:
    """``power_50`` and ``detectable_reduction`` for each number of blocks. The first
    comparison of :func:`pairs` is simulated (an active arm against ``none``, or head
    against feet) with the reduction in the first arm and none in the other arms."""
    rows = []
    for blocks in block_choices:

        def share(reduction: float, blocks: int = blocks) -> float:
            return _found_share(chain, arms, blocks, period_days, washout_days, reduction,
                                seed + blocks)  # fmt: skip

        power_50 = share(0.5)
        low, high = (0.0, 0.5) if power_50 >= TARGET_POWER else (0.5, 0.95)
        if high == 0.95 and share(0.95) < TARGET_POWER:
            detectable = None
        else:
            for _ in range(BISECTION_STEPS):
                middle = (low + high) / 2
                low, high = (low, middle) if share(middle) >= TARGET_POWER else (middle, high)
            detectable = round(high, 2)
        rows.append(PowerRow(blocks, round(power_50, 2), detectable, SIMULATIONS))
    return rows


def power_dicts(rows: Sequence[PowerRow]) -> list[dict[str, Any]]:
    """The ``power`` list of the design's JSON."""
    return [
        {
            "blocks": row.blocks,
            "power_50": row.power_50,
            "detectable_reduction": row.detectable_reduction,
            "simulations": row.simulations,
        }
        for row in rows
    ]
