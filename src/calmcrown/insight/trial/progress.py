"""Where a trial stands on a given day: the period it is in ("Feet period, day 5 of 14"),
whether that day is a washout day, and how much of the trial is done.

The same words serve the command line and the pages, so a person reads the same thing
on both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from calmcrown.insight.trial.design import TrialDesign, TrialPeriod, period_name


class Stage(StrEnum):
    WAITING = "waiting"
    """Designed, its first period not yet begun."""
    RUNNING = "running"
    OVER = "over"
    """Every period done, or ended early."""


@dataclass(frozen=True)
class TrialProgress:
    on: dt.date
    stage: Stage
    period: TrialPeriod | None
    """The period ``on`` falls in; None before the start and after the end."""
    day_of_period: int | None
    """1 on a period's first day."""
    washout: bool
    """True on a washout day: recorded as usual, not analysed."""
    trial_day: int
    """Days of the trial done by ``on`` (``on`` counted): 0 before the start."""
    trial_days: int
    periods_done: int
    """Periods whose last day is before ``on``."""
    periods: int


def progress_on(trial: TrialDesign, on: dt.date) -> TrialProgress:
    period = None if trial.ended_early and on > trial.end else trial.period_on(on)
    done = sum(p.end < on for p in trial.periods)
    if on < trial.start:
        stage = Stage.WAITING
    elif trial.ended_early is not None or on > trial.end:
        stage = Stage.OVER
    else:
        stage = Stage.RUNNING
    total = (trial.end - trial.start).days + 1
    return TrialProgress(
        on=on,
        stage=stage,
        period=period,
        day_of_period=None if period is None else (on - period.start).days + 1,
        washout=period is not None and period.is_washout(on),
        trial_day=min(total, max(0, (on - trial.start).days + 1)),
        trial_days=total,
        periods_done=done,
        periods=len(trial.periods),
    )


def period_day_words(period: TrialPeriod, on: dt.date) -> str:
    """ "Feet period, day 5 of 14": where ``on`` falls in ``period``, on every face."""
    return f"{period_name(period.arm)}, day {(on - period.start).days + 1} of {period.days}"


def period_words(progress: TrialProgress) -> str:
    """ "Feet period, day 5 of 14", with ", a settling-in day" on a washout day; "" outside
    a period."""
    if progress.period is None:
        return ""
    words = period_day_words(progress.period, progress.on)
    return words + (", a settling-in day" if progress.washout else "")


def progress_dict(progress: TrialProgress) -> dict[str, Any]:
    """The ``current`` and ``progress`` keys of ``calmcrown trial status --json``."""
    period = progress.period
    return {
        "stage": progress.stage.value,
        "current": None
        if period is None
        else {
            "index": period.index,
            "block": period.block,
            "arm": period.arm,
            "day": progress.day_of_period,
            "days": period.days,
            "washout": progress.washout,
            "words": period_words(progress),
        },
        "progress": {
            "day": progress.trial_day,
            "days": progress.trial_days,
            "periods_done": progress.periods_done,
            "periods": progress.periods,
        },
    }
