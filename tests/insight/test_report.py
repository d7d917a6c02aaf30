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
from calmcrown.insight.analysis import Analysis
from calmcrown.insight.report import ReportContext, report_html, report_pdf, screenings_with_answers


def _context(helped: Analysis, catalog: Catalog) -> ReportContext:
    return ReportContext(
        who="Diary profile 'default'",
        medication_days=11,
        medication_warning="Acute medication on 11 of the last 30 days.",
        screenings=screenings_with_answers(helped.sessions, catalog),
        generated=dt.date(2026, 12, 1),
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
