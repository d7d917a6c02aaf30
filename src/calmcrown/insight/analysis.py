"""The whole answer to "is it helping?": figures, verdict and caveats, in one object that
the command line prints, the Insights page shows and the report lays out.

The verdict speaks only of headache frequency, the primary outcome of headache trials:
``insufficient_data`` while either period has fewer than 28 recorded days,
``likely_better`` when the 95% interval of the rate ratio lies wholly below 1,
``likely_worse`` when wholly above 1, and ``no_clear_change`` otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from calmcrown.catalog import Catalog, Region
from calmcrown.diary.records import HeadacheEntry
from calmcrown.insight.frequency import (
    RateRatio,
    detectable_reduction,
    planning_dispersion,
    rate_ratio,
    weeks_needed_for,
)
from calmcrown.insight.inputs import DayFacts, SessionFacts
from calmcrown.insight.interval_words import percent_span, points_span
from calmcrown.insight.periods import (
    MAX_EPISODE_DAYS,
    DayRecord,
    LongHeadache,
    Period,
    day_records,
    long_headaches,
    split_periods,
)
from calmcrown.insight.sessions import (
    Adherence,
    CutShort,
    ImmediateChange,
    RoutineChange,
    adherence,
    change_by_routine,
    cut_short,
    immediate_change,
    practised,
)

MINIMUM_RECORDED_DAYS = 28
LOW_COVERAGE = 0.8
TREATED_SHARE_CHANGE = 0.25
CONTROL_GROUP_IMPROVEMENT = "36%"  # de Groot et al. 2011: 35.7% on average


class Verdict(StrEnum):
    INSUFFICIENT_DATA = "insufficient_data"
    LIKELY_BETTER = "likely_better"
    LIKELY_WORSE = "likely_worse"
    NO_CLEAR_CHANGE = "no_clear_change"


@dataclass(frozen=True)
class Analysis:
    baseline: Period
    practice: Period
    practice_start: dt.date | None
    practice_start_given: bool
    frequency: RateRatio | None
    immediate: ImmediateChange
    adherence: Adherence
    cut_short: CutShort
    by_routine: list[RoutineChange]
    by_region: list[RoutineChange]
    verdict: Verdict
    days_still_needed: int
    detectable_reduction: float | None
    weeks_needed_for_50: int | None
    caveats: list[str] = field(default_factory=list)
    records: tuple[DayRecord, ...] = ()
    """The recorded days from ``since`` to the last date: what the charts draw."""
    sessions: tuple[SessionFacts, ...] = ()
    end: dt.date | None = None
    """The last date analysed."""
    long_headaches: tuple[LongHeadache, ...] = ()
    """Episodes counted for only their first ``MAX_EPISODE_DAYS`` dates."""

    @property
    def responder_50(self) -> bool | None:
        if self.frequency is None:
            return None
        # Compared as shown (3 decimals): 0.5000000000000003 is a 50% reduction.
        return round(self.frequency.ratio, 3) <= 0.5

    def sentence(self) -> str:
        """The verdict in one plain sentence, for the page and the report."""
        if self.verdict is Verdict.INSUFFICIENT_DATA:
            if self.practice_start is None:
                return (
                    "Not enough to tell yet: no session is recorded, so there is nothing "
                    "to compare the headache days before it with."
                )
            if self.days_still_needed:
                return self._days_short()
            return (
                "No comparison can be made: no headache day was recorded before the "
                "practice began, so there is nothing for it to reduce."
                if self.baseline.headache_days == 0
                else "No comparison can be made from these days; see the figures below."
            )
        ratio = self.frequency
        if ratio is None or ratio.ci_low is None or ratio.ci_high is None:
            # Not reached: every other verdict comes from a computed interval.
            return "Not enough to tell yet."
        change = _percent_change(ratio.ratio)
        span = percent_span(ratio.ci_low, ratio.ci_high)
        if self.verdict is Verdict.LIKELY_BETTER:
            return (
                f"Likely fewer headache days since the practice began: {change} per 28 "
                f"days (95% interval {span}). Massage may not be the reason; see below."
            )
        if self.verdict is Verdict.LIKELY_WORSE:
            return (
                f"Likely more headache days since the practice began: {change} per 28 "
                f"days (95% interval {span}). Please talk this over with your doctor."
            )
        return (
            f"No clear change in headache days so far: {change} per 28 days, and the 95% "
            f"interval ({span}) includes no change at all."
        )

    def _days_short(self) -> str:
        before = max(0, MINIMUM_RECORDED_DAYS - self.baseline.recorded_days)
        since = max(0, MINIMUM_RECORDED_DAYS - self.practice.recorded_days)
        more = (
            f"about {since} more recorded "
            + ("day since the practice began is needed" if since == 1 else
               "days since the practice began are needed")
        )  # fmt: skip
        if self.practice.start != self.practice_start:
            # The dates asked for begin after the practice did: nothing before it is in them.
            return (
                "No comparison can be made: the dates chosen begin after the practice "
                "started, so they hold no days from before it. Choose an earlier first date."
            )
        if not before:
            return (
                f"Not enough to tell yet: each period needs at least 28 recorded days, so {more}."
            )
        recorded = self.baseline.recorded_days
        return (
            f"Not enough to tell yet: only {recorded} "
            + ("day was" if recorded == 1 else "days were")
            + " recorded before the practice began, and each period needs at least 28. Days "
            "before it can still be added in the diary, or an older diary imported"
            + (f"; and {more}." if since else ".")
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON scripts rely on (docs/cli.md); null where a figure cannot be computed."""
        ratio = self.frequency
        return {
            "baseline": _period_dict(self.baseline),
            "practice": _period_dict(self.practice),
            "practice_start": _iso(self.practice_start),
            "frequency": {
                "rate_ratio": _round(ratio.ratio if ratio else None),
                "ci_low": _round(ratio.ci_low if ratio else None),
                "ci_high": _round(ratio.ci_high if ratio else None),
                "responder_50": self.responder_50,
                "dispersion": _round(ratio.dispersion if ratio else None),
                "method": "quasi-Poisson GLM on weekly counts, t interval",
                "interval_note": _interval_note(ratio),
            },
            "immediate": {
                "sessions": self.immediate.sessions,
                "mean_change": _round(self.immediate.mean_change),
                "ci_low": _round(self.immediate.ci_low),
                "ci_high": _round(self.immediate.ci_high),
                "interval_words": (
                    points_span(self.immediate.ci_low, self.immediate.ci_high)
                    if self.immediate.ci_low is not None and self.immediate.ci_high is not None
                    else None
                ),
                "share_meaningful": _round(self.immediate.share_meaningful),
            },
            "adherence": {
                "sessions_per_week": _round(self.adherence.sessions_per_week),
                "target_per_week": self.adherence.target_per_week,
                "weeks": self.adherence.weeks,
                "weeks_with_3_or_more": self.adherence.weeks_with_three,
            },
            "cut_short": {
                "ended_early": self.cut_short.ended_early,
                "under_5_minutes": self.cut_short.short,
                "no_after_phase": self.cut_short.no_after_phase,
            },
            "by_routine": [_routine_dict(r) for r in self.by_routine],
            "by_region": [_routine_dict(r) for r in self.by_region],
            "verdict": self.verdict.value,
            "sentence": self.sentence(),
            "days_still_needed": self.days_still_needed,
            "detectable_reduction": _round(self.detectable_reduction),
            "weeks_needed_for_50": self.weeks_needed_for_50,
            "caveats": list(self.caveats),
        }


def analyze(
    days: Sequence[DayFacts],
    headaches: Sequence[HeadacheEntry],
    sessions: Sequence[SessionFacts],
    *,
    now: dt.datetime,
    since: dt.date | None = None,
    until: dt.date | None = None,
    practice_start: dt.date | None = None,
    target_per_week: int | None = None,
    routine_regions: Mapping[str, str] | None = None,
) -> Analysis:
    """Analyse a diary. The practice starts at ``practice_start`` or the first session."""
    last = until or now.date()
    records = day_records(days, headaches, now)
    in_range = [s for s in sessions if (since is None or s.date >= since) and s.date <= last]
    given = practice_start is not None
    # The first session ever (up to the last date), not the first after --since: leaving
    # out early days must not move the start of the practice.
    start = practice_start or _first_session([s for s in sessions if s.date <= last])
    baseline, practice = split_periods(records, start, since, last)
    began = practice.start  # the practice start, or --since when that is later
    practice_sessions = [s for s in in_range if began is not None and s.date >= began]
    ratio = rate_ratio(baseline, practice)
    spread = planning_dispersion(baseline, practice)  # fitted once for both plans
    still_needed = max(0, MINIMUM_RECORDED_DAYS - baseline.recorded_days) + max(
        0, MINIMUM_RECORDED_DAYS - practice.recorded_days
    )
    verdict = _verdict(still_needed, start, ratio)
    regions = routine_regions or {}
    analysis = Analysis(
        baseline=baseline,
        practice=practice,
        practice_start=start,
        practice_start_given=given,
        frequency=ratio,
        immediate=immediate_change(practice_sessions),
        adherence=adherence(practice_sessions, began, last, target_per_week),
        cut_short=cut_short(practice_sessions),
        by_routine=change_by_routine(practice_sessions),
        by_region=_by_region(practice_sessions, regions),
        verdict=verdict,
        days_still_needed=still_needed,
        detectable_reduction=detectable_reduction(baseline, practice, spread),
        weeks_needed_for_50=weeks_needed_for(0.5, baseline, practice, spread),
        records=tuple(r for r in records if (since is None or r.date >= since) and r.date <= last),
        end=last,
        sessions=tuple(in_range),
        long_headaches=tuple(long_headaches(headaches, now, since, last)),
    )
    return _with_caveats(analysis)


def region_of_routines(catalog: Catalog) -> dict[str, str]:
    """Each routine's place on the body, for the comparison by region: feet, head and
    neck, or both."""
    labels = {}
    for routine_id, routine in catalog.routines.items():
        regions = set(catalog.regions_of(routine))
        feet = Region.FEET in regions
        labels[routine_id] = (
            "feet" if regions == {Region.FEET} else "head and feet" if feet else "head and neck"
        )
    return labels


def _first_session(sessions: Sequence[SessionFacts]) -> dt.date | None:
    dates = [s.date for s in practised(sessions)]
    return min(dates) if dates else None


def _verdict(still_needed: int, start: dt.date | None, ratio: RateRatio | None) -> Verdict:
    if start is None or still_needed > 0 or ratio is None:
        return Verdict.INSUFFICIENT_DATA
    if ratio.ci_low is None or ratio.ci_high is None:
        return Verdict.INSUFFICIENT_DATA
    if ratio.ci_high < 1:
        return Verdict.LIKELY_BETTER
    if ratio.ci_low > 1:
        return Verdict.LIKELY_WORSE
    return Verdict.NO_CLEAR_CHANGE


def _interval_note(ratio: RateRatio | None) -> str | None:
    """Why a ratio is shown without its interval, in words for the page and scripts."""
    if ratio is None or ratio.no_interval is None:
        return None
    why = (
        "it needs at least 3 weeks with recorded days across the two periods"
        if ratio.no_interval == "too_few_weeks"
        else "the model could not be fitted to these weeks"
    )
    return (
        f"No 95% interval yet: {why}. Until there is one, this ratio is a first look "
        "and may be chance alone."
    )


def _by_region(sessions: Sequence[SessionFacts], regions: Mapping[str, str]) -> list[RoutineChange]:
    return change_by_routine(sessions, regions) if regions else []


def _with_caveats(analysis: Analysis) -> Analysis:
    caveats = []
    if analysis.practice.recorded_days and analysis.baseline.recorded_days:
        caveats.append(
            "People usually start something new when their headaches are at their worst, "
            "and headaches often ease again by themselves: in headache trials the groups "
            f"given no real treatment improve by about {CONTROL_GROUP_IMPROVEMENT} on "
            "average (de Groot et al. 2011). A before-and-after comparison cannot rule "
            "this out."
        )
    if _medication_changed(analysis.baseline, analysis.practice):
        caveats.append(
            "Acute medication changed between the periods (a different medicine, or a "
            "different share of headache days treated): that alone can change how many "
            "headache days there are, and how bad they feel."
        )
    for period in (analysis.baseline, analysis.practice):
        coverage = period.coverage
        if coverage is not None and coverage < LOW_COVERAGE:
            caveats.append(
                f"Only {coverage:.0%} of the days in the {period.name} period are "
                "recorded; days left out may not be like the days written down."
            )
    if analysis.frequency is not None and analysis.frequency.corrected_zero:
        caveats.append(
            "No headache day was recorded since the practice began, so the upper bound "
            "adds half a headache day to that period (a standard correction for a zero)."
        )
    if analysis.by_routine and len(analysis.by_routine) > 1:
        caveats.append(
            "The comparison between routines or regions is not randomised: the routine "
            "was chosen, often by how the day was going."
        )
    if analysis.long_headaches:
        caveats.append(_long_headaches_caveat(analysis.long_headaches))
    caveats.append(
        "Only a randomised comparison, such as a personal trial of head against foot "
        "massage, can separate the effect of massage from everything else that changed."
    )
    return replace(analysis, caveats=caveats)


def _long_headaches_caveat(found: Sequence[LongHeadache]) -> str:
    if len(found) > 1:
        longest = max(episode.days for episode in found)
        return (
            f"{len(found)} headaches are recorded as lasting more than {MAX_EPISODE_DAYS} "
            f"days (the longest {longest:,} days); each was counted as {MAX_EPISODE_DAYS} "
            "days, since an end that was never recorded is more likely. If they ended "
            "sooner, give their ends in the diary."
        )
    [episode] = found
    how = "going on" if episode.ongoing else "lasting"
    return (
        f"One headache, recorded as {how} for {episode.days:,} days (from "
        f"{episode.started:%-d %b %Y}), was counted as {MAX_EPISODE_DAYS} days, since an "
        "end that was never recorded is more likely. If it ended sooner, give its end in "
        "the diary."
    )


def _medication_changed(baseline: Period, practice: Period) -> bool:
    """A medicine taken on 2 or more days in one period and never in the other, or a
    change of 25 points or more in the share of headache days treated. Fewer medication
    days alone is not a change: fewer headaches need fewer tablets."""
    if not baseline.recorded_days or not practice.recorded_days:
        return False
    regular_before, regular_after = baseline.regular_medicines, practice.regular_medicines
    if regular_before - practice.medications or regular_after - baseline.medications:
        return True
    shares = [p.treated_share for p in (baseline, practice)]
    if shares[0] is None or shares[1] is None:
        return False
    return abs(shares[1] - shares[0]) >= TREATED_SHARE_CHANGE


def _percent_change(ratio: float) -> str:
    change = (ratio - 1) * 100
    if abs(change) < 1e-9:
        return "no change"
    if abs(change) < 0.5:
        # Not "no change": a bound just inside 1 decides the verdict, so it must show.
        return f"under 1% {'fewer' if change < 0 else 'more'}"
    return f"{abs(change):.0f}% {'fewer' if change < 0 else 'more'}"


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _period_dict(period: Period) -> dict[str, Any]:
    return {
        "start": _iso(period.start),
        "end": _iso(period.end),
        "recorded_days": period.recorded_days,
        "headache_days": period.headache_days,
        "headache_days_per_28": _round(period.headache_days_per_28, 2),
        "coverage": _round(period.coverage, 3),
        "mean_intensity": _round(period.mean_intensity, 2),
        "medication_days": period.medication_days,
        "medication_days_per_28": _round(period.per_28(period.medication_days), 2),
    }


def _routine_dict(change: RoutineChange) -> dict[str, Any]:
    return {
        "name": change.routine,
        "sessions": change.sessions,
        "mean_change": _round(change.mean_change),
    }
