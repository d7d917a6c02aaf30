"""The verdict is calibrated: over simulated diaries with no true change, whose headache
days cluster, "likely better" comes out at most 5% of the time; with a true 60% reduction
over 12 + 12 weeks it comes out at least 65% of the time. Seeded, so every run sees the
same diaries; the measured rates are printed with -s."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest
from scipy import stats

from calmcrown.insight.analysis import analyze
from tests.insight.simulated import Chain, diary

DIARIES = 500
CLUSTERED = Chain(after_headache=0.6, after_free=0.2)  # a third of days, in runs
TEN_PER_28 = Chain(after_headache=0.5, after_free=0.3)  # about 10.5 headache days per 28


def _verdicts(
    seed: int,
    baseline_weeks: int,
    practice_weeks: int,
    before: Chain,
    after: Chain | None = None,
    unrecorded: float = 0.0,
) -> Counter[str]:
    rng = np.random.default_rng(seed)
    verdicts: Counter[str] = Counter()
    for _ in range(DIARIES):
        days, sessions, start = diary(
            rng, baseline_weeks, practice_weeks, before, after, unrecorded
        )
        end = start + dt.timedelta(days=7 * practice_weeks - 1)
        result = analyze(days, [], sessions, now=dt.datetime.combine(end, dt.time(22)), until=end)
        verdicts[result.verdict.value] += 1
    return verdicts


@pytest.mark.parametrize(
    ("baseline_weeks", "practice_weeks", "unrecorded"),
    [(8, 8, 0.0), (6, 14, 0.15), (12, 6, 0.1)],
    ids=["equal", "short-baseline-with-gaps", "short-practice-with-gaps"],
)
def test_no_true_change_is_rarely_called_better(
    baseline_weeks: int, practice_weeks: int, unrecorded: float
) -> None:
    verdicts = _verdicts(7, baseline_weeks, practice_weeks, CLUSTERED, unrecorded=unrecorded)
    assert verdicts["insufficient_data"] == 0, "every diary has 28+ recorded days a period"
    better = verdicts["likely_better"] / DIARIES
    print(f"no change, {baseline_weeks}+{practice_weeks} weeks: likely_better {better:.1%}")
    assert better <= 0.05


def test_a_true_60_percent_reduction_is_found_most_of_the_time() -> None:
    verdicts = _verdicts(11, 12, 12, TEN_PER_28, TEN_PER_28.reduced(0.6))
    found = verdicts["likely_better"] / DIARIES
    print(f"60% reduction, 12+12 weeks: likely_better {found:.1%}")
    assert found >= 0.65
    assert verdicts["likely_worse"] == 0


def test_a_t_test_on_daily_values_cries_better_too_often() -> None:
    """What the peers do (shared/research/peers.md): a t-test on the daily values treats
    clustered days as independent and calls a change that is not there."""
    rng = np.random.default_rng(7)
    better = 0
    for _ in range(DIARIES):
        days = CLUSTERED.days(7 * 16, rng)
        before, after = days[: 7 * 8], days[7 * 8 :]
        result = stats.ttest_ind(before, after)
        better += result.pvalue < 0.05 and after.mean() < before.mean()
    print(f"daily t-test, no change, 8+8 weeks: 'better' {better / DIARIES:.1%}")
    assert better / DIARIES > 0.07, "the daily t-test is not calibrated on clustered days"


def test_the_reduced_chain_keeps_its_clustering() -> None:
    reduced = TEN_PER_28.reduced(0.6)
    assert reduced.share == pytest.approx(TEN_PER_28.share * 0.4)
    lag_one = TEN_PER_28.after_headache - TEN_PER_28.after_free
    assert reduced.after_headache - reduced.after_free == pytest.approx(lag_one)
