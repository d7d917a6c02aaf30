from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.run_date import RUN_DATE

TODAY = RUN_DATE


def _fill(api: TestClient) -> None:
    """Eight weeks with a headache most days, then eight weeks with few, and sessions."""
    for back in range(111, -1, -1):
        date = TODAY - dt.timedelta(days=back)
        headache = back % 7 < (4 if back >= 56 else 1)
        api.post("/api/v1/days", json={"date": str(date), "intensity": 6 if headache else 0})
        if back < 56 and back % 2 == 0:
            api.post(
                "/api/v1/sessions",
                json={"date": str(date), "routine": "evening", "seconds": 600,
                      "pain_before": 6, "pain_after": 3},
            )  # fmt: skip


def test_insights_says_the_verdict_first_then_the_figures(api: TestClient) -> None:
    _fill(api)
    html = re.sub(r"\s+", " ", api.get("/insights").text)
    sentence = html.index("Likely fewer headache days since the practice began")
    assert sentence < html.index("Headache days per 28") < html.index("Keep in mind")
    assert html.count('<img src="data:image/svg+xml;base64,') == 4
    assert 'alt="Calendar of' in html


def test_an_empty_diary_says_what_to_record_and_draws_no_empty_chart(
    client: TestClient,
) -> None:
    html = client.get("/insights").text
    assert "Nothing is recorded yet, so there is nothing to compare." in html
    assert "tap the day's worst headache on Today" in html
    assert "<img" not in html and "Headache days per 28" not in html


def test_days_without_sessions_draw_only_the_day_charts(api: TestClient) -> None:
    today = dt.date.today()
    for back in range(10):
        day = (today - dt.timedelta(days=back)).isoformat()
        assert api.post("/api/v1/days", json={"date": day, "intensity": back % 3}).is_success
    html = api.get("/insights").text
    titles = re.findall(r"<figcaption><strong>([^<]+)\.</strong>", html)
    assert titles == ["Headache days", "Headache days per 28 days over time"]
    # Each drawn twice: for a phone, and for a desktop column, which a wide screen takes.
    assert html.count('<source media="(min-width: 760px)" srcset="data:image/svg+xml') == 2


def test_a_ratio_without_an_interval_is_shown_with_the_reason(api: TestClient) -> None:
    """7 recorded days before the first session and 5 since: both rates are shown, and
    so is their ratio; the interval's place says why there is none yet."""
    for back in range(11, -1, -1):
        date = (TODAY - dt.timedelta(days=back)).isoformat()
        headache = back in (11, 10, 9, 4)
        api.post("/api/v1/days", json={"date": date, "intensity": 6 if headache else 0})
    first = (TODAY - dt.timedelta(days=4)).isoformat()
    api.post("/api/v1/sessions", json={"date": first, "routine": "evening", "seconds": 600})
    html = re.sub(r"\s+", " ", api.get("/insights").text)
    assert "as a share of before: <strong>0.47</strong>. The best estimate is half" in html
    assert "No 95% interval yet: it needs at least 3 weeks with recorded days" in html
    assert "95% interval 0" not in html
    assert "<strong>5.6</strong> (1 day)" in html, "one headache day, not 1 days"


def test_a_bad_date_is_named_and_not_used(client: TestClient) -> None:
    response = client.get("/insights?practice_start=last+week")
    assert response.status_code == 422
    assert "practice_start: &#39;last week&#39; is not a date" in response.text


def test_the_report_downloads_as_a_pdf_of_at_most_two_pages(api: TestClient) -> None:
    _fill(api)
    response = api.get("/insights/report.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    assert "attachment" in response.headers["content-disposition"]
    assert 1 <= len(PdfReader(io.BytesIO(response.content)).pages) <= 2
    assert api.get("/insights/report.pdf?until=soon").status_code == 422


def test_serve_loads_the_analysis_libraries_in_the_background(tmp_path: Path) -> None:
    """The first visit to Insights after start-up need not wait for imports: `serve`
    builds the app with ``warm``, and a fresh interpreter shows what that loads."""
    program = f"""
import sys, threading
from fastapi.testclient import TestClient
from calmcrown.settings import Settings
from calmcrown.web.app import create_app
settings = Settings(data_dir={str(tmp_path / "data")!r},
                    database_url={f"sqlite:///{tmp_path / 'warm.db'}"!r})
for warm in (False, True):
    with TestClient(create_app(settings, warm=warm)) as client:
        for thread in threading.enumerate():
            if thread.name == "calmcrown-warm-up":
                thread.join(120)
        print(warm, "statsmodels" in sys.modules, "matplotlib.backends.backend_svg" in sys.modules)
"""
    shown = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=180
    ).stdout.split("\n")
    assert shown[0] == "False False False", "the app alone does not load them"
    assert shown[1] == "True True True"
