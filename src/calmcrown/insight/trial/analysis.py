"""The analysis of a personal trial: per period, per arm, and each comparison's verdict.

The primary outcome is headache days per 28 analysed days. A period's analysed days are
its recorded dates after its washout and up to the day analysed; unrecorded dates are
never counted as free of headache. The comparisons are at the period level, over the
complete blocks (see :mod:`calmcrown.insight.trial.comparison`). Secondary figures: the
change of pain within a session, by arm; intensity on headache days and medication days,
by arm; adherence per period (sessions done against planned; a session of another arm
is a deviation, recorded and counted, never hidden).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from calmcrown.insight.periods import DAYS_PER_PERIOD_UNIT, DayRecord
from calmcrown.insight.trial.comparison import (
    ALPHA,
    Figures,
    Verdict,
    compare,
    pairs,
    verdict_of,
)
from calmcrown.insight.trial.design import AmendmentKind, TrialDesign, TrialPeriod

MINIMUM_ANALYSED_DAYS = 7
MINIMUM_BLOCKS = 2
PLANNED_PER_WEEK = 3  # seed 000: three to four sessions a week
LOW_COVERAGE = 0.8
FEW_BLOCKS = 6


@dataclass(frozen=True)
class TrialDay:
    """A recorded date; ``headache`` None when the day has an entry but no answer."""

    date: dt.date
    headache: bool | None
    intensity: int | None = None
    medication: bool = False


@dataclass(frozen=True)
class TrialSession:
    date: dt.date
    arm: str | None
    """The arm of the session's routine (its region), None for a routine of no arm."""
    pain_before: int | None = None
    pain_after: int | None = None
    stopped_by_screening: bool = False
    """A red flag in the safety check: a harm/stop for the report, not practice."""


def trial_days(records: Iterable[DayRecord]) -> list[TrialDay]:
    """The diary's day records as the trial reads them: the same definitions of a
    headache day and a medication day as the rest of the analysis."""
    return [TrialDay(r.date, r.headache, r.intensity, r.medication) for r in records]


@dataclass(frozen=True)
class PeriodResult:
    period: TrialPeriod
    over: bool
    """True when the period's last date is on or before the day analysed."""
    analysed_days: int
    headache_days: int
    medication_days: int
    intensities: tuple[int, ...]
    sessions: int
    """Sessions that took place in the period, of any arm."""
    planned: int
    done: int
    """Sessions of the period's own arm."""
    deviations: int
    """Sessions of another arm (any session in a ``none`` period)."""
    stops: int
    analysable_days: int
    """The period's non-washout dates up to the day analysed."""

    @property
    def headache_days_per_28(self) -> float | None:
        if not self.analysed_days:
            return None
        return self.headache_days / self.analysed_days * DAYS_PER_PERIOD_UNIT


@dataclass(frozen=True)
class Comparison:
    arm: str
    versus: str
    figures: Figures | None
    verdict: Verdict


@dataclass(frozen=True)
class ImmediateByArm:
    sessions: int
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class TrialAnalysis:
    design: TrialDesign
    today: dt.date
    periods: tuple[PeriodResult, ...]
    comparisons: tuple[Comparison, ...]
    immediate: dict[str, ImmediateByArm]
    complete_blocks: tuple[int, ...]
    caveats: tuple[str, ...]

    @property
    def in_progress(self) -> bool:
        return any(not p.over for p in self.periods)


def _period_result(period: TrialPeriod, today: dt.date, days: dict[dt.date, TrialDay],
                   sessions: dict[dt.date, list[TrialSession]],
                   per_week: int) -> PeriodResult:  # fmt: skip
    last = min(period.end, today)
    analysed: list[TrialDay] = []
    inside: list[TrialSession] = []
    first_analysed, one_day = period.analysed_from, dt.timedelta(days=1)
    date = period.start
    while date <= last:
        inside += sessions.get(date, ())
        day = days.get(date)
        if date >= first_analysed and day is not None and day.headache is not None:
            analysed.append(day)
        date += one_day
    practised = [s for s in inside if not s.stopped_by_screening]
    planned = 0 if period.arm == "none" else round(per_week * period.days / 7)
    done = sum(s.arm == period.arm for s in practised) if period.arm != "none" else 0
    return PeriodResult(
        period=period,
        over=period.end <= today,
        analysed_days=len(analysed),
        headache_days=sum(bool(d.headache) for d in analysed),
        medication_days=sum(d.medication for d in analysed),
        intensities=tuple(d.intensity for d in analysed if d.headache and d.intensity),
        sessions=len(practised),
        planned=planned,
        done=done,
        deviations=len(practised) - done,
        stops=len(inside) - len(practised),
        analysable_days=max(0, (last - period.analysed_from).days + 1),
    )


def _immediate(sessions: Sequence[TrialSession], arm: str) -> ImmediateByArm:
    changes = np.array(
        [s.pain_after - s.pain_before for s in sessions
         if s.arm == arm and not s.stopped_by_screening
         and s.pain_before is not None and s.pain_after is not None],
        dtype=float,
    )  # fmt: skip
    if not len(changes):
        return ImmediateByArm(0, None, None, None)
    mean = float(changes.mean())
    # stats.sem(changes) and stats.t.interval(0.95, n - 1, loc=mean, scale=sem), worked
    # out as SciPy does (std with ddof 1 over sqrt(n); quantile * scale + loc), with the
    # quantiles kept per n: SciPy's argument checks took a tenth of the whole analysis.
    n = len(changes)
    sem = float(np.std(changes, ddof=1)) / n**0.5 if n > 1 else 0.0
    if sem == 0:
        return ImmediateByArm(n, mean, None, None)
    low_q, high_q = _t_interval_quantiles(n - 1)
    return ImmediateByArm(n, mean, low_q * sem + mean, high_q * sem + mean)


@functools.lru_cache(maxsize=256)
def _t_interval_quantiles(degrees_of_freedom: int) -> tuple[float, float]:
    return (
        float(stats.t.ppf((1 - 0.95) / 2, degrees_of_freedom)),
        float(stats.t.ppf((1 + 0.95) / 2, degrees_of_freedom)),
    )


def _comparison(arm: str, versus: str, trial: TrialDesign, complete: list[PeriodResult],
                blocks: tuple[int, ...], progressing: bool) -> Comparison:  # fmt: skip
    if progressing:
        # No look before the end: repeated looks at a running trial find differences
        # that are not there. The figures wait for the last period.
        return Comparison(arm, versus, None, Verdict.IN_PROGRESS)
    used = [p for p in complete if p.period.block in blocks]
    if len(blocks) < MINIMUM_BLOCKS or any(p.analysed_days < MINIMUM_ANALYSED_DAYS for p in used):
        return Comparison(arm, versus, None, Verdict.INSUFFICIENT_DATA)
    codes = {name: i for i, name in enumerate(trial.arms)}
    figures = compare(
        np.array([p.headache_days for p in used], dtype=float),
        np.array([p.analysed_days for p in used], dtype=float),
        np.array([codes[p.period.arm] for p in used]),
        np.array([p.period.block for p in used]),
        codes[arm],
        codes[versus],
    )
    return Comparison(arm, versus, figures, verdict_of(figures))


def analyze_trial(
    trial: TrialDesign,
    days: Iterable[TrialDay],
    sessions: Sequence[TrialSession],
    today: dt.date,
    planned_per_week: int = PLANNED_PER_WEEK,
) -> TrialAnalysis:
    """The trial as it stands on ``today`` (dates after it are not yet known)."""
    by_date = {day.date: day for day in days}
    sessions_on: dict[dt.date, list[TrialSession]] = {}
    for session in sessions:
        sessions_on.setdefault(session.date, []).append(session)
    periods = tuple(
        _period_result(p, today, by_date, sessions_on, planned_per_week) for p in trial.periods
    )
    block_ids = sorted({p.period.block for p in periods})
    # A block counts when every arm has a finished period in it; after an early end the
    # last block may be short, and is left out of the comparison.
    complete_blocks = tuple(
        block for block in block_ids
        if sorted(p.period.arm for p in periods if p.period.block == block and p.over)
        == sorted(trial.arms)
    )  # fmt: skip
    progressing = trial.ended_early is None and any(not p.over for p in periods)
    comparisons = tuple(
        _comparison(arm, versus, trial, list(periods), complete_blocks, progressing)
        for arm, versus in pairs(trial.arms)
    )
    # Sessions before the trial or after its end are not the trial's.
    during = [s for s in sessions if trial.start <= s.date <= min(trial.end, today)]
    immediate = {arm: _immediate(during, arm) for arm in trial.arms}
    analysis = TrialAnalysis(trial, today, periods, comparisons, immediate, complete_blocks, ())
    return TrialAnalysis(
        trial, today, periods, comparisons, immediate, complete_blocks, caveats(analysis)
    )


def caveats(analysis: TrialAnalysis) -> tuple[str, ...]:
    trial = analysis.design
    found = [
        "No blinding: you knew which arm each period was, and expecting a change can "
        "change how headaches feel and are recorded.",
    ]
    blocks = len(analysis.complete_blocks)
    if any(c.figures is not None for c in analysis.comparisons):
        smallest = min(
            (c.figures.smallest_p for c in analysis.comparisons
             if c.figures is not None and c.figures.smallest_p is not None),
            default=None,
        )  # fmt: skip
        if blocks < FEW_BLOCKS:
            found.append(
                f"Few blocks ({blocks}): each arm was tried {blocks} times, so only a "
                "large, steady difference can show."
            )
        if smallest is not None and smallest > ALPHA:
            found.append(
                f"With {blocks} blocks the randomisation test's smallest possible p is "
                f"{smallest:.4g}: it cannot reach 0.05, and counts as agreeing when every "
                "block points the same way."
            )
        if not all(c.figures.trend for c in analysis.comparisons if c.figures is not None):
            found.append(
                "Too few periods to fit a trend over time; the block effects allow for "
                "slow changes between blocks, not within them."
            )
        if any(c.figures.corrected_zero for c in analysis.comparisons if c.figures):
            found.append(
                "An arm had no headache day at all: its interval uses half a headache "
                "day added to every period, a standard correction."
            )
    if trial.washout_days:
        found.append(
            f"The first {trial.washout_days} days of each period are not analysed "
            "(washout); an effect lasting longer than that may carry over."
        )
    else:
        found.append(
            "No washout: an effect carried over from one period to the next is not allowed for."
        )
    for amendment in trial.amendments:
        if amendment.kind is AmendmentKind.ENDED_EARLY:
            found.append(
                f"The trial ended early on {amendment.date.isoformat()} ({amendment.reason}); "
                "only complete blocks are compared."
            )
        else:
            found.append(
                f"Period {amendment.period} was extended by {amendment.days} days on "
                f"{amendment.date.isoformat()} ({amendment.reason})."
            )
    low = [
        p.period.index for p in analysis.periods
        if p.analysable_days and p.analysed_days / p.analysable_days < LOW_COVERAGE
    ]  # fmt: skip
    if low:
        found.append(
            "Under 80% of the analysed days were recorded in period(s) "
            + ", ".join(map(str, low)) + "."
        )  # fmt: skip
    deviations = sum(p.deviations for p in analysis.periods)
    if deviations:
        found.append(
            f"{deviations} session(s) of another arm than the period's (deviations); "
            "the comparison keeps each period's planned arm."
        )
    stops = sum(p.stops for p in analysis.periods)
    if stops:
        found.append(f"The safety check stopped {stops} session(s); see harms and stops.")
    return tuple(found)


# JSON: the shape `calmcrown trial analyze --json` prints (issue 12). Keys may be added,
# never renamed: scripts read them. None where a figure cannot be computed.


def _rounded(value: float | None, places: int = 4) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, places)


def analysis_dict(analysis: TrialAnalysis) -> dict[str, Any]:
    trial = analysis.design
    by_arm: dict[str, dict[str, Any]] = {}
    for arm in trial.arms:
        mine = [p for p in analysis.periods if p.period.arm == arm]
        analysed = sum(p.analysed_days for p in mine)
        headache = sum(p.headache_days for p in mine)
        medication = sum(p.medication_days for p in mine)
        intensities = [v for p in mine for v in p.intensities]
        by_arm[arm] = {
            "analysed_days": analysed,
            "headache_days": headache,
            "headache_days_per_28": _rounded(headache / analysed * 28 if analysed else None),
            "mean_intensity": _rounded(float(np.mean(intensities)) if intensities else None),
            "medication_days": medication,
            "medication_days_per_28": _rounded(medication / analysed * 28 if analysed else None),
        }
    return {
        "arms": list(trial.arms),
        "periods": [
            {
                "index": p.period.index,
                "block": p.period.block,
                "arm": p.period.arm,
                "start": p.period.start.isoformat(),
                "end": p.period.end.isoformat(),
                "analysed_days": p.analysed_days,
                "headache_days": p.headache_days,
                "headache_days_per_28": _rounded(p.headache_days_per_28),
                "sessions": p.sessions,
                "over": p.over,
                "medication_days": p.medication_days,
            }
            for p in analysis.periods
        ],
        "comparisons": [_comparison_dict(c) for c in analysis.comparisons],
        "immediate": {
            arm: {
                "sessions": value.sessions,
                "mean_change": _rounded(value.mean_change),
                "ci_low": _rounded(value.ci_low),
                "ci_high": _rounded(value.ci_high),
            }
            for arm, value in analysis.immediate.items()
        },
        "adherence": {
            "planned_per_week": None if not analysis.periods else _planned_rate(analysis),
            "planned": sum(p.planned for p in analysis.periods),
            "done": sum(p.done for p in analysis.periods),
            "deviations": sum(p.deviations for p in analysis.periods),
            "stops": sum(p.stops for p in analysis.periods),
            "periods": [
                {
                    "index": p.period.index,
                    "arm": p.period.arm,
                    "planned": p.planned,
                    "done": p.done,
                    "deviations": p.deviations,
                    "stops": p.stops,
                }
                for p in analysis.periods
            ],
        },
        "caveats": list(analysis.caveats),
        "by_arm": by_arm,
        "complete_blocks": list(analysis.complete_blocks),
        "today": analysis.today.isoformat(),
    }


def _planned_rate(analysis: TrialAnalysis) -> float | None:
    active = [p for p in analysis.periods if p.period.arm != "none"]
    days = sum(p.period.days for p in active)
    return _rounded(sum(p.planned for p in active) / days * 7, 2) if days else None


def _comparison_dict(comparison: Comparison) -> dict[str, Any]:
    f = comparison.figures
    return {
        "arm": comparison.arm,
        "versus": comparison.versus,
        "rate_ratio": _rounded(f.rate_ratio) if f else None,
        "ci_low": _rounded(f.ci_low) if f else None,
        "ci_high": _rounded(f.ci_high) if f else None,
        "p_randomisation": _rounded(f.p_randomisation) if f else None,
        "verdict": comparison.verdict.value,
        "smallest_p": _rounded(f.smallest_p, 6) if f else None,
        "allocations": f.allocations if f else None,
        "exact": f.exact if f else None,
        "trend": f.trend if f else None,
        "dispersion": _rounded(f.dispersion) if f else None,
        "degrees_of_freedom": f.degrees_of_freedom if f else None,
    }
