"""The report for a clinician: the analysis on at most two A4 pages, as HTML laid out by
the same template as the Insights page, and printed to PDF by WeasyPrint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from calmcrown import __version__
from calmcrown.catalog import Catalog
from calmcrown.insight.analysis import Analysis
from calmcrown.insight.attack_summary import AttackSummary
from calmcrown.insight.charts import all_charts
from calmcrown.insight.inputs import SessionFacts
from calmcrown.insight.medication_use import MedicationUse
from calmcrown.screening import read_doctor_checks

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Screening:
    """A check before a session that found something: when, the verdict, the answers,
    and the doctor's checks the person gave for lasting conditions, by question."""

    date: dt.date
    verdict: str
    flags: list[str]
    questions: list[str]
    doctor_checks: dict[str, dt.date] = field(default_factory=dict)


def screenings_with_answers(sessions: Sequence[SessionFacts], catalog: Catalog) -> list[Screening]:
    """Every check that had a yes answer, with the questions answered yes, newest first."""
    flags = catalog.safety.flags

    def question(flag: str) -> str:
        return flags[flag].question if flag in flags else flag

    found = [
        Screening(
            s.date,
            s.verdict or "unknown",
            list(s.reasons),
            [question(f) for f in s.reasons],
            {question(f): day for f, day in read_doctor_checks(s.doctor_checks).items()},
        )
        for s in sessions
        if s.reasons
    ]
    return sorted(found, key=lambda screening: screening.date, reverse=True)


@dataclass(frozen=True)
class AnswerCount:
    """One safety question and the checks that had it answered yes."""

    question: str
    checks: int
    first: dt.date
    last: dt.date
    verdicts: tuple[str, ...]
    doctor_check: dt.date | None = None
    """The latest date the person gave for a doctor's check of this condition."""


ANSWERS_SHOWN = 8  # the rest are counted: the report stays on two pages


def answers_by_question(screenings: Sequence[Screening]) -> list[AnswerCount]:
    """The yes answers a question at a time, the most recently given first. A condition
    that lasts (blood thinners, say) is answered yes at every check: listed check by
    check it would fill the report."""
    dates: dict[str, list[dt.date]] = {}
    verdicts: dict[str, set[str]] = {}
    checked: dict[str, dt.date] = {}
    for screening in screenings:
        for question in screening.questions:
            dates.setdefault(question, []).append(screening.date)
            verdicts.setdefault(question, set()).add(screening.verdict)
        for question, day in screening.doctor_checks.items():
            checked[question] = max(day, checked.get(question, day))
    counts = [
        AnswerCount(
            question,
            len(days),
            min(days),
            max(days),
            tuple(sorted(verdicts[question])),
            checked.get(question),
        )
        for question, days in dates.items()
    ]
    return sorted(counts, key=lambda count: (count.last, count.checks), reverse=True)


@dataclass(frozen=True)
class ReportContext:
    """What the report says besides the analysis."""

    who: str
    medication_days: int
    medication_warning: str | None
    screenings: list[Screening]
    generated: dt.date
    medication: list[MedicationUse] = field(default_factory=list)
    """Acute medication by name over the report's dates."""
    attacks: AttackSummary | None = None
    """The headache attacks recorded over the report's dates."""


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def period_text(result: Analysis) -> str:
    first = result.baseline.start or result.practice.start
    last = result.practice.end or result.baseline.end
    if first is None or last is None:
        return "no recorded days"
    return f"{first:%-d %b %Y} to {last:%-d %b %Y}"


def report_html(result: Analysis, context: ReportContext) -> str:
    # The light palette: the report is printed, often in black and white.
    charts = all_charts(result, theme="light")
    return (
        _environment()
        .get_template("report.html")
        .render(
            result=result,
            data=result.to_dict(),
            charts=charts,
            who=context.who,
            period=period_text(result),
            generated=context.generated.isoformat(),
            version=__version__,
            medication_days=context.medication_days,
            medication_warning=context.medication_warning,
            medication=context.medication,
            attacks=context.attacks,
            checks=len(context.screenings),
            answers=answers_by_question(context.screenings),
            shown=ANSWERS_SHOWN,
        )
    )


def report_pdf(html: str) -> bytes:
    """The HTML as PDF. Only files beside the template are read (the style sheet); the
    charts are inside the page, so nothing is fetched from anywhere."""
    from weasyprint import HTML, URLFetcher

    # file: for the style sheet, data: for the charts; never the network.
    fetcher = URLFetcher(allowed_protocols=("file", "data"))
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=fetcher).write_pdf()
    return pdf
