from __future__ import annotations

import datetime as dt
import json

import pytest

from calmcrown.insight.periods import DayRecord
from calmcrown.insight.trial.analysis import (
    TrialDay,
    TrialSession,
    analysis_dict,
    analyze_trial,
    trial_days,
)
from calmcrown.insight.trial.design import (
    TrialDesign,
    design,
    design_dict,
    design_from_dict,
    end_early,
)

START = dt.date(2026, 1, 5)
DAY = dt.timedelta(days=1)


@pytest.fixture
def trial() -> TrialDesign:
    return design(["head", "none"], START, period_days=14, blocks=4, washout_days=2, seed=8)


def _diary(trial: TrialDesign, headache_every: dict[str, int]) -> list[TrialDay]:
    """A headache every n-th day of each period, by the period's arm."""
    days = []
    for period in trial.periods:
        for offset in range(period.days):
            n = headache_every[period.arm]
            days.append(TrialDay(period.start + offset * DAY, offset % n == 0, 6, offset % n == 0))
    return days


def test_washout_and_unrecorded_days_are_not_analysed(trial: TrialDesign) -> None:
    first = trial.periods[0]
    days = [TrialDay(first.start + i * DAY, True, 5) for i in range(14) if i not in (5, 6)]
    days.append(TrialDay(first.start + 7 * DAY, None))  # an entry with no answer
    days = [d for d in days if d.date != first.start + 7 * DAY or d.headache is None]
    result = analyze_trial(trial, days, [], trial.end)
    period = result.periods[0]
    # 14 days - 2 washout - 2 unrecorded - 1 unanswered
    assert period.analysed_days == 9
    assert period.headache_days == 9
    assert period.headache_days_per_28 == pytest.approx(28)


def test_a_clear_large_difference_is_likely_better(trial: TrialDesign) -> None:
    result = analyze_trial(trial, _diary(trial, {"head": 12, "none": 2}), [], trial.end)
    (comparison,) = result.comparisons
    assert (comparison.arm, comparison.versus) == ("head", "none")
    assert comparison.figures is not None and comparison.figures.rate_ratio is not None
    assert comparison.figures.rate_ratio < 0.3
    assert comparison.verdict.value == "likely_better"


def test_a_running_trial_is_in_progress_without_figures(trial: TrialDesign) -> None:
    today = trial.periods[3].end
    result = analyze_trial(trial, _diary(trial, {"head": 12, "none": 2}), [], today)
    (comparison,) = result.comparisons
    assert comparison.verdict.value == "in_progress"
    assert comparison.figures is None
    assert result.periods[4].analysed_days == 0


def test_a_period_with_under_seven_analysed_days_is_insufficient(trial: TrialDesign) -> None:
    days = [d for d in _diary(trial, {"head": 3, "none": 3})
            if not trial.periods[2].contains(d.date) or d.date.day % 3 == 0]  # fmt: skip
    result = analyze_trial(trial, days, [], trial.end)
    assert result.periods[2].analysed_days < 7
    assert result.comparisons[0].verdict.value == "insufficient_data"


def test_an_early_end_compares_the_complete_blocks_and_says_so(trial: TrialDesign) -> None:
    ended = end_early(trial, trial.periods[6].start + 3 * DAY, "moving house")
    result = analyze_trial(ended, _diary(trial, {"head": 12, "none": 2}), [], trial.end)
    assert result.complete_blocks == (1, 2, 3)
    assert result.comparisons[0].verdict.value != "in_progress"
    assert any("ended early" in caveat and "moving house" in caveat for caveat in result.caveats)


def test_sessions_of_another_arm_are_deviations_and_stops_are_counted(
    trial: TrialDesign,
) -> None:
    head = next(p for p in trial.periods if p.arm == "head")
    none = next(p for p in trial.periods if p.arm == "none")
    sessions = [
        TrialSession(head.start, "head", 6, 3),
        TrialSession(head.start + DAY, "head", 5, 3),
        TrialSession(head.start + 2 * DAY, "feet"),
        TrialSession(head.start + 3 * DAY, "head", stopped_by_screening=True),
        TrialSession(none.start, "head", 4, 4),
        TrialSession(trial.start - DAY, "head", 8, 0),  # before the trial: not counted
    ]
    result = analyze_trial(trial, _diary(trial, {"head": 3, "none": 3}), sessions, trial.end)
    by_index = {p.period.index: p for p in result.periods}
    assert (by_index[head.index].done, by_index[head.index].deviations) == (2, 1)
    assert by_index[head.index].stops == 1
    assert by_index[head.index].planned == 6
    assert (by_index[none.index].planned, by_index[none.index].deviations) == (0, 1)
    assert result.immediate["head"].sessions == 3
    assert result.immediate["head"].mean_change == pytest.approx(-5 / 3)
    assert any("deviations" in caveat for caveat in result.caveats)
    assert any("safety check stopped 1" in caveat for caveat in result.caveats)


def test_the_json_has_the_issue_keys_and_null_for_what_cannot_be_computed(
    trial: TrialDesign,
) -> None:
    result = analyze_trial(trial, _diary(trial, {"head": 4, "none": 2}), [], trial.end)
    data = json.loads(json.dumps(analysis_dict(result)))
    assert {"arms", "periods", "comparisons", "immediate", "adherence", "caveats"} <= data.keys()
    assert {"index", "block", "arm", "start", "end", "analysed_days", "headache_days",
            "headache_days_per_28", "sessions"} <= data["periods"][0].keys()  # fmt: skip
    assert {"arm", "versus", "rate_ratio", "ci_low", "ci_high", "p_randomisation",
            "verdict"} <= data["comparisons"][0].keys()  # fmt: skip
    assert data["immediate"]["head"] == {"sessions": 0, "mean_change": None, "ci_low": None,
                                         "ci_high": None}  # fmt: skip
    assert "No blinding" in data["caveats"][0]


def test_the_diary_records_become_trial_days_with_the_same_definitions() -> None:
    records = [
        DayRecord(START, True, 4, True, "ibuprofen"),
        DayRecord(START + DAY, False, 0, False),
    ]
    assert trial_days(records) == [TrialDay(START, True, 4, True),
                                   TrialDay(START + DAY, False, 0, False)]  # fmt: skip


def test_an_end_within_the_second_block_leaves_too_little_to_compare(trial: TrialDesign) -> None:
    ended = end_early(trial, trial.periods[2].end, "not for me")
    result = analyze_trial(ended, _diary(trial, {"head": 12, "none": 2}), [], trial.end)
    assert result.complete_blocks == (1,)
    assert result.comparisons[0].verdict.value == "insufficient_data"


def test_three_arms_give_three_comparisons_from_one_model() -> None:
    trial = design(["head", "feet", "none"], START, seed=21)
    result = analyze_trial(trial, _diary(trial, {"head": 10, "feet": 5, "none": 2}), [],
                           trial.end)  # fmt: skip
    found = {(c.arm, c.versus): c for c in result.comparisons}
    assert set(found) == {("head", "none"), ("feet", "none"), ("head", "feet")}
    ratios = {pair: c.figures.rate_ratio for pair, c in found.items() if c.figures}
    assert ratios[("head", "none")] < ratios[("feet", "none")] < 1
    assert ratios[("head", "feet")] == pytest.approx(
        ratios[("head", "none")] / ratios[("feet", "none")]
    )
    assert all(c.figures and c.figures.allocations == 6**4 for c in found.values())


def test_a_design_read_back_from_its_json_analyses_the_same(trial: TrialDesign) -> None:
    days = _diary(trial, {"head": 4, "none": 2})
    again = design_from_dict(json.loads(json.dumps(design_dict(trial))))
    assert analysis_dict(analyze_trial(again, days, [], trial.end)) == analysis_dict(
        analyze_trial(trial, days, [], trial.end)
    )
