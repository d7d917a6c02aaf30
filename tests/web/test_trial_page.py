"""The Trial page: set up a trial with the arms that fit, see what a design can find, live
with it (its period, calendar, progress) and end it; the result once it is over."""

from __future__ import annotations

import datetime as dt
import html as markup
import re

import time_machine
from fastapi.testclient import TestClient

from calmcrown.web.preferences import COOKIE, Preferences, cookie_value
from tests.run_date import RUN_DATE
from tests.web.conftest import ORIGIN

TODAY = RUN_DATE


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", markup.unescape(re.sub(r"<[^>]+>", " ", html)))


def _form(**changes: object) -> dict[str, object]:
    return {
        "arms": ["head", "none"],
        "period_days": "14",
        "blocks": "4",
        "washout_days": "2",
        "start": TODAY.isoformat(),
    } | changes


def _as_partner(client: TestClient) -> None:
    client.cookies.set(COOKIE, cookie_value(Preferences(giver="partner")))


def _offered(client: TestClient) -> list[str]:
    return re.findall(r'name="arms" value="([a-z]+)"', client.get("/trial").text)


def test_with_no_trial_the_page_offers_only_the_arms_that_fit(api: TestClient) -> None:
    # Massaging yourself: the foot routine is a partner's, so feet is not offered, and
    # the page says why rather than leave it out silently.
    assert _offered(api) == ["head", "none"]
    assert "Feet is not offered" in api.get("/trial").text
    _as_partner(api)
    assert _offered(api) == ["head", "feet", "none"]
    # A leg clot answered yes at the last safety check: no feet, whoever massages.
    check = {"date": TODAY.isoformat(), "routine": "partner", "seconds": 600,
             "verdict": "adapt", "reasons": ["leg_clot_history"]}  # fmt: skip
    assert api.post("/api/v1/sessions", json=check).status_code == 201
    assert _offered(api) == ["head", "none"]


def test_the_power_of_each_number_of_blocks_is_shown_when_asked(api: TestClient) -> None:
    assert "worked out from your diary when you ask" in api.get("/trial").text
    shown = api.post("/trial/power", data=_form())
    assert shown.status_code == 200
    words = re.findall(r'class="power-words">([^<]+)<', shown.text)
    assert len(words) == 4
    assert words[1].startswith("A real halving of headache days would be found about")
    assert "4 blocks (16 weeks)" in shown.text
    assert "from a typical diary of about 10 headache days in 28" in shown.text
    assert 'value="4" checked' in shown.text, "the choices made stay chosen"
    assert api.get("/api/v1/trial").json() is None, "asking stores nothing"


def test_a_bad_choice_is_named_and_nothing_is_saved(api: TestClient) -> None:
    for form, named in (
        (_form(arms=["head"]), "What to compare: tick at least two"),
        (_form(arms=["head", "feet"]), "What to compare: 'feet' is not offered here"),
        (_form(period_days="10"), "Days in each period: choose one of 7, 14, 21, 28"),
        (_form(blocks="9"), "Blocks: choose one of 3, 4, 5, 6"),
        (_form(period_days="7", washout_days="3"), "Settling-in days: at most"),
        (_form(start="tomorrow"), "Start date: 'tomorrow' is not a date"),
        (_form(start=(TODAY - dt.timedelta(days=1)).isoformat()), "Start date: "),
    ):
        refused = api.post("/trial", data=form)
        assert refused.status_code == 422, form
        assert named in _text(refused.text), (form, _text(refused.text)[:600])
    assert api.get("/api/v1/trial").json() is None


def test_a_form_from_elsewhere_without_its_token_is_refused(client: TestClient) -> None:
    assert client.post("/trial", data=_form()).status_code == 403
    assert client.post("/trial/end", data={"reason": "x"}).status_code == 403


def test_a_started_trial_shows_its_period_and_calendar_with_today_marked(
    api: TestClient,
) -> None:
    started = api.post("/trial", data=_form(), follow_redirects=False)
    assert started.status_code == 303
    page = api.get(started.headers["location"]).text
    design = api.get("/api/v1/trial").json()["design"]
    first = {"head": "Head", "none": "No-massage"}[design["periods"][0]["arm"]]
    text = _text(page)
    assert f"{first} period, day 1 of 14" in text
    assert "settling-in days, not counted" in text
    assert page.count('aria-current="date"') == 1
    assert "Today: day 1 of 14, settling in" in text
    assert "0 of 8 periods done." in text
    # Each period names its arm in words, as well as in colour.
    arms = re.findall(r'<span class="arm-mark" aria-hidden="true"></span>([A-Za-z ]+)<', page)
    assert len(arms) == 8 and set(arms) == {"Head", "No massage"}
    assert api.post("/trial", data=_form()).status_code == 422, "one trial at a time"


def test_extending_and_ending_need_a_reason_and_are_recorded(api: TestClient) -> None:
    api.post("/trial", data=_form())
    refused = api.post("/trial/end", data={"reason": "  "})
    assert refused.status_code == 422
    assert "Why: say why, in a few words" in _text(refused.text)
    assert api.get("/api/v1/trial").json()["design"]["amendments"] == []
    extended = api.post(
        "/trial/extend", data={"period": "1", "days": "3", "extend_reason": "a cold"}
    )
    assert extended.status_code == 200
    assert "period 1 made 3 days longer (a cold)" in _text(extended.text)
    assert "day 1 of 17" in _text(extended.text)
    ended = api.post("/trial/end", data={"reason": "moving house"})
    assert ended.status_code == 200
    assert "The trial has ended" in ended.text
    assert "The trial ended early on" in ended.text and "(moving house)" in ended.text
    kinds = [a["kind"] for a in api.get("/api/v1/trial").json()["design"]["amendments"]]
    assert kinds == ["period_extended", "ended_early"]
    # The next trial starts after this one's end, so the form offers tomorrow.
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    assert f'name="start" value="{tomorrow}"' in api.get("/trial?new=1").text


def test_a_finished_trial_shows_each_comparison_and_period(api: TestClient) -> None:
    """Three blocks of 7-day periods, head against none, fewer headaches in the head
    periods; the trial ended yesterday."""
    start = TODAY - dt.timedelta(days=42)
    with time_machine.travel(dt.datetime.combine(start, dt.time(12)).astimezone(), tick=False):
        assert api.post(
            "/trial",
            data=_form(period_days="7", blocks="3", washout_days="0", start=start.isoformat()),
        ).status_code == 200  # fmt: skip
    design = api.get("/api/v1/trial").json()["design"]
    for period in design["periods"]:
        first = dt.date.fromisoformat(period["start"])
        for offset in range(7):
            headache = offset < (1 if period["arm"] == "head" else 4)
            day = {"date": (first + dt.timedelta(days=offset)).isoformat(),
                   "intensity": 5 if headache else 0}  # fmt: skip
            assert api.post("/api/v1/days", json=day).status_code == 201
    page = api.get("/trial")
    text = _text(page.text)
    assert "Your trial's result" in text
    verdict = api.get("/api/v1/trial").json()["analysis"]["comparisons"][0]["verdict"]
    assert verdict in ("likely_better", "no_clear_difference")
    expected = {
        "likely_better": "you likely had fewer headache days in the head massage periods",
        "no_clear_difference": "there was no clear difference in headache days between",
    }[verdict]
    assert expected in text
    # The table names each of the three no-massage periods; the head ones had 4.0 per 28.
    assert text.count("no massage") >= 3 and "4.0" in text and "16.0" in text
    assert "No blinding" in text
    assert "Set up another trial" in text
    report = api.get("/trial/report.pdf")
    assert report.headers["content-type"] == "application/pdf"
    assert (
        report.content.startswith(b"%PDF") and "attachment" in report.headers["content-disposition"]
    )


def test_the_trial_report_needs_a_trial(api: TestClient) -> None:
    missing = api.get("/trial/report.pdf")
    assert missing.status_code == 404 and "no trial" in missing.text


def test_the_api_gives_the_design_and_analysis_or_null(api: TestClient) -> None:
    assert api.get("/api/v1/trial").json() is None
    api.post("/trial", data=_form())
    data = api.get("/api/v1/trial").json()
    assert data["design"]["id"] == "t1" and data["design"]["arms"] == ["head", "none"]
    assert data["analysis"]["comparisons"][0]["verdict"] == "in_progress"


def test_the_navigation_leads_to_the_trial(client: TestClient) -> None:
    assert '<a href="/trial" aria-current="page">Trial</a>' in client.get("/trial").text
    assert '<a href="/trial" >Trial</a>' in client.get("/").text
    assert ORIGIN


def test_the_power_comes_from_the_persons_own_diary_when_there_is_one(api: TestClient) -> None:
    for back in range(84, 0, -1):
        day = {"date": (TODAY - dt.timedelta(days=back)).isoformat(),
               "intensity": 5 if back % 4 == 0 else 0}  # fmt: skip
        assert api.post("/api/v1/days", json=day).status_code == 201
    text = _text(api.post("/trial/power", data=_form()).text)
    assert "simulating trials from your own diary of the 12 weeks before the start" in text
    assert "(about 7 headache days in 28)" in text


def test_asking_for_the_power_of_a_bad_design_names_the_field(api: TestClient) -> None:
    refused = api.post("/trial/power", data=_form(arms=["none"]))
    assert refused.status_code == 422
    assert "What to compare: tick at least two" in _text(refused.text)
    assert 'class="power-words"' not in refused.text


def test_a_trial_to_start_later_says_when_and_with_what(api: TestClient) -> None:
    later = TODAY + dt.timedelta(days=3)
    api.post("/trial", data=_form(start=later.isoformat()))
    first = api.get("/api/v1/trial").json()["design"]["periods"][0]["arm"]
    text = _text(api.get("/trial").text)
    assert f"The trial starts on {later:%a} {later.day} {later:%b}" in text
    assert {"head": "with a head period", "none": "with a no-massage period"}[first] in text
    assert 'aria-current="date"' not in api.get("/trial").text
