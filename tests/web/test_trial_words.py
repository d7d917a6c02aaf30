"""The Trial page's words: the period of today, the calendar's dates and the power."""

from __future__ import annotations

import datetime as dt

from calmcrown.insight.trial.design import design
from calmcrown.insight.trial.power import PowerRow
from calmcrown.web.trial_words import calendar, current_words, power_summary, power_words

START = dt.date(2026, 12, 4)
TRIAL = design(["head", "feet"], START, period_days=14, blocks=3, washout_days=2, seed=7)


def test_today_is_named_by_its_period_and_day_and_settling_in_is_said() -> None:
    fifth = START + dt.timedelta(days=4)
    heading, what = current_words(TRIAL, fifth)
    arm = {"head": "Head", "feet": "Feet"}[TRIAL.periods[0].arm]
    assert heading == f"{arm} period, day 5 of 14"
    assert "settling-in" not in what
    _, first_day = current_words(TRIAL, START)
    assert "The first 2 days of each period are settling-in days, not counted" in first_day
    before, _ = current_words(TRIAL, START - dt.timedelta(days=3))
    assert before == "The trial starts on Fri 4 Dec"


def test_the_calendar_marks_one_period_as_today_and_names_other_years() -> None:
    rows = calendar(TRIAL, START + dt.timedelta(days=15))
    assert [row.state for row in rows] == ["done", "now"] + ["to come"] * 4
    assert rows[1].today_note == "Today: day 2 of 14, settling in"
    nbsp = "\u00a0"
    assert rows[0].dates == f"Fri{nbsp}4{nbsp}Dec to Thu{nbsp}17{nbsp}Dec"
    # Across the new year the end carries its year; a period wholly in it, once.
    assert rows[2].dates.endswith(f"Thu{nbsp}14{nbsp}Jan{nbsp}2027")
    assert rows[3].dates == f"Fri{nbsp}15{nbsp}Jan to Thu{nbsp}28{nbsp}Jan{nbsp}2027"


def test_the_power_is_said_in_plain_words_without_promising() -> None:
    rows = [
        PowerRow(3, 0.07, None, 100),
        PowerRow(4, 0.42, 0.85, 100),
        PowerRow(6, 0.81, 0.5, 100),
    ]
    words = power_words(rows)
    assert words[3] == (
        "A real halving of headache days would be found about 7 times in 100; even a drop "
        "of 95% would not be found 8 times in 10."
    )
    assert words[4].endswith("8 times in 10 it finds only a drop of 85% or more.")
    assert power_summary(rows) == (
        "With 6 blocks or more, a real halving is found at least 8 times in 10."
    )
    assert power_summary(rows[:2]).startswith("None of these finds a real halving 8 times")
