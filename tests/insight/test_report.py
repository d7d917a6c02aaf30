"""The clinician's report: at most two pages, the figures in it, and a look at it as
pictures (pdftoppm, as a person would see the pages)."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import subprocess
import threading
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from calmcrown.catalog import Catalog
from calmcrown.diary.records import DayEntry, SessionEntry
from calmcrown.headache_kind import HeadacheFeatures, HeadacheTag
from calmcrown.insight.analysis import Analysis, analyze, region_of_routines
from calmcrown.insight.attack_summary import summarize_attacks
from calmcrown.insight.medication_use import MedicationUse
from calmcrown.insight.report import ReportContext, report_html, report_pdf, screenings_with_answers


def _context(helped: Analysis, catalog: Catalog) -> ReportContext:
    migraine = HeadacheFeatures(
        duration_hours=7.5, ongoing=False, peak=8, side="left", quality="pulsating",
        worse_with_activity=True, nausea=True, vomiting=False, light_sensitivity=True,
        sound_sensitivity=None, aura=False,
    )  # fmt: skip
    return ReportContext(
        who="Ada Lovelace",
        medication_days=11,
        medication_warning="Acute medication on 11 of the last 30 days.",
        screenings=screenings_with_answers(helped.sessions, catalog),
        generated=dt.date(2026, 12, 1),
        medication=[
            MedicationUse("ibuprofen", 9, ("400 mg",)),
            MedicationUse("sumatriptan", 2, ()),
        ],
        attacks=summarize_attacks(
            [(HeadacheTag.MIGRAINE_LIKE, migraine)] * 3, helped=["yes", "no", None]
        ),
    )


def test_the_report_fits_two_pages_and_says_what_matters(
    helped: Analysis, catalog: Catalog, tmp_path: Path
) -> None:
    pdf = report_pdf(report_html(helped, _context(helped, catalog)))
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Likely fewer headache days since the practice began" in text
    assert "16.0" in text and "2.5" in text, "headache days per 28, both periods"
    assert "Acute medication on 11 of the last 30 days." in text
    assert "Do you take a blood thinner" in text, "the safety check's yes answers"
    assert "Ada Lovelace" in text
    assert "ibuprofen 9 days (400 mg); sumatriptan 2 days." in text
    assert "3 headache attacks recorded with their details: 3 migraine-like" in text
    assert "median length 7.5 hours, of the 3 that ended" in text
    assert "nausea 3 of 3" in text and "bothered by sound" not in text
    assert "help after two hours? yes 1, no 1 (of the 2 attacks where it was recorded)" in text
    assert "de Groot" in text
    # Turned into pictures as a person would see them.
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(reader.pages)
    assert all(page.stat().st_size > 10_000 for page in pages), "pages with something on them"


def test_the_report_reads_nothing_from_the_network(helped: Analysis, catalog: Catalog) -> None:
    asked: list[str] = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    with http.server.HTTPServer(("127.0.0.1", 0), Counting) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        host, port = server.server_address[:2]
        html = report_html(helped, _context(helped, catalog))
        html = html.replace("</body>", f'<img src="http://{host!s}:{port}/x.png"></body>')
        assert report_pdf(html).startswith(b"%PDF")
        server.shutdown()
    assert asked == [], "the report asked a web server for something"


def test_a_50_percent_response_is_not_promised_beyond_its_interval(
    helped: Analysis, catalog: Catalog
) -> None:
    html = " ".join(report_html(helped, _context(helped, catalog)).split())
    assert helped.frequency is not None and helped.frequency.ci_high < 0.5
    assert "half as many or fewer" in html and "also allows a smaller" not in html
    wide = replace(helped, frequency=replace(helped.frequency, ci_high=0.77))
    html = " ".join(report_html(wide, _context(wide, catalog)).split())
    assert "half as many or fewer" in html and "the interval also allows a smaller change" in html


def test_a_ratio_without_an_interval_says_why_in_the_report(
    helped: Analysis, catalog: Catalog
) -> None:
    start = dt.date(2026, 1, 12)
    days = [DayEntry(date=start + dt.timedelta(days=i), intensity=6 if mark == "H" else 0)
            for i, mark in enumerate("HHH....H....")]  # fmt: skip
    first = SessionEntry(date=start + dt.timedelta(days=7), routine="evening", seconds=600)
    short = analyze(days, [], [first], now=dt.datetime(2026, 1, 23, 22))
    pdf = report_pdf(report_html(short, _context(helped, catalog)))
    text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "as a share of before: 0.47. The best estimate is half as many or fewer" in text
    assert "No 95% interval yet: it needs at least 3 weeks with recorded days" in text


def test_a_crowded_diary_still_fits_two_pages(catalog: Catalog) -> None:
    """Every caveat, every routine, and checks that answered yes to every question,
    some of them at every session: the report lists questions, not checks."""
    start = dt.date(2025, 1, 1)
    flags = list(catalog.safety.flags)
    days, sessions = [], []
    for i in range(300):
        headache = (i * 7) % 10 < (5 if i < 150 else 2)
        if i % 3 == 0:
            continue  # low coverage
        medicine = "ibuprofen 400 mg" if i < 150 else "sumatriptan 50 mg"
        days.append(DayEntry(date=start + dt.timedelta(days=i), intensity=7 if headache else 0,
                             medication=medicine if headache else None))  # fmt: skip
    for n, i in enumerate(range(150, 300, 2)):
        sessions.append(
            SessionEntry(date=start + dt.timedelta(days=i), routine=list(catalog.routines)[n % 6],
                         seconds=120 if n % 3 == 0 else 900, pain_before=6, pain_after=n % 8,
                         outcome="ended_early" if n % 5 == 0 else "completed",
                         planned_after_s=120, actual_after_s=0 if n % 2 else 120, verdict="adapt",
                         reasons=flags if n % 10 == 0 else flags[n % 20 : n % 20 + 6])
        )  # fmt: skip
    end = start + dt.timedelta(days=299)
    crowded = analyze(days, [], sessions, now=dt.datetime.combine(end, dt.time(22)), until=end,
                      target_per_week=4, routine_regions=region_of_routines(catalog))  # fmt: skip
    context = ReportContext(
        who="Diary profile 'a-rather-long-profile-name-for-testing-the-header'",
        medication_days=20,
        medication_warning="Acute medication on 20 of the last 30 days. " * 3,
        screenings=screenings_with_answers(crowded.sessions, catalog),
        generated=end,
    )
    html = report_html(crowded, context)
    assert f"{len(sessions)} checks in these dates had a yes" in " ".join(html.split())
    assert "other questions answered yes" in html
    assert len(PdfReader(io.BytesIO(report_pdf(html))).pages) <= 2


def test_a_doctors_check_of_a_lasting_condition_is_shown_with_its_date(
    helped: Analysis, catalog: Catalog
) -> None:
    """H13: the clinician sees that the person said a doctor checked this, and when."""
    checked = [
        SessionEntry(
            date=dt.date(2026, 11, day),
            routine="evening",
            seconds=900,
            verdict="clear",
            reasons=["medication_overuse"],
            doctor_checks=[f"medication_overuse:2026-{month}"],
        )
        for day, month in ((2, "09-01"), (9, "10-02"))
    ]
    screenings = screenings_with_answers(checked, catalog)
    context = replace(_context(helped, catalog), screenings=screenings)
    text = " ".join(report_html(helped, context).split())
    assert (
        "10 or more days a month? <em>A doctor checked this and cleared massage on 2026-10-02"
        in text
    )
