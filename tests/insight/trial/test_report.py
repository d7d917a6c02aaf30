"""The trial's PDF report: a 4-block, three-arm trial with amendments and safety stops on
at most three A4 pages, carrying the seed, the algorithm, the interval, the amendments
and the stops; printed by real WeasyPrint, read back with pdftotext, looked at as PNGs."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import subprocess
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from calmcrown.insight.report import report_pdf
from calmcrown.insight.trial.analysis import TrialAnalysis, TrialSession, analyze_trial
from calmcrown.insight.trial.design import design, end_early, extend_period
from calmcrown.insight.trial.page_context import STOPS_LISTED, SafetyStop
from calmcrown.insight.trial.power import PowerRow
from calmcrown.insight.trial.report import TrialReportContext, trial_report_html

from .diaries import DAY, clustered, sessions_by_plan

START = dt.date(2026, 1, 5)
SEED = 4711
# As power_table gives them for the typical diary, three arms of 14 days (docs/insight.md).
POWER = [PowerRow(3, 0.13, None, 100), PowerRow(4, 0.22, None, 100),
         PowerRow(5, 0.30, None, 100), PowerRow(6, 0.49, 0.75, 100)]  # fmt: skip
WORST = "Is this the worst headache of your life, or did it come on suddenly?"


def _three_arms() -> tuple[TrialAnalysis, TrialReportContext]:
    trial = design(["head", "feet", "none"], START, seed=SEED)
    trial = extend_period(trial, 2, 7, START + 20 * DAY, "a week away with a cold")
    trial = extend_period(trial, 7, 3, trial.periods[6].start + 5 * DAY, "forgot to switch")
    stopped = [trial.periods[3].start + 4 * DAY, trial.periods[9].start + 2 * DAY]
    sessions = sessions_by_plan(trial) + [
        TrialSession(day, "head", 6, None, stopped_by_screening=True) for day in stopped
    ]
    analysis = analyze_trial(trial, clustered(trial, 3, {"head": 0.6}), sessions, trial.end)
    context = TrialReportContext(
        who="Ada Lovelace",
        generated=dt.date(2026, 7, 1),
        stops=[
            SafetyStop(stopped[0], (WORST,)),
            SafetyStop(stopped[1], ("Fever and a stiff neck?",)),
        ],
    )
    return analysis, context


def _text(pdf: bytes, tmp_path: Path) -> str:
    (tmp_path / "trial.pdf").write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(tmp_path / "trial.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return " ".join(out.split())


def test_a_three_arm_trial_with_amendments_fits_three_pages_and_says_what_matters(
    tmp_path: Path,
) -> None:
    analysis, context = _three_arms()
    pdf = report_pdf(trial_report_html(analysis, POWER, context))
    assert 1 <= len(PdfReader(io.BytesIO(pdf)).pages) <= 3
    text = _text(pdf, tmp_path)
    assert "Ada Lovelace" in text and "made 2026-07-01" in text
    # The allocation: the seed, the generator and the algorithm, and that it re-derives.
    assert f"seed {SEED}" in text
    assert "numpy.random.PCG64" in text and "calmcrown-block-permutation/1" in text
    assert "drawn again when this report was made, it gives the same order" in text
    # The design and what it could find.
    assert "4 blocks" in text and "14 days" in text and "first 2 days" in text
    assert "4 (chosen)" in text and "22%" in text
    # The comparison with its interval and p, each in the table and in words.
    head = analysis.comparisons[0]
    assert head.figures is not None and head.figures.ci_high is not None
    assert f"{head.figures.ci_low:.2f} to {head.figures.ci_high:.2f}" in text
    assert "head massage against no massage" in text
    assert "randomisation test gives p =" in text
    # Every period, with its own figure.
    for result in analysis.periods:
        assert result.headache_days_per_28 is not None
        assert f"{result.headache_days_per_28:.1f}" in text
    # Amendments with date and reason; harms and stops with their dates.
    assert "25 Jan 2026: period 2 extended by 7 days, because a week away with a cold" in text
    assert "period 7 extended by 3 days, because forgot to switch" in text
    stop = analysis.design.periods[3].start + 4 * DAY
    assert f"{stop:%-d %b %Y}, period 4" in text and "worst headache of your life" in text
    assert "stopped 2 sessions" in text
    assert "No blinding" in text


def test_the_report_pages_are_looked_at_as_pictures(tmp_path: Path) -> None:
    analysis, context = _three_arms()
    pdf = report_pdf(trial_report_html(analysis, POWER, context))
    (tmp_path / "trial.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(tmp_path / "trial.pdf"),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"))
    assert 1 <= len(pages) <= 3
    assert all(page.stat().st_size > 10_000 for page in pages), "pages with something on them"


def test_an_early_end_and_many_stops_still_fit_three_pages(tmp_path: Path) -> None:
    trial = design(["head", "feet", "none"], START, seed=SEED)
    trial = extend_period(trial, 1, 7, START + 3 * DAY, "travel " * 12)
    trial = end_early(trial, trial.periods[9].start + 5 * DAY, "a new preventive medicine " * 4)
    days = [trial.start + i * DAY for i in range(0, (trial.end - trial.start).days, 3)]
    sessions = [TrialSession(day, "feet", 5, None, stopped_by_screening=True) for day in days]
    analysis = analyze_trial(trial, clustered(trial, 5), sessions, trial.end)
    context = TrialReportContext(
        who="Diary profile 'a-rather-long-profile-name-for-testing-the-header'",
        generated=trial.end,
        stops=[SafetyStop(day, (WORST, "Fever and a stiff neck?")) for day in days],
    )
    assert len(days) > STOPS_LISTED
    pdf = report_pdf(trial_report_html(analysis, POWER, context))
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 3
    text = _text(pdf, tmp_path)
    assert f"And {len(days) - STOPS_LISTED} other stops, later" in text
    assert "trial ended early" in text
    assert "only complete blocks are compared" in text


def test_a_running_trial_reports_no_comparison_figures(tmp_path: Path) -> None:
    trial = design(["feet", "none"], START, seed=8)
    today = trial.periods[4].start + 6 * DAY
    analysis = analyze_trial(trial, clustered(trial, 2, {"feet": 0.5}), [], today)
    pdf = report_pdf(trial_report_html(analysis, [], TrialReportContext("Ada", today)))
    text = _text(pdf, tmp_path)
    assert "The trial is running: period 5 of 8" in text
    assert "No comparison until the last period ends on 26 April 2026" in text
    assert "randomisation test gives" not in text
    assert "No power figures were kept with this trial." in text


def test_a_changed_allocation_is_reported_as_not_re_deriving(tmp_path: Path) -> None:
    trial = design(["feet", "none"], START, seed=8)
    tampered = type(trial)(**{**trial.__dict__, "seed": 9})
    analysis = analyze_trial(tampered, clustered(tampered, 2), [], tampered.end)
    html = " ".join(trial_report_html(analysis, POWER, TrialReportContext("Ada", START)).split())
    assert "it does not give the recorded order" in html


@pytest.mark.parametrize("theme_free", [True])
def test_the_report_reads_nothing_from_the_network(theme_free: bool) -> None:
    asked: list[str] = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    analysis, context = _three_arms()
    with http.server.HTTPServer(("127.0.0.1", 0), Counting) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        host, port = server.server_address[:2]
        html = trial_report_html(analysis, POWER, context)
        assert "http" not in html.split("<body", 1)[1], "the report links to nothing"
        html = html.replace("</body>", f'<img src="http://{host!s}:{port}/x.png"></body>')
        assert report_pdf(html).startswith(b"%PDF")
        server.shutdown()
    assert asked == [], "the report asked a web server for something"
