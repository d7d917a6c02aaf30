"""axe-core finds no serious or critical accessibility problem on any page, dim or light."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from calmcrown.web.preferences import COOKIE, Preferences, cookie_value
from tests.browser.check_steps import answer_check
from tests.browser.test_trial import start_trial

AXE = Axe()


def _serious(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def _open_player(page: Page, server: str) -> None:
    page.clock.install(time=dt.datetime(2026, 11, 22, 20, 0))
    page.clock.pause_at(dt.datetime(2026, 11, 22, 20, 0, 1))
    page.goto(server + "/check?minutes=10")
    answer_check(page)
    expect(page.locator("#count-in")).to_be_visible()
    page.clock.run_for(65_000)
    page.clock.resume()  # axe-core waits on timers of its own


def _fill_diary(page: Page, server: str) -> str:
    """A day, a headache still going and a session, so every table and button is drawn."""
    today = dt.date.today().isoformat()
    origin = {"Origin": server}
    day = page.request.post(
        server + "/api/v1/days", data={"date": today, "intensity": 5}, headers=origin
    )
    page.request.post(
        server + "/api/v1/headaches", data={"started_at": f"{today}T08:00:00"}, headers=origin
    )
    session = {"date": today, "routine": "quick", "seconds": 300, "pain_before": 5}
    page.request.post(server + "/api/v1/sessions", data=session, headers=origin)
    return str(day.json()["id"])


# A yes to one question, for each verdict's page.
_ANSWER = {
    "emergency": "fever_stiff_neck",
    "see_doctor": "head_injury_recent",
    "adapt": "blood_thinners",
}


@pytest.mark.parametrize("theme", ["dim", "light"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/library",
        "/check",
        "/docs",
        "/settings",
        "player",
        "emergency",
        "diary",
        "edit",
        "attack",
        "insights",
        "after",
        "see_doctor",
        "adapt",
        "/no-such-page",
        "/session",
        "/trial",
        "trial-power",
        "trial-running",
        "trial-over",
    ],
)
def test_no_serious_accessibility_problem(
    page: Page, server: str, path: str, theme: Literal["dim", "light"]
) -> None:
    page.context.add_cookies(
        [{"name": COOKIE, "value": cookie_value(Preferences(theme=theme)), "url": server}]
    )
    if path == "player":
        _open_player(page, server)
    elif path == "insights":
        _fill_diary(page, server)
        page.goto(server + "/insights")
    elif path == "attack":
        _fill_diary(page, server)
        [headache] = page.request.get(server + "/api/v1/headaches").json()
        page.goto(server + f"/diary/{headache['id']}/attack")
        page.get_by_role("radio", name="6", exact=True).check()
        page.get_by_role("checkbox", name="temples").check()
    elif path in ("diary", "edit"):
        record_id = _fill_diary(page, server)
        page.goto(server + ("/diary" if path == "diary" else f"/diary/{record_id}"))
    elif path == "after":
        _open_player(page, server)
        page.get_by_role("button", name="End").click()
        page.get_by_role("button", name="Tap again to end").click()
        expect(page.locator("#after")).to_be_visible()
    elif path == "trial-power":
        page.goto(server + "/trial")
        page.get_by_role("button", name="Show what this design can find").click()
        expect(page.locator(".power-words").first).to_be_visible(timeout=30_000)
    elif path.startswith("trial-"):
        start_trial(page, server, end_reason="a test" if path == "trial-over" else None)
        page.goto(server + "/trial")
    elif path in _ANSWER:
        page.goto(server + "/check")
        answer_check(page, [_ANSWER[path]])
    else:
        page.goto(server + path)
    assert page.locator("html").get_attribute("data-theme") == theme
    assert _serious(page) == []
