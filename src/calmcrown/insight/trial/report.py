"""The trial's report for a clinician, after the CENT 2015 checklist for n-of-1 trials
(the items that apply to one person): why a trial, the design and what it could find,
the allocation and its seed, what was done and found in each period, the comparison,
harms and stops, changes to the plan and the caveats, on at most three A4 pages.

The results are the web Trial page's own template (``trial_body.html``, with the context
of :func:`~calmcrown.insight.trial.page_context.trial_page_context`); the PDF is printed
by the clinician's report's :func:`~calmcrown.insight.report.report_pdf`.

Reference: Vohra S, et al. CONSORT extension for reporting N-of-1 trials (CENT) 2015
statement. BMJ 2015;350:h1738.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from calmcrown import __version__
from calmcrown.insight.report import _environment
from calmcrown.insight.trial.analysis import PLANNED_PER_WEEK, TrialAnalysis
from calmcrown.insight.trial.design import rederive
from calmcrown.insight.trial.page_context import SafetyStop, trial_page_context
from calmcrown.insight.trial.power import PowerRow
from calmcrown.insight.trial.result_words import arm_words, period_dates


@dataclass(frozen=True)
class TrialReportContext:
    """What the report says besides the analysis: for whom, when it was made, and the
    sessions the safety check stopped, with their dates."""

    who: str
    generated: dt.date
    stops: Sequence[SafetyStop] = ()


def trial_report_html(
    analysis: TrialAnalysis,
    power_rows: Sequence[PowerRow | Mapping[str, Any]],
    context: TrialReportContext,
) -> str:
    trial = analysis.design
    # The light palette, drawn at a desktop column's width: the report is printed, often
    # in black and white, across the page.
    page = trial_page_context(analysis, power_rows, theme="light", stops=context.stops)
    blocks = [
        [arm_words(p.arm) for p in trial.periods if p.block == block]
        for block in sorted({p.block for p in trial.periods})
    ]
    return (
        _environment()
        .get_template("trial_report.html")
        .render(
            page,
            chart=page["wide_chart"],
            sentence_shown=True,
            who=context.who,
            generated=context.generated.isoformat(),
            version=__version__,
            dates=period_dates(trial.start, trial.end),
            rederived=rederive(trial),
            order=blocks,
            planned_per_week=PLANNED_PER_WEEK,
        )
    )
