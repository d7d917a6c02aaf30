"""The trial's verdict is calibrated: over 500 simulated trials with no true difference
between the arms, whose headache days cluster, drift downwards and have gaps, a false
``likely_better`` comes out at most 5% of the time, less often than StudyU's Welch t-test
on daily values says "better" on the same diaries. The power at a true 50% reduction is
measured at 4 and 6 blocks. Seeded, so every run sees the same trials; the measured
rates are printed with -s and written in docs/insight.md ("Personal trial")."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from calmcrown.insight.trial.analysis import TrialDay, analyze_trial
from calmcrown.insight.trial.design import TrialDesign, design
from tests.insight.simulated import START, Chain

TRIALS = 500
CLUSTERED = Chain(after_headache=0.6, after_free=0.2)  # a third of days, in runs
TREND = 1 / 3  # headache days falling by a third from the first day to the last
UNRECORDED = 0.1


def _diaries(rng: np.random.Generator, trials: list[TrialDesign], reduction: float,
             trend: float) -> list[list[TrialDay]]:  # fmt: skip
    """Each trial's recorded days: ``CLUSTERED`` days, ``reduction`` fewer in head
    periods, falling by ``trend`` over the trial, ``UNRECORDED`` of them left out."""
    length = (trials[0].end - trials[0].start).days + 1
    drift = np.linspace(0, trend, length)
    head = np.array([[p.arm == "head" for p in t.periods for _ in range(p.days)]
                     for t in trials])  # fmt: skip
    # Chain.reduced keeps the clustering; the reductions of trend and arm multiply.
    total = 1 - (1 - drift) * np.where(head, 1 - reduction, 1.0)
    after = np.vectorize(lambda r: CLUSTERED.reduced(float(r)).after_headache)(total)
    free = np.vectorize(lambda r: CLUSTERED.reduced(float(r)).after_free)(total)
    draws = rng.random((len(trials), length))
    headache = np.empty_like(draws, dtype=bool)
    headache[:, 0] = draws[:, 0] < CLUSTERED.share
    for i in range(1, length):
        headache[:, i] = draws[:, i] < np.where(headache[:, i - 1], after[:, i], free[:, i])
    recorded = rng.random(headache.shape) >= UNRECORDED
    return [
        [TrialDay(t.start + dt.timedelta(days=i), bool(h[i]), 5 if h[i] else 0)
         for i in range(length) if kept[i]]
        for t, h, kept in zip(trials, headache, recorded, strict=True)
    ]  # fmt: skip


def _run(seed: int, blocks: int, reduction: float, trend: float,
         arms: tuple[str, ...] = ("head", "none")) -> tuple[float, float]:  # fmt: skip
    """The share of ``likely_better`` verdicts of head against none, and of the daily
    Welch t-test's "better"."""
    rng = np.random.default_rng(seed)
    trials = [design(arms, START, 14, blocks, 2, int(s))
              for s in rng.integers(0, 2**53, TRIALS)]  # fmt: skip
    better = welch_better = 0
    for trial, days in zip(trials, _diaries(rng, trials, reduction, trend), strict=True):
        result = analyze_trial(trial, days, [], trial.end)
        better += result.comparisons[0].verdict.value == "likely_better"
        # StudyU: every recorded day of A against every one of B, no washout, Welch.
        arm = {d: p.arm for p in trial.periods for d in _dates(p.start, p.end)}
        head = np.array([d.headache for d in days if arm[d.date] == "head"], dtype=float)
        none = np.array([d.headache for d in days if arm[d.date] == "none"], dtype=float)
        welch = stats.ttest_ind(head, none, equal_var=False)
        welch_better += bool(welch.pvalue < 0.05 and head.mean() < none.mean())
    return better / TRIALS, welch_better / TRIALS


def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def test_no_true_difference_is_rarely_called_better_and_less_often_than_by_a_daily_t_test() -> None:
    better, welch = _run(12, 4, 0.0, TREND)
    print(f"no difference, 4 blocks: likely_better {better:.1%}, daily Welch 'better' {welch:.1%}")
    assert better <= 0.05
    assert welch > better
    assert welch > 0.05, "the daily t-test is not calibrated on clustered days"


# Floors at about half the measured rates (6.8% and 16.4% with these seeds).
@pytest.mark.parametrize(
    ("blocks", "arms"),
    [(3, ("head", "none")), (6, ("head", "none")), (4, ("head", "feet", "none"))],
    ids=["3-blocks", "6-blocks", "three-arms"],
)
def test_no_true_difference_is_rarely_called_better_in_other_designs(
    blocks: int, arms: tuple[str, ...]
) -> None:
    better, welch = _run(13, blocks, 0.0, TREND, arms)
    print(f"no difference, {blocks} blocks, {len(arms)} arms: likely_better {better:.1%}, "
          f"daily Welch 'better' {welch:.1%}")  # fmt: skip
    assert better <= 0.05


@pytest.mark.parametrize(("blocks", "floor"), [(4, 0.03), (6, 0.10)])
def test_a_true_halving_is_found_as_often_as_measured(blocks: int, floor: float) -> None:
    found, _ = _run(50 + blocks, blocks, 0.5, 0.0)
    print(f"50% reduction, {blocks} blocks of 14 days: likely_better {found:.1%}")
    assert found >= floor
