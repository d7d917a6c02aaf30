"""axe-core finds no serious or critical accessibility problem on any page, dim or light."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from calmcrown.web.preferences import COOKIE, Preferences, cookie_value

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
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#count-in")).to_be_visible()
    page.clock.run_for(65_000)
    page.clock.resume()  # axe-core waits on timers of its own


@pytest.mark.parametrize("theme", ["dim", "light"])
@pytest.mark.parametrize(
    "path", ["/", "/library", "/check", "/docs", "/settings", "player", "emergency"]
)
def test_no_serious_accessibility_problem(
    page: Page, server: str, path: str, theme: Literal["dim", "light"]
) -> None:
    page.context.add_cookies(
        [{"name": COOKIE, "value": cookie_value(Preferences(theme=theme)), "url": server}]
    )
    if path == "player":
        _open_player(page, server)
    elif path == "emergency":
        page.goto(server + "/check")
        page.get_by_label("Do you have a fever together with a stiff neck", exact=False).check()
        page.get_by_role("button", name="Continue").click()
    else:
        page.goto(server + path)
    assert page.locator("html").get_attribute("data-theme") == theme
    assert _serious(page) == []
