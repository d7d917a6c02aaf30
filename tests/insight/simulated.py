"""Simulated diaries whose headache days come in runs, for the calibration tests.

A two-state chain: the chance of a headache tomorrow depends on whether there is one
today. ``after_headache`` = P(headache | headache yesterday), ``after_free`` =
P(headache | free yesterday). Its long-run share of headache days is
after_free / (1 - after_headache + after_free).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from calmcrown.diary.records import DayEntry, SessionEntry

START = dt.date(2025, 1, 6)  # a Monday, far enough back for any length


@dataclass(frozen=True)
class Chain:
    after_headache: float
    after_free: float

    @property
    def share(self) -> float:
        return self.after_free / (1 - self.after_headache + self.after_free)

    def reduced(self, reduction: float) -> Chain:
        """The same clustering (lag-one correlation) with ``reduction`` fewer headache
        days in the long run."""
        lag_one = self.after_headache - self.after_free
        share = self.share * (1 - reduction)
        after_free = share * (1 - lag_one)
        return Chain(after_free + lag_one, after_free)

    def days(self, count: int, rng: np.random.Generator, first: bool | None = None) -> np.ndarray:
        headache = np.empty(count, dtype=bool)
        draws = rng.random(count)
        headache[0] = draws[0] < self.share if first is None else first
        for i in range(1, count):
            headache[i] = draws[i] < (self.after_headache if headache[i - 1] else self.after_free)
        return headache


def diary(
    rng: np.random.Generator,
    baseline_weeks: int,
    practice_weeks: int,
    before: Chain,
    after: Chain | None = None,
    unrecorded: float = 0.0,
) -> tuple[list[DayEntry], list[SessionEntry], dt.date]:
    """Day entries (some dates left out) and one session on the practice's first day."""
    baseline_days, practice_days = 7 * baseline_weeks, 7 * practice_weeks
    headache = before.days(baseline_days + practice_days, rng)
    if after is not None:
        # The practice period continues the chain from the baseline's last day.
        headache[baseline_days:] = after.days(practice_days, rng, bool(headache[baseline_days - 1]))
    recorded = rng.random(len(headache)) >= unrecorded
    days = [
        DayEntry.model_construct(date=START + dt.timedelta(days=i), intensity=5 if h else 0)
        for i, (h, kept) in enumerate(zip(headache, recorded, strict=True))
        if kept
    ]
    practice_start = START + dt.timedelta(days=baseline_days)
    session = SessionEntry.model_construct(
        date=practice_start, routine="evening", seconds=600, outcome="completed",
        pain_before=None, pain_after=None, planned_after_s=None, actual_after_s=None,
    )  # fmt: skip
    return days, [session], practice_start
