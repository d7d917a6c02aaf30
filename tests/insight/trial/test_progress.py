"""Where a trial stands on a day: its period and day, washout marked, progress."""

from __future__ import annotations

import datetime as dt

from calmcrown.insight.trial.design import design, end_early
from calmcrown.insight.trial.progress import Stage, period_words, progress_dict, progress_on

START = dt.date(2026, 3, 2)


def _day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def test_the_period_and_its_day_with_washout_marked() -> None:
    trial = design(("head", "feet"), START, seed=4)
    first, second = trial.periods[0].arm, trial.periods[1].arm
    name = {"head": "Head", "feet": "Feet"}
    assert (
        period_words(progress_on(trial, _day(0)))
        == f"{name[first]} period, day 1 of 14, a settling-in day"
    )
    assert period_words(progress_on(trial, _day(2))) == f"{name[first]} period, day 3 of 14"
    later = progress_on(trial, _day(18))
    assert period_words(later) == f"{name[second]} period, day 5 of 14"
    assert (later.trial_day, later.trial_days, later.periods_done, later.periods) == (19, 112, 1, 8)
    assert progress_dict(later)["current"]["washout"] is False


def test_before_the_start_and_after_the_end() -> None:
    trial = design(("head", "none"), START, period_days=7, washout_days=0, blocks=3, seed=1)
    waiting = progress_on(trial, _day(-3))
    assert waiting.stage is Stage.WAITING and waiting.period is None and waiting.trial_day == 0
    assert period_words(waiting) == ""
    over = progress_on(trial, _day(60))
    assert over.stage is Stage.OVER and over.periods_done == 6 and over.trial_day == 42
    assert progress_dict(over)["current"] is None


def test_a_trial_ended_early_is_over_from_that_day_on() -> None:
    trial = end_early(design(("head", "none"), START, seed=1), _day(20), "moved house")
    assert progress_on(trial, _day(20)).stage is Stage.OVER
    after = progress_on(trial, _day(21))
    assert after.period is None and after.periods == 2 and after.periods_done == 2
