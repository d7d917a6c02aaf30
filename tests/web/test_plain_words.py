"""What a person reads is in plain words: no record ids, internal routine ids, file paths,
decimal minutes or model names, on any page or in the report (issue: plain words)."""

from __future__ import annotations

import datetime as dt
import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.web.check_form import answered

TODAY = dt.date.today()
LAST_MONTH = TODAY.replace(day=1) - dt.timedelta(days=1)
# What must never reach a reader, with why.
NOT_PLAIN = {
    r"\b[dhs][0-9]+\b": "a record id",
    r"\b[0-9]+\.[0-9]+ min\b": "decimal minutes",
    r"\b(days|sessions|headaches|entries) rows\b": "a file's rows",
    r"try '": "a routine id",
    r"\bdocs/|\.md\b|\.py\b": "a file path",
    r"(?i)poisson|\bGLM\b": "a model's name, outside the method section",
    r"interval -[0-9]": "an interval against its sentence",
}


def _visible(html: str) -> str:
    """The text a person sees: no scripts, styles, tags, or the method section."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r'(?s)<section[^>]*aria-labelledby="method-heading".*?</section>', " ", html)
    return " ".join(re.sub(r"(?s)<[^>]+>", " ", html).split())


def _problems(text: str) -> list[str]:
    return [f"{why}: {m.group(0)!r}" for pattern, why in NOT_PLAIN.items()
            for m in re.finditer(pattern, text)]  # fmt: skip


def _fill(api: TestClient) -> None:
    for back in range(70):
        day = TODAY - dt.timedelta(days=back)
        api.post("/api/v1/days", json={"date": str(day), "intensity": (back * 7) % 8})
        if back < 35 and back % 3 == 0:
            api.post("/api/v1/sessions", json={
                "date": str(day), "routine": "evening", "seconds": 600 if back else 6,
                "pain_before": 6, "pain_after": 3, "verdict": "clear"})  # fmt: skip
    api.post("/api/v1/headaches", json={"started_at": f"{TODAY}T08:00:00", "peak": 6})


def test_no_page_and_no_report_shows_what_a_person_should_not_have_to_decode(
    api: TestClient,
) -> None:
    _fill(api)
    token = re.search(r'name="csrftoken" value="([^"]+)"', api.get("/").text)[1]  # type: ignore[index]
    day_id = api.get("/api/v1/days").json()[0]["id"]
    deleted = api.post(f"/diary/{day_id}/delete", data={"csrftoken": token}).text
    [headache] = api.get("/api/v1/headaches").json()
    attack = f"/diary/{headache['id']}/attack"
    refused = api.post(attack, data={"peak": "11", "side": "up", "csrftoken": token}).text
    pages = {
        "today": api.get("/").text,
        "diary": api.get("/diary").text,
        "last month": api.get(f"/diary?month={LAST_MONTH:%Y-%m}").text,
        "deleted": deleted,
        "attack": api.get(f"{attack}?notice=saved").text,
        "attack refused": refused,
        "started": api.get(f"{attack}?notice=started").text,
        "headache edit": api.get(f"/diary/{headache['id']}").text,
        "insights": api.get("/insights").text,
        "library": api.get("/library").text,
        "settings": api.get("/settings").text,
        "check": api.get("/check?minutes=10").text,
        "stop": api.post("/check", data=answered(["fever"], minutes="10", csrftoken=token)).text,
        "no fit": api.post(
            "/check", data=answered(["leg_clot_history"], routine="feet", csrftoken=token)
        ).text,
        "player": api.post("/check", data=answered(minutes="10", csrftoken=token)).text,
    }
    found = {name: _problems(_visible(html)) for name, html in pages.items()}
    pdf = PdfReader(io.BytesIO(api.get("/insights/report.pdf").content))
    report = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    found["report"] = _problems(report.split("How this was worked out")[0])
    assert {name: problems for name, problems in found.items() if problems} == {}
