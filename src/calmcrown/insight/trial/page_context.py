"""What the trial's results template shows, built once for the web Trial page and the PDF.

``insight/templates/trial_body.html`` lays out the dict :func:`trial_page_context`
returns; the web page and :mod:`calmcrown.insight.trial.report` both include that
template with it, so the page and the report cannot say different things.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from calmcrown.insight.charts import Theme
from calmcrown.insight.interval_words import points_span
from calmcrown.insight.trial.analysis import (
    MINIMUM_ANALYSED_DAYS,
    Comparison,
    PeriodResult,
    TrialAnalysis,
    analysis_dict,
)
from calmcrown.insight.trial.charts import period_chart
from calmcrown.insight.trial.comparison import TIE, Verdict
from calmcrown.insight.trial.design import AmendmentKind, TrialDesign
from calmcrown.insight.trial.power import PowerRow, power_dicts
from calmcrown.insight.trial.result_words import (
    VERDICT_WORDS,
    arm_words,
    comparison_sentence,
    overall_sentence,
    p_text,
    period_dates,
)

STOPS_LISTED = 12
"""Stops listed one by one; more are counted, so that the report keeps to three pages."""


@dataclass(frozen=True)
class SafetyStop:
    """A session the safety check stopped: when, and what it found (in words)."""

    date: dt.date
    reasons: tuple[str, ...] = ()


def _comparison_row(analysis: TrialAnalysis, comparison: Comparison) -> dict[str, Any]:
    f = comparison.figures
    p = f.p_randomisation if f else None
    smallest = f.smallest_p if f else None
    return {
        "arm": comparison.arm,
        "versus": comparison.versus,
        "title": f"{arm_words(comparison.arm)} against {arm_words(comparison.versus)}",
        "rate_ratio": f.rate_ratio if f else None,
        "ci_low": f.ci_low if f else None,
        "ci_high": f.ci_high if f else None,
        "p": p,
        "p_text": None if p is None else p_text(p),
        "smallest_p": smallest,
        "smallest_p_text": None if smallest is None else p_text(smallest),
        "at_smallest": p is not None and smallest is not None and p <= smallest + TIE,
        "allocations": f.allocations if f else None,
        "exact": f.exact if f else None,
        "verdict": comparison.verdict.value,
        "verdict_words": VERDICT_WORDS[comparison.verdict],
        "sentence": comparison_sentence(analysis, comparison),
    }


def _extended_days(trial: TrialDesign) -> dict[int, int]:
    found: dict[int, int] = {}
    for amendment in trial.amendments:
        if amendment.kind is AmendmentKind.PERIOD_EXTENDED and amendment.period is not None:
            found[amendment.period] = found.get(amendment.period, 0) + amendment.days
    return found


def _period_row(result: PeriodResult, extended: Mapping[int, int]) -> dict[str, Any]:
    period = result.period
    return {
        "index": period.index,
        "block": period.block,
        "arm": period.arm,
        "arm_words": arm_words(period.arm),
        "dates": period_dates(period.start, period.end),
        "start_text": f"{period.start:%-d %b}",
        "end_text": f"{period.end:%-d %b %Y}",
        "start": period.start,
        "end": period.end,
        "days": period.days,
        "extended_days": extended.get(period.index, 0),
        "over": result.over,
        "started": result.analysable_days > 0,
        "analysed_days": result.analysed_days,
        "analysable_days": result.analysable_days,
        "short": result.over and result.analysed_days < MINIMUM_ANALYSED_DAYS,
        "headache_days": result.headache_days,
        "per_28": result.headache_days_per_28,
        "medication_days": result.medication_days,
        "planned": result.planned,
        "done": result.done,
        "deviations": result.deviations,
        "stops": result.stops,
    }


def _secondary(analysis: TrialAnalysis, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for arm in analysis.design.arms:
        immediate = analysis.immediate[arm]
        change = immediate.mean_change
        interval = (points_span(immediate.ci_low, immediate.ci_high)
                    if immediate.ci_low is not None and immediate.ci_high is not None
                    else None)  # fmt: skip
        by_arm = data["by_arm"][arm]
        rows.append({
            "arm": arm,
            "arm_words": arm_words(arm),
            "sessions": immediate.sessions,
            "mean_change": change,
            "change_words": None if change is None else (
                "no change" if round(change, 1) == 0
                else f"{abs(change):.1f} points {'lower' if change < 0 else 'higher'}"
            ),
            "interval_words": interval,
            **by_arm,
        })  # fmt: skip
    return rows


def _power(
    trial: TrialDesign, rows: Sequence[PowerRow | Mapping[str, Any]]
) -> list[dict[str, Any]]:
    dicts = [dict(row) if isinstance(row, Mapping) else power_dicts([row])[0] for row in rows]
    return [{**row, "chosen": row.get("blocks") == trial.blocks} for row in dicts]


def trial_page_context(
    analysis: TrialAnalysis,
    power_rows: Sequence[PowerRow | Mapping[str, Any]] = (),
    theme: Theme = "dim",
    stops: Sequence[SafetyStop] = (),
) -> dict[str, Any]:
    """The context ``trial_body.html`` expects; pass it whole to the template.

    ``power_rows`` are the design's power figures (:class:`PowerRow` or the ``power``
    dicts of the design's JSON); ``stops`` the sessions the safety check stopped, with
    their dates (without them the page counts stops per period only).

    Keys: ``trial`` (the TrialAnalysis), ``design`` (its TrialDesign), ``data`` (the
    JSON of ``analysis_dict``), ``sentence`` (the one plain sentence that comes first),
    ``in_progress`` (bool: no comparison figures yet), ``chart`` and ``wide_chart`` (the
    per-period Chart, phone and desktop width; use ``chart.data_uri`` and ``chart.alt``),
    ``comparisons`` (rows: title, rate_ratio, ci_low, ci_high, p, p_text, smallest_p,
    smallest_p_text, at_smallest, verdict, verdict_words, sentence), ``periods`` (rows:
    index, block, arm_words, dates, start_text, end_text, analysed_days,
    analysable_days, headache_days, per_28, done, planned, deviations, stops, over,
    started, short, extended_days), ``secondary`` (per arm: sessions, change_words,
    interval_words, mean_intensity, medication_days, medication_days_per_28,
    analysed_days), ``stops`` (the first ``STOPS_LISTED`` SafetyStops as dicts: date,
    reasons, period, arm_words), ``stops_not_listed`` (how many more), ``stops_total``
    (stops counted in periods), ``amendments`` (date, kind_words, reason), ``power``
    (rows: blocks, power_50, detectable_reduction, simulations, chosen), ``caveats``
    (strings), ``smallest_p_text`` (the design's smallest randomisation p, in words),
    ``minimum_days`` (analysed days a period needs) and ``theme``. Set
    ``sentence_shown`` true in the including page when it has already said the sentence.
    """
    trial = analysis.design
    data = analysis_dict(analysis)
    extended = _extended_days(trial)
    amendments = [
        {
            "date": a.date,
            "kind": a.kind.value,
            "kind_words": (f"period {a.period} extended by {a.days} day{'' if a.days == 1 else 's'}"
                           if a.kind is AmendmentKind.PERIOD_EXTENDED else "trial ended early"),
            "reason": a.reason,
        }
        for a in trial.amendments
    ]  # fmt: skip
    stop_rows = []
    for stop in sorted(stops, key=lambda s: s.date):
        period = trial.period_on(stop.date)
        stop_rows.append({"date": stop.date, "reasons": list(stop.reasons),
                          "period": period.index if period else None,
                          "arm_words": arm_words(period.arm) if period else None})  # fmt: skip
    return {
        "trial": analysis,
        "design": trial,
        "data": data,
        "sentence": overall_sentence(analysis),
        "in_progress": all(c.verdict is Verdict.IN_PROGRESS for c in analysis.comparisons),
        "chart": period_chart(analysis, theme),
        "wide_chart": period_chart(analysis, theme, wide=True),
        "comparisons": [_comparison_row(analysis, c) for c in analysis.comparisons],
        "periods": [_period_row(p, extended) for p in analysis.periods],
        "secondary": _secondary(analysis, data),
        "stops": stop_rows[:STOPS_LISTED],
        "stops_not_listed": max(0, len(stop_rows) - STOPS_LISTED),
        "stops_total": sum(p.stops for p in analysis.periods),
        "amendments": amendments,
        "power": _power(trial, power_rows),
        "caveats": list(analysis.caveats),
        "arm_words": {arm: arm_words(arm) for arm in trial.arms},
        "smallest_p_text": p_text(1 / math.factorial(len(trial.arms)) ** trial.blocks),
        "minimum_days": MINIMUM_ANALYSED_DAYS,
        "theme": theme,
    }
