"""Living with a trial: the words for a day of it, what a period offers, what deviates,
and the practice calendar that follows the periods (read back with icalendar)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from icalendar import Calendar

from calmcrown.catalog import Catalog
from calmcrown.insight.trial.arms import arm_of_routines, routines_of_arm
from calmcrown.insight.trial.design import TrialDesign, design, end_early
from calmcrown.insight.trial.living import (
    NO_MASSAGE_PERIOD,
    Stage,
    calendar_periods,
    deviation_record,
    deviation_warning,
    is_deviation,
    offered_routines,
    trial_today,
)
from calmcrown.practice_calendar import PracticePlan, practice_calendar

START = dt.date(2026, 12, 7)  # a Monday
EVENING = dt.time(20, 0)


def _trial(arms: tuple[str, ...] = ("head", "feet", "none"), **options: int) -> TrialDesign:
    return design(arms, START, seed=12, **options)


def test_a_day_in_a_period_is_named_with_its_number() -> None:
    trial = _trial()
    first = trial.periods[0]
    today = trial_today(trial, first.start + dt.timedelta(days=4))
    assert today is not None and today.stage is Stage.DURING and today.period == first
    name = {"head": "Head", "feet": "Feet", "none": "No-massage"}[first.arm]
    assert today.line == f"{name} period, day 5 of 14."


def test_a_washout_day_is_a_settling_in_day() -> None:
    trial = _trial()
    second = trial.periods[1]
    for offset in (0, 1):
        today = trial_today(trial, second.start + dt.timedelta(days=offset))
        assert today is not None and today.settling_in
        assert today.line.endswith(
            f"day {offset + 1} of 14, a settling-in day: it is kept but not counted."
        )
    third_day = trial_today(trial, second.start + dt.timedelta(days=2))
    assert third_day is not None and not third_day.settling_in


def test_before_and_after_the_trial() -> None:
    trial = _trial()
    before = trial_today(trial, START - dt.timedelta(days=1))
    assert before is not None and before.stage is Stage.BEFORE
    assert before.line == "Your trial starts on Monday 7 December."
    after = trial_today(trial, trial.end + dt.timedelta(days=1))
    assert after is not None and after.stage is Stage.AFTER and after.period is None
    ended = end_early(trial, START + dt.timedelta(days=20), "moved house")
    cut = trial_today(ended, START + dt.timedelta(days=20))
    assert cut is not None and cut.stage is Stage.AFTER
    assert trial_today(None, START) is None


def test_a_period_offers_its_arms_routines_and_none_in_a_no_massage_period(
    catalog: Catalog,
) -> None:
    trial = _trial()
    arm_of = arm_of_routines(catalog)
    everything = list(catalog.routines)
    for period in trial.periods[:3]:
        offered, others = offered_routines(everything, arm_of, period)
        assert offered == routines_of_arm(catalog, period.arm)
        assert set(offered) | set(others) == set(everything)
        assert all(is_deviation(period, arm_of[r]) for r in others)
    none = next(p for p in trial.periods if p.arm == "none")
    assert offered_routines(everything, arm_of, none) == ([], everything)
    assert "not massaging is what it measures" in NO_MASSAGE_PERIOD


def test_the_deviation_words_before_and_after() -> None:
    trial = _trial()
    feet = next(p for p in trial.periods if p.arm == "feet")
    none = next(p for p in trial.periods if p.arm == "none")
    assert deviation_warning(feet, "head") == (
        "This is a feet period: a head routine now counts as a deviation in your trial."
    )
    assert deviation_warning(feet, None) == (
        "This is a feet period: a routine for head and feet now counts as a deviation in "
        "your trial."
    )
    assert deviation_warning(feet, "feet") is None and deviation_record(feet, "feet") is None
    assert deviation_warning(none, "feet") == (
        "This is a no-massage period: a session now counts as a deviation in your trial."
    )
    assert deviation_record(none, "head") == (
        "Recorded as a deviation in your trial: a session in a no-massage period. "
        "The trial's results count it as one."
    )
    assert deviation_warning(None, "head") is None, "outside a trial nothing deviates"


def _events(ical: bytes) -> list[tuple[dt.date, str]]:
    return [
        (event.decoded("DTSTART").date(), str(event["SUMMARY"]))
        for event in Calendar.from_ical(ical).walk("VEVENT")
    ]


def test_the_calendar_has_no_session_in_a_no_massage_period_and_names_each_arms_routine(
    catalog: Catalog,
) -> None:
    trial = _trial()
    plan = PracticePlan(sessions_per_week=3, days=(), time=EVENING)  # the default rhythm
    choices = {arm: routines_of_arm(catalog, arm) for arm in trial.arms}
    periods = calendar_periods(trial, choices, plan.routine)
    weeks = -(-((trial.end - START).days + 1) // 7)
    events = _events(practice_calendar(plan, START, weeks, periods=periods))
    assert events, "the arms' periods keep their sessions"
    for period in trial.periods:
        inside = [summary for date, summary in events if period.contains(date)]
        if period.arm == "none":
            assert inside == [], f"period {period.index} is a no-massage period"
            continue
        routine = "evening" if period.arm == "head" else "feet"
        assert len(inside) == 6, "3 a week over 14 days"
        summary = f"calmcrown massage: {routine} (10 min), {period.arm} period of your trial"
        assert inside == [summary] * 6
    # The head arm keeps the planned routine; the feet arm has its own.
    assert Counter(summary.split(",")[0] for _, summary in events) == Counter(
        {"calmcrown massage: evening (10 min)": 24, "calmcrown massage: feet (10 min)": 24}
    )


def test_after_the_trial_the_calendar_follows_the_plan_again(catalog: Catalog) -> None:
    trial = _trial(("head", "none"), period_days=7, blocks=3, washout_days=0)
    plan = PracticePlan(sessions_per_week=3, days=("mon", "wed", "fri"), time=EVENING)
    choices = {arm: routines_of_arm(catalog, arm) for arm in trial.arms}
    periods = calendar_periods(trial, choices, plan.routine)
    events = _events(practice_calendar(plan, START, 8, periods=periods))
    later = [summary for date, summary in events if date > trial.end]
    assert later == ["calmcrown massage: evening (10 min)"] * 6
