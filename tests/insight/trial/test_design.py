from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from calmcrown.insight.trial.design import (
    DesignError,
    DesignParseError,
    allocation,
    design,
    design_dict,
    design_from_dict,
    end_early,
    extend_period,
    rederive,
)

START = dt.date(2026, 1, 5)


def test_every_block_holds_every_arm_once() -> None:
    trial = design(["head", "feet", "none"], START, blocks=5, seed=12)
    for block in range(1, 6):
        arms = [p.arm for p in trial.periods if p.block == block]
        assert sorted(arms) == ["feet", "head", "none"]


def test_periods_follow_each_other_without_gap_and_wash_out_their_first_days() -> None:
    trial = design(["head", "feet"], START, period_days=14, washout_days=2, seed=3)
    assert len(trial.periods) == 8
    assert trial.periods[0].start == START
    for earlier, later in zip(trial.periods, trial.periods[1:], strict=False):
        assert later.start == earlier.end + dt.timedelta(days=1)
        assert later.days == 14
    first = trial.periods[0]
    assert first.is_washout(START + dt.timedelta(days=1))
    assert not first.is_washout(START + dt.timedelta(days=2))
    assert first.analysed_from == START + dt.timedelta(days=2)


def test_the_same_seed_gives_the_same_allocation_and_rederive_confirms_it() -> None:
    one = design(["head", "feet"], START, seed=2026)
    two = design(["head", "feet"], START, seed=2026)
    assert one.periods == two.periods
    assert rederive(one)


def test_a_tampered_allocation_fails_rederive() -> None:
    trial = design(["head", "feet"], START, seed=2026)
    data = design_dict(trial)
    first, second = data["periods"][0]["arm"], data["periods"][1]["arm"]
    data["periods"][0]["arm"], data["periods"][1]["arm"] = second, first
    assert not rederive(design_from_dict(data))


def test_the_allocation_is_the_documented_pcg64_draw() -> None:
    # np.random.Generator(np.random.PCG64(1)).permutation(2), four times: stable across
    # numpy versions by numpy's stream-compatibility policy for PCG64.
    assert allocation(["head", "feet"], 4, 1) == (
        "head", "feet", "head", "feet", "feet", "head", "head", "feet",
    )  # fmt: skip
    assert allocation(["head", "feet", "none"], 2, 1) == (
        "head", "feet", "none", "none", "head", "feet",
    )  # fmt: skip
    orders = Counter(allocation(["head", "feet"], 1, seed)[0] for seed in range(400))
    assert 150 < orders["head"] < 250, "each order about half the time"


def test_a_seed_is_drawn_when_none_is_given() -> None:
    seeds = {design(["head", "feet"], START).seed for _ in range(5)}
    assert len(seeds) == 5


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ({"arms": ["head"]}, "arms"),
        ({"arms": ["head", "back"]}, "arms"),
        ({"arms": ["head", "head"]}, "arms"),
        ({"period_days": 6}, "period_days"),
        ({"period_days": 29}, "period_days"),
        ({"blocks": 2}, "blocks"),
        ({"washout_days": 8}, "washout_days"),
        ({"washout_days": 3, "period_days": 7}, "washout_days"),
        ({"seed": -1}, "seed"),
    ],
)
def test_a_bad_parameter_is_named(arguments: dict[str, object], parameter: str) -> None:
    values: dict[str, object] = {"arms": ["head", "feet"], "start": START} | arguments
    with pytest.raises(DesignError) as raised:
        design(**values)  # type: ignore[arg-type]
    assert raised.value.parameter == parameter
    assert isinstance(raised.value, ValueError)


def test_the_json_has_the_issue_keys_and_reads_back_the_same_design() -> None:
    trial = extend_period(design(["head", "feet", "none"], START, seed=9), 2, 3, START, "flu")
    power = [{"blocks": 4, "power_50": 0.5, "detectable_reduction": 0.6}]
    data = json.loads(json.dumps(design_dict(trial, power)))
    assert {"id", "arms", "seed", "period_days", "washout_days", "blocks", "periods",
            "power"} <= data.keys()  # fmt: skip
    assert {"index", "block", "arm", "start", "end"} <= data["periods"][0].keys()
    assert data["power"] == power
    assert design_from_dict(data) == trial


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda d: d.pop("seed"), "seed"),
        (lambda d: d.update(blocks="four"), "blocks"),
        (lambda d: d.update(arms=["head", "back"]), "arms"),
        (lambda d: d["periods"][1].update(start="soon"), "periods[1].start"),
        (lambda d: d["periods"][0].pop("arm"), "periods[0].arm"),
        (lambda d: d.update(periods=[]), "periods"),
        (lambda d: d.update(amendments=[{"kind": "paused"}]), "amendments[0].kind"),
        (lambda d: d.update(amendments=["x"]), "amendments[0]"),
        (
            lambda d: d.update(
                amendments=[
                    {"kind": "period_extended", "date": "2026-01-09", "reason": "flu", "days": "3"}
                ]
            ),
            "amendments[0].days",
        ),
    ],
)
def test_a_design_that_does_not_parse_names_the_key(change: object, key: str) -> None:
    data = design_dict(design(["head", "feet"], START, seed=1))
    change(data)  # type: ignore[operator]
    with pytest.raises(DesignParseError) as raised:
        design_from_dict(data)
    assert raised.value.key == key


def test_extending_a_period_moves_the_later_ones_and_is_recorded() -> None:
    trial = design(["head", "feet"], START, seed=4)
    amended = extend_period(trial, 3, 5, START + dt.timedelta(days=30), "a week away")
    assert amended.periods[2].days == 19
    assert amended.periods[3].start == trial.periods[3].start + dt.timedelta(days=5)
    assert [p.arm for p in amended.periods] == [p.arm for p in trial.periods]
    assert amended.amendments[0].reason == "a week away"
    assert trial.amendments == (), "the original design is unchanged"


def test_ending_early_cuts_the_running_period_and_drops_the_later_ones() -> None:
    trial = design(["head", "feet"], START, seed=4)
    ended = end_early(trial, START + dt.timedelta(days=20), "moved house")
    assert len(ended.periods) == 2
    assert ended.end == START + dt.timedelta(days=20)
    assert ended.ended_early is not None and ended.ended_early.reason == "moved house"
    with pytest.raises(DesignError):
        end_early(ended, START + dt.timedelta(days=21), "again")
