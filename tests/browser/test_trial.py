"""The Trial page in Chromium, on a phone and a desktop: set up a trial, see today marked
in the calendar of periods, end it with a reason, and read what it found. Screenshots of
each state go to /tmp/trial-web/ for a person to look at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_phone_width import _OVERFLOWING

SHOTS = Path("/tmp/trial-web")
TRIAL = {"arms": ["head", "none"], "period_days": "14", "blocks": "4", "washout_days": "2"}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}


def start_trial(page: Page, server: str, end_reason: str | None = None) -> None:
    """A trial of head against none from today, through the page's own form post (with
    this app's Origin, which stands in for the form's token); ended when a reason is given."""
    form = "&".join(
        [f"arms={arm}" for arm in TRIAL["arms"]]
        + [f"{key}={value}" for key, value in TRIAL.items() if key != "arms"]
        + [f"start={dt.date.today().isoformat()}"]
    )
    headers = {"Origin": server, "Content-Type": "application/x-www-form-urlencoded"}
    assert page.request.post(server + "/trial", data=form, headers=headers).ok
    if end_reason is not None:
        ended = page.request.post(server + "/trial/end", data=f"reason={end_reason}",
                                  headers=headers)  # fmt: skip
        assert ended.ok


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.evaluate(
        _OVERFLOWING, width
    )[:8]


@pytest.mark.parametrize("size", list(WIDTHS))
def test_set_up_see_today_and_end_a_trial(page: Page, server: str, size: str) -> None:
    width, height = WIDTHS[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(server + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Trial").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A trial of your own")
    _fits(page)
    _shot(page, f"{size}-1-setup")

    page.get_by_role("button", name="Show what this design can find").click()
    expect(page.locator(".power-words").first).to_contain_text(
        "A real halving of headache days", timeout=30_000
    )
    _fits(page)
    _shot(page, f"{size}-2-power")

    page.get_by_role("radio", name="21 days").check()
    page.get_by_role("button", name="Start the trial").click()
    expect(page.get_by_role("status")).to_contain_text("The trial is saved")
    expect(page.get_by_role("heading", level=1)).to_contain_text("period, day 1 of 21")
    today = page.locator('tr[aria-current="date"]')
    expect(today).to_have_count(1)
    expect(today).to_contain_text("Today: day 1 of 21")
    _fits(page)
    _shot(page, f"{size}-3-running")

    page.get_by_text("End the trial early").click()
    page.get_by_role("button", name="End the trial").click()
    expect(page.get_by_role("alert")).to_contain_text("Why: say why")
    page.get_by_label("Why (the report shows it)").last.fill("a trip abroad")
    page.get_by_role("button", name="End the trial").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your trial's result")
    expect(page.get_by_role("status")).to_contain_text("The trial has ended")
    expect(page.locator(".caveats")).to_contain_text("(a trip abroad)")
    _fits(page)
    _shot(page, f"{size}-4-over")


def test_the_header_keeps_its_links_on_one_line_on_a_phone(page: Page, server: str) -> None:
    page.goto(server + "/trial")
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(links).to_have_count(6)
    tops = {round(box["y"]) for link in links.all() if (box := link.bounding_box())}
    assert len(tops) == 1, "the links wrap onto a second line"


def test_a_refused_end_keeps_the_reason_box_open(page: Page, server: str) -> None:
    start_trial(page, server)
    page.goto(server + "/trial")
    page.get_by_text("End the trial early").click()
    page.get_by_role("button", name="End the trial").click()
    expect(page.get_by_role("alert")).to_contain_text("Why: say why")
    expect(page.get_by_role("button", name="End the trial")).to_be_visible()
