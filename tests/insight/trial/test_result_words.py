"""The sentence a person reads first: the right direction, the right figures, and no
more certainty than the verdict carries."""

from __future__ import annotations

import datetime as dt

import pytest

from calmcrown.insight.trial.analysis import analyze_trial
from calmcrown.insight.trial.comparison import Verdict
from calmcrown.insight.trial.design import TrialDesign, design, end_early
from calmcrown.insight.trial.result_words import (
    arm_rate,
    comparison_sentence,
    overall_sentence,
    p_text,
)

from .diaries import DAY, every_nth_day, sessions_by_plan

START = dt.date(2026, 1, 5)


@pytest.fixture
def trial() -> TrialDesign:
    return design(["feet", "none"], START, period_days=14, blocks=4, washout_days=2, seed=8)


def _sentence(trial: TrialDesign, every: dict[str, int], today: dt.date | None = None) -> str:
    analysis = analyze_trial(trial, every_nth_day(trial, every), sessions_by_plan(trial),
                             today or trial.end)  # fmt: skip
    return overall_sentence(analysis)


def test_likely_better_says_fewer_with_both_rates_the_interval_and_the_p(
    trial: TrialDesign,
) -> None:
    analysis = analyze_trial(trial, every_nth_day(trial, {"feet": 12, "none": 2}), [], trial.end)
    (comparison,) = analysis.comparisons
    assert comparison.verdict is Verdict.LIKELY_BETTER and comparison.figures is not None
    sentence = overall_sentence(analysis)
    assert sentence.startswith(
        "Over 4 blocks you likely had fewer headache days in the foot massage periods than "
        "in the no massage periods: 2.3 against 14.0 per 28 days;"
    )
    f = comparison.figures
    assert f.ci_low is not None and f.ci_high is not None
    assert f"the 95% interval of the ratio, {f.ci_low:.2f} to {f.ci_high:.2f}" in sentence
    assert "lies below 1" in sentence
    assert "p = 0.0625, the smallest this design can give" in sentence
    assert "feet" not in sentence and "none" not in sentence, "arms in words"


def test_likely_worse_says_more(trial: TrialDesign) -> None:
    sentence = _sentence(trial, {"feet": 2, "none": 12})
    assert sentence.startswith(
        "Over 4 blocks you likely had more headache days in the foot massage periods than "
        "in the no massage periods: 14.0 against 2.3 per 28 days;"
    )
    assert "lies above 1" in sentence
    assert "1.08 to 33.46, lies above 1" in sentence, "not written as '3246% more'"


def test_no_clear_difference_does_not_say_the_massage_does_nothing(trial: TrialDesign) -> None:
    sentence = _sentence(trial, {"feet": 3, "none": 3})
    assert sentence.startswith(
        "Over 4 blocks there was no clear difference in headache days between the foot "
        "massage and the no massage periods: 9.3 against 9.3 per 28 days;"
    )
    assert "includes 1 (no change)" in sentence and "p = 1.00" in sentence
    assert "may still be there" in sentence
    assert "likely" not in sentence and "smallest" not in sentence


def test_no_headache_at_all_has_nothing_to_measure(trial: TrialDesign) -> None:
    sentence = _sentence(trial, {"feet": 100, "none": 100})
    # A headache on each period's first day only, which is washout.
    assert "no headache day on the analysed days" in sentence


def test_a_running_trial_says_where_it_is_and_shows_no_figures(trial: TrialDesign) -> None:
    today = trial.periods[2].start + 4 * DAY
    sentence = _sentence(trial, {"feet": 12, "none": 2}, today)
    arm = {"feet": "foot massage", "none": "no massage"}[trial.periods[2].arm]
    assert sentence.startswith(f"The trial is running: period 3 of 8 ({arm}), day 5 of 14;")
    assert "26 April 2026" in sentence
    assert "per 28" not in sentence and "p =" not in sentence


def test_a_trial_not_yet_begun_says_when_it_begins(trial: TrialDesign) -> None:
    sentence = _sentence(trial, {"feet": 12, "none": 2}, START - 3 * DAY)
    assert sentence.startswith("The trial begins on 5 January 2026;")


def test_an_early_end_with_one_block_left_is_not_enough(trial: TrialDesign) -> None:
    ended = end_early(trial, trial.periods[2].start + 3 * DAY, "moved house")
    analysis = analyze_trial(ended, every_nth_day(ended, {"feet": 12, "none": 2}), [], ended.end)
    assert analysis.comparisons[0].verdict is Verdict.INSUFFICIENT_DATA
    assert overall_sentence(analysis) == (
        "Not enough of the trial to compare foot massage with no massage: 1 complete block "
        "(every arm's period finished), and a comparison needs at least 2."
    )


def test_a_short_period_is_named_with_its_analysed_days(trial: TrialDesign) -> None:
    days = [d for d in every_nth_day(trial, {"feet": 3, "none": 3})
            if not trial.periods[2].contains(d.date) or d.date.day % 3 == 0]  # fmt: skip
    analysis = analyze_trial(trial, days, [], trial.end)
    short = analysis.periods[2]
    arm = {"feet": "foot massage", "none": "no massage"}[short.period.arm]
    assert overall_sentence(analysis) == (
        "Not enough recorded days to compare foot massage with no massage: period 3 "
        f"({arm}) has {short.analysed_days} analysed days, and each period needs at least 7."
    )


def test_three_arms_give_every_comparison_in_one_sentence() -> None:
    trial = design(["head", "feet", "none"], START, seed=11)
    analysis = analyze_trial(trial, every_nth_day(trial, {"head": 7, "feet": 3, "none": 2}),
                             [], trial.end)  # fmt: skip
    verdicts = [c.verdict for c in analysis.comparisons]
    assert verdicts[0] is Verdict.LIKELY_BETTER
    sentence = overall_sentence(analysis)
    head, none = arm_rate(analysis, "head"), arm_rate(analysis, "none")
    assert head is not None and none is not None
    assert sentence.startswith(
        "Over 4 blocks: likely fewer headache days with head massage than with no massage "
        f"({head:.1f} against {none:.1f} per 28 days);"
    )
    assert "foot massage and no massage" in sentence
    assert "head massage and foot massage" in sentence
    # Each comparison's own sentence names its p; three arms reach far below 0.05.
    assert "p below 0.001" in comparison_sentence(analysis, analysis.comparisons[0])


@pytest.mark.parametrize(
    ("p", "text"), [(0.3125, "0.31"), (0.0625, "0.0625"), (1 / 64, "0.0156"), (1e-4, "below 0.001")]
)
def test_p_is_written_as_people_read_it(p: float, text: str) -> None:
    assert p_text(p) == text
