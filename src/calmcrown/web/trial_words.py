"""The Trial page's words: the current period, the calendar of periods, the power of each
design and the progress, in plain words. Pure functions of the design, the analysis'
JSON and the power rows; the handlers in trial_page.py gather those."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from calmcrown.insight.trial.design import (
    ARM_NAMES,
    ARM_ROUTINES,
    TrialDesign,
    TrialPeriod,
    period_name,
)
from calmcrown.insight.trial.progress import period_day_words

if TYPE_CHECKING:  # the power simulation needs statsmodels: the page imports it on demand
    from calmcrown.insight.trial.power import HeadacheChain, PowerRow

NO_BREAK = "\u00a0"


def day_words(day: dt.date, this_year: int | None = None) -> str:
    """ "Fri 4 Dec"; with the year when it is not ``this_year``: "Fri 15 Jan 2027"."""
    words = f"{day:%a} {day.day} {day:%b}"
    return words if this_year in (None, day.year) else f"{words} {day.year}"


@dataclass(frozen=True)
class CalendarRow:
    period: TrialPeriod
    arm: str
    dates: str
    state: str
    """"done", "now" or "to come"."""
    today_note: str
    """Where today falls, for the period that holds it; empty otherwise."""


def calendar(trial: TrialDesign, today: dt.date) -> list[CalendarRow]:
    rows = []
    for period in trial.periods:
        state = "done" if period.end < today else "now" if period.contains(today) else "to come"
        note = ""
        if period.contains(today):
            note = f"Today: day {(today - period.start).days + 1} of {period.days}"
            if period.is_washout(today):
                note += ", settling in"
        rows.append(
            CalendarRow(
                period,
                ARM_NAMES[period.arm],
                _dates(period, today),
                state,
                note,
            )
        )
    return rows


def _dates(period: TrialPeriod, today: dt.date) -> str:
    """ "Fri 15 Jan to Thu 4 Feb 2027": a year only where it is not this one, and once."""
    end = day_words(period.end, today.year)
    start_year = None if period.start.year == period.end.year else today.year
    # Each date kept on one line: a phone breaks the line at " to ", not inside a date.
    start = day_words(period.start, start_year)
    return f"{start.replace(' ', NO_BREAK)} to {end.replace(' ', NO_BREAK)}"


def blocks_of(rows: Sequence[CalendarRow]) -> list[tuple[int, list[CalendarRow]]]:
    """The calendar's rows grouped by block, in order."""
    grouped: dict[int, list[CalendarRow]] = {}
    for row in rows:
        grouped.setdefault(row.period.block, []).append(row)
    return list(grouped.items())


def current_words(trial: TrialDesign, today: dt.date) -> tuple[str, str]:
    """("Feet period, day 5 of 14", what the day asks): the heading of a running trial."""
    if today < trial.start:
        first = trial.periods[0]
        return (
            f"The trial starts on {day_words(trial.start, today.year)}",
            f"It begins with a {period_name(first.arm).lower()}: {ARM_ROUTINES[first.arm]}.",
        )
    period = trial.period_on(today)
    if period is None:
        return "The trial is over", ""
    heading = period_day_words(period, today)
    what = f"This period is for {ARM_ROUTINES[period.arm]}."
    if period.is_washout(today):
        settling = period.washout_days
        what += (
            f" The first {settling} days of each period are settling-in days, "
            "not counted: the last period's effect may still be wearing off."
        )
    return heading, what


def _times_in_100(share: float) -> str:
    return f"about {round(share * 100)} times in 100"


def power_words(rows: Sequence[PowerRow]) -> dict[int, str]:
    """Per number of blocks: what the design finds, in words, to stand beside the
    choice "4 blocks (16 weeks)" (see :func:`weeks`)."""
    words = {}
    for row in rows:
        if row.detectable_reduction is None:
            reliably = "even a drop of 95% would not be found 8 times in 10"
        else:
            reliably = (
                f"8 times in 10 it finds only a drop of "
                f"{round(row.detectable_reduction * 100)}% or more"
            )
        words[row.blocks] = (
            f"A real halving of headache days would be found {_times_in_100(row.power_50)}; "
            f"{reliably}."
        )
    return words


def power_summary(rows: Sequence[PowerRow]) -> str:
    """One sentence before the figures: the fewest blocks that find a halving 8 times in 10."""
    enough = [row.blocks for row in rows if row.power_50 >= 0.8]
    if enough:
        return f"With {min(enough)} blocks or more, a real halving is found at least 8 times in 10."
    return (
        "None of these finds a real halving 8 times in 10: a trial this size can show only "
        "a large change. Longer periods may find more; choose them and ask again."
    )


def weeks(blocks: int, arms: int, period_days: int) -> str:
    return f"{blocks * arms * period_days / 7:g} weeks"


def chain_words(chain: HeadacheChain) -> str:
    if chain.fitted:
        return (
            "Worked out by simulating trials from your own diary of the 12 weeks before "
            f"the start (about {chain.share * 28:.0f} headache days in 28)."
        )
    return (
        "Your diary of the 12 weeks before the start has too few recorded days, so these "
        "are worked out from a typical diary of about 10 headache days in 28."
    )


def progress_words(trial: TrialDesign, analysis: Mapping[str, Any], today: dt.date) -> list[str]:
    done = sum(1 for p in trial.periods if p.end < today)
    adherence = analysis["adherence"]
    lines = [f"{done} of {len(trial.periods)} periods done."]
    if adherence["planned"]:
        lines.append(
            f"{adherence['done']} of the {adherence['planned']} sessions planned for the "
            "trial's massage periods are done."
        )
    deviations, stops = adherence["deviations"], adherence["stops"]
    if deviations:
        lines.append(
            f"{_sessions(deviations)} of another arm than the period's: kept, and counted "
            f"as {'a deviation' if deviations == 1 else 'deviations'}."
        )
    if stops:
        lines.append(f"The safety check stopped {_sessions(stops)}.")
    return lines


def _sessions(count: int) -> str:
    return f"{count} session{'' if count == 1 else 's'}"
