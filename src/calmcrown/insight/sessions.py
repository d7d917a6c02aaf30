"""What the sessions themselves say: the change within a session, how regularly the
practice was kept, and the sessions that were cut short.

Within-session change is pain after minus pain before, on the 0-10 scale. A drop of 2
points or of 30% of the starting pain is counted as meaningful (Farrar et al., Pain
2001;94:149-58). The mean change has a 95% t interval; sessions of the same evening are
not fully independent, so the interval is a guide rather than a proof.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from scipy import stats

from calmcrown.insight.inputs import SessionFacts

MEANINGFUL_POINTS = 2
MEANINGFUL_SHARE = 0.30
SHORT_SECONDS = 5 * 60
PRACTICE_WEEK_TARGET = 3  # seed 000: three to four times a week


Session = TypeVar("Session", bound=SessionFacts)


def practised(sessions: Sequence[Session]) -> list[Session]:
    """Sessions that took place: a stop by the safety check is not practice."""
    return [s for s in sessions if s.outcome != "stopped_by_screening"]


@dataclass(frozen=True)
class ImmediateChange:
    sessions: int
    """Sessions with pain rated both before and after."""
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    share_meaningful: float | None


def is_meaningful_drop(before: int, after: int) -> bool:
    drop = before - after
    return drop >= MEANINGFUL_POINTS or (before > 0 and drop / before >= MEANINGFUL_SHARE)


def immediate_change(sessions: Sequence[SessionFacts]) -> ImmediateChange:
    rated = [
        (s.pain_before, s.pain_after)
        for s in practised(sessions)
        if s.pain_before is not None and s.pain_after is not None
    ]
    if not rated:
        return ImmediateChange(0, None, None, None, None)
    changes = np.array([after - before for before, after in rated], dtype=float)
    share = sum(is_meaningful_drop(b, a) for b, a in rated) / len(rated)
    mean = float(changes.mean())
    if len(changes) < 2:
        return ImmediateChange(1, mean, None, None, share)
    # stats.t.interval(0.95, n - 1, loc=mean, scale=sem). Every session the same change
    # leaves no spread to estimate it from: no interval rather than a point.
    sem = float(stats.sem(changes))
    if sem == 0:
        return ImmediateChange(len(changes), mean, None, None, share)
    low, high = (float(v) for v in stats.t.interval(0.95, len(changes) - 1, mean, sem))
    return ImmediateChange(len(changes), mean, low, high, share)


@dataclass(frozen=True)
class Adherence:
    weeks: int
    sessions: int
    sessions_per_week: float | None
    target_per_week: int | None
    weeks_with_three: int


def adherence(
    sessions: Sequence[SessionFacts],
    start: dt.date | None,
    end: dt.date | None,
    target_per_week: int | None,
) -> Adherence:
    """Sessions a week from ``start`` to ``end``, in 7-day blocks from ``start``."""
    if start is None or end is None or end < start:
        return Adherence(0, 0, None, target_per_week, 0)
    inside = [s for s in practised(sessions) if start <= s.date <= end]
    span = (end - start).days + 1
    weeks = math.ceil(span / 7)
    per_block = Counter((s.date - start).days // 7 for s in inside)
    return Adherence(
        weeks=weeks,
        sessions=len(inside),
        sessions_per_week=len(inside) / (span / 7),
        target_per_week=target_per_week,
        weeks_with_three=sum(n >= PRACTICE_WEEK_TARGET for n in per_block.values()),
    )


@dataclass(frozen=True)
class CutShort:
    ended_early: int
    short: int
    """Under five minutes: the "few minutes at the end as a courtesy" of seed 001."""
    no_after_phase: int
    """Guided sessions whose after phase did not run."""


def cut_short(sessions: Sequence[SessionFacts]) -> CutShort:
    done = practised(sessions)
    return CutShort(
        ended_early=sum(s.outcome == "ended_early" for s in done),
        short=sum(s.seconds < SHORT_SECONDS for s in done),
        no_after_phase=sum(s.planned_after_s is not None and not s.actual_after_s for s in done),
    )


@dataclass(frozen=True)
class RoutineChange:
    routine: str
    sessions: int
    mean_change: float | None


def change_by_routine(
    sessions: Sequence[SessionFacts], group_of: Mapping[str, str] | None = None
) -> list[RoutineChange]:
    """Mean within-session change per routine, or per group of routines (a region) when
    ``group_of`` maps routines to groups. Not randomised: the routine was chosen, often
    by how the day was going, so a difference here is not a comparison."""
    done = [s for s in practised(sessions) if group_of is None or s.routine in group_of]
    name = (lambda routine: routine) if group_of is None else group_of.__getitem__
    grouped: dict[str, list[float]] = {}
    for s in done:
        if s.pain_before is not None and s.pain_after is not None:
            grouped.setdefault(name(s.routine), []).append(s.pain_after - s.pain_before)
    counts = Counter(name(s.routine) for s in done)
    return [
        RoutineChange(
            routine,
            counts[routine],
            float(np.mean(grouped[routine])) if grouped.get(routine) else None,
        )
        for routine in sorted(counts)
    ]
