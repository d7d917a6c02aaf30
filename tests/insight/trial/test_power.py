from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from calmcrown.insight.trial.power import (
    TYPICAL,
    HeadacheChain,
    fit_chain,
    power_dicts,
    power_table,
)
from tests.insight.simulated import START, Chain


def _dated(headache: np.ndarray) -> list[tuple[dt.date, bool]]:
    return [(START + dt.timedelta(days=i), bool(h)) for i, h in enumerate(headache)]


def test_the_chain_is_fitted_from_consecutive_recorded_days() -> None:
    days = Chain(0.6, 0.2).days(3000, np.random.default_rng(3))
    chain = fit_chain(_dated(days))
    assert chain.fitted
    assert chain.after_headache == pytest.approx(0.6, abs=0.04)
    assert chain.after_free == pytest.approx(0.2, abs=0.03)


def test_unrecorded_days_break_a_pair_rather_than_count_as_free() -> None:
    days = _dated(Chain(0.6, 0.2).days(600, np.random.default_rng(4)))
    # Every third date missing: only the pairs of dates both recorded count.
    chain = fit_chain(d for i, d in enumerate(days) if i % 3)
    assert chain.after_headache == pytest.approx(0.6, abs=0.08)


def test_without_enough_diary_the_typical_chain_is_used() -> None:
    assert fit_chain([]) is TYPICAL
    assert fit_chain(_dated(np.array([True, False] * 5))) is TYPICAL
    assert TYPICAL.share * 28 == pytest.approx(10.5)


def test_a_reduced_chain_keeps_its_clustering() -> None:
    after_headache, after_free = TYPICAL.reduced(0.5)
    assert after_headache - after_free == pytest.approx(0.2)
    reduced = HeadacheChain(after_headache, after_free, fitted=False)
    assert reduced.share == pytest.approx(TYPICAL.share / 2)


def test_more_blocks_find_a_halving_more_often_and_the_same_seed_gives_the_same_figures() -> None:
    rows = power_table(TYPICAL, ["head", "none"], 28, 2, block_choices=(3, 6), seed=5)
    three, six = rows
    assert six.power_50 > three.power_50 + 0.2
    assert six.detectable_reduction is not None and 0.3 < six.detectable_reduction < 0.9
    assert three.detectable_reduction is None or three.detectable_reduction > 0.5
    assert power_table(TYPICAL, ["head", "none"], 28, 2, block_choices=(6,), seed=5) == [six]


def test_the_power_rows_have_the_issue_keys() -> None:
    rows = power_table(TYPICAL, ["feet", "none"], 7, 0, block_choices=(3,), seed=1)
    (row,) = power_dicts(rows)
    assert {"blocks", "power_50", "detectable_reduction"} <= row.keys()
    assert row["blocks"] == 3 and 0 <= row["power_50"] <= 1
