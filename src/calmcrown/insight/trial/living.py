"""Living with a trial day to day: what Today says of it, which routines a period offers,
when a session counts as a deviation, and what the practice calendar holds in each period.

The rules are written once here, for Today, the safety check, the player, the terminal
guide and the calendar alike. Nothing here reads the diary or the clock: the faces pass
the stored trial and the date in. A deviation is allowed, never hidden: the person is
told before a session of another arm starts, and the analysis counts it from the
routine's arm and the session's date (analysis.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from calmcrown.insight.trial.design import TrialDesign, TrialPeriod, period_name
from calmcrown.insight.trial.progress import period_day_words
from calmcrown.practice_calendar import CalendarPeriod

ROUTINE_WORDS = {"head": "a head routine", "feet": "a feet routine"}
BOTH_WORDS = "a routine for head and feet"
"""A routine on both belongs to neither arm (arms.py), so it deviates in every period."""

NO_MASSAGE_PERIOD = (
    "This is a no-massage period of your trial: not massaging is what it measures. "
    "Keep your diary as usual."
)


class Stage(StrEnum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


def long_date(date: dt.date) -> str:
    """ "Monday 7 December": the way Today names a day."""
    return f"{date:%A} {date.day} {date:%B}"


@dataclass(frozen=True)
class TrialToday:
    """Where a date falls in a trial."""

    trial: TrialDesign
    on: dt.date
    stage: Stage
    period: TrialPeriod | None
    """The period ``on`` falls in, during the trial; None before and after it."""

    @property
    def day(self) -> int | None:
        """1 on a period's first day."""
        return None if self.period is None else (self.on - self.period.start).days + 1

    @property
    def settling_in(self) -> bool:
        """A washout day: kept in the diary, not counted in the analysis."""
        return self.period is not None and self.period.is_washout(self.on)

    @property
    def no_massage(self) -> bool:
        return self.period is not None and self.period.arm == "none"

    @property
    def line(self) -> str:
        """The line at the top of Today."""
        if self.stage is Stage.BEFORE:
            return f"Your trial starts on {long_date(self.trial.start)}."
        if self.stage is Stage.AFTER or self.period is None:
            return "Your trial is over."
        words = period_day_words(self.period, self.on)
        if self.settling_in:
            return f"{words}, a settling-in day: it is kept but not counted."
        return f"{words}."


def trial_today(trial: TrialDesign | None, on: dt.date) -> TrialToday | None:
    """Where ``on`` falls in ``trial`` (the profile's latest), or None without one."""
    if trial is None:
        return None
    if trial.ended_early is not None or on > trial.end:
        return TrialToday(trial, on, Stage.AFTER, None)
    if on < trial.start:
        return TrialToday(trial, on, Stage.BEFORE, None)
    return TrialToday(trial, on, Stage.DURING, trial.period_on(on))


def is_deviation(period: TrialPeriod | None, routine_arm: str | None) -> bool:
    """Whether a session of a routine of ``routine_arm`` (None: on head and feet) in
    ``period`` deviates from the trial: any session in a no-massage period, one of
    another arm otherwise. Outside the trial nothing deviates."""
    if period is None:
        return False
    return period.arm == "none" or routine_arm != period.arm


def _routine_words(routine_arm: str | None) -> str:
    return BOTH_WORDS if routine_arm is None else ROUTINE_WORDS.get(routine_arm, "this routine")


def deviation_warning(period: TrialPeriod | None, routine_arm: str | None) -> str | None:
    """What the person is told before a session that would deviate; None when it would not."""
    if period is None or not is_deviation(period, routine_arm):
        return None
    if period.arm == "none":
        return "This is a no-massage period: a session now counts as a deviation in your trial."
    return (
        f"This is a {period.arm} period: {_routine_words(routine_arm)} now counts as a "
        "deviation in your trial."
    )


def others_warning(period: TrialPeriod) -> str:
    """Said over the routines a period does not offer, which a person may still choose."""
    if period.arm == "none":
        return deviation_warning(period, None) or ""
    return f"This is a {period.arm} period: any of these now counts as a deviation in your trial."


def deviation_record(period: TrialPeriod | None, routine_arm: str | None) -> str | None:
    """What is said of a session once recorded, when it deviates; None when it does not."""
    if period is None or not is_deviation(period, routine_arm):
        return None
    if period.arm == "none":
        what = "a session in a no-massage period"
    else:
        what = f"{_routine_words(routine_arm)} in a {period.arm} period"
    return f"Recorded as a deviation in your trial: {what}. The trial's results count it as one."


def offered_routines(
    routines: Sequence[str], arm_of: Mapping[str, str | None], period: TrialPeriod | None
) -> tuple[list[str], list[str]]:
    """``routines`` (those that suit the person, in order) split into what ``period``
    offers and the rest, which would deviate. Outside a period everything is offered."""
    if period is None:
        return list(routines), []
    offered = [r for r in routines if not is_deviation(period, arm_of.get(r))]
    return offered, [r for r in routines if r not in offered]


def calendar_periods(
    trial: TrialDesign | None,
    routines_of_arm: Mapping[str, Sequence[str]],
    planned_routine: str,
) -> tuple[CalendarPeriod, ...]:
    """The trial's periods as the practice calendar follows them: no session in a
    no-massage period, and in an arm's period the planned routine when it is the arm's,
    else the arm's first in ``routines_of_arm`` (those that suit who gives the massage).
    An ended trial's periods are kept: a calendar written from them shows the past only."""
    if trial is None:
        return ()
    periods = []
    for period in trial.periods:
        choices = list(routines_of_arm.get(period.arm, ()))
        routine = planned_routine if planned_routine in choices else next(iter(choices), None)
        periods.append(
            CalendarPeriod(
                start=period.start,
                end=period.end,
                routine=None if period.arm == "none" else routine,
                label=f"{period_name(period.arm).lower()} of your trial",
            )
        )
    return tuple(periods)
