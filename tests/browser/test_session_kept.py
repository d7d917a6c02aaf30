"""Nothing done is lost or mislabelled: a session is recorded when it ends and when it
is abandoned, and Today's tap keeps the worst so far."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from tests.browser.test_player import _frozen, _start


def _sessions(page: Page, server: str) -> list[dict[str, Any]]:
    sessions: list[dict[str, Any]] = page.request.get(server + "/api/v1/sessions").json()
    return sessions


def _recorded(page: Page, server: str) -> list[dict[str, Any]]:
    """The sessions once the page has sent any: it sends in the background, so wait for
    the first to arrive (five seconds at most) rather than a fixed time."""
    for _ in range(50):
        if sessions := _sessions(page, server):
            return sessions
        page.wait_for_timeout(100)
    return []


def test_a_session_that_reaches_its_end_is_recorded_without_the_check_in(
    page: Page, server: str
) -> None:
    _frozen(page)
    _start(page, server, "5")
    page.clock.run_for(5_000 + 300_000 + 1_000)
    expect(page.locator("#after-status")).to_have_text("Saved to your diary.")
    [session] = _sessions(page, server)
    assert session["outcome"] == "completed" and session["seconds"] == 300
    assert session["pain_after"] is None
    planned = sum(session[f"planned_{p}_s"] for p in ("settle", "practice", "after"))
    actual = sum(session[f"actual_{p}_s"] for p in ("settle", "practice", "after"))
    assert planned == actual == 300


def test_leaving_a_running_session_asks_first(page: Page, server: str) -> None:
    asked: list[str] = []

    def stay(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    _frozen(page)
    _start(page, server, "5")
    page.clock.run_for(5_000 + 30_000)
    page.get_by_role("link", name="Diary").click()
    expect(page.locator("#step-name")).to_be_visible()
    assert asked == ["beforeunload"]
    assert _sessions(page, server) == []


def test_an_abandoned_session_is_recorded_once_as_ended_early(page: Page, server: str) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    _frozen(page)
    _start(page, server, "5")
    page.clock.run_for(5_000 + 90_000)  # a minute and a half in
    page.get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    page.clock.run_for(95_000)  # past the minute in which Back would return to it
    page.reload()
    page.clock.run_for(31_000)
    page.reload()
    [session] = _recorded(page, server)
    page.wait_for_timeout(300)  # a second copy sent late would show here
    assert len(_sessions(page, server)) == 1
    assert session["outcome"] == "ended_early"
    assert 85 <= session["seconds"] <= 95, "the time it stopped, not the time it was found"


def test_a_new_session_started_soon_after_leaving_one_keeps_the_one_left(
    page: Page, server: str
) -> None:
    """Back (which loads the check's answer again) or a new start within the minute of
    grace: the session left behind is recorded as ended early, not written over."""
    page.on("dialog", lambda dialog: dialog.accept())
    _frozen(page)
    _start(page, server, "5")
    page.clock.run_for(5_000 + 40_000)
    page.get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    _start(page, server, "10")
    page.clock.run_for(5_000 + 1_000)
    [left] = _recorded(page, server)  # sent from the new player's page as it starts
    assert left["outcome"] == "ended_early" and left["routine"] == "quick"
    assert 35 <= left["seconds"] <= 45


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_todays_tap_keeps_the_worst_so_far_and_a_mistake_can_be_mended(
    browser: Browser, server: str, width: int
) -> None:
    page = browser.new_context(viewport={"width": width, "height": 844}).new_page()
    page.goto(server + "/")
    scale = page.locator("form.scale")
    scale.get_by_role("button", name="7", exact=True).click()
    expect(page.get_by_text("Saved. Today so far: 7.")).to_be_visible()
    scale.get_by_role("button", name="3", exact=True).click()
    expect(page.get_by_text("Today's worst so far stays 7: you tapped 3")).to_be_visible()
    expect(scale.get_by_role("button", name="7", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name="Change it to 3").click()
    expect(page.get_by_text("Saved. Today so far: 3.")).to_be_visible()
    page.context.close()


def test_back_returns_to_the_running_session_paused_where_it_was(page: Page, server: str) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    _frozen(page)
    _start(page, server, "5")
    assert page.url == server + "/session", "Back and a reload come to /session"
    page.clock.run_for(5_000 + 100_000)
    step = page.locator("#step-name").inner_text()
    page.get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    page.clock.run_for(20_000)
    page.go_back()
    expect(page.locator("#cue-live")).to_have_text(
        "Paused where you left it, 1:40 in. Resume when you are ready."
    )
    expect(page.locator("#step-name")).to_have_text(step)
    expect(page.locator(".routine-name")).to_have_text("Quick reset at the desk")
    expect(page.locator("body")).to_have_attribute("data-state", "paused")
    page.get_by_role("button", name="Resume").click()
    expect(page.locator("body")).to_have_attribute("data-state", "running")
    page.clock.run_for(200_000 + 1_000)
    expect(page.locator("#after-summary")).to_have_text("Done: 5 min.")
    [session] = _recorded(page, server)
    assert session["outcome"] == "completed" and session["seconds"] == 300
    assert session["time"] == "20:00:00", "the time it began, not the time it was carried on"


def test_a_reload_carries_the_session_on_and_records_it_once(page: Page, server: str) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    _frozen(page)
    _start(page, server, "5")
    page.clock.run_for(5_000 + 40_000)
    page.get_by_role("button", name="Next step").click()  # a skipped step stays skipped
    page.reload()
    expect(page.locator("#cue-live")).to_contain_text("Paused where you left it")
    page.get_by_role("button", name="End", exact=True).click()
    page.get_by_role("button", name="Tap again to end").click()
    [session] = _recorded(page, server)
    assert session["outcome"] == "ended_early"
    assert session["seconds"] == 40, "the skipped step is not counted as done"


def test_one_session_never_runs_in_two_pages(browser: Browser, server: str) -> None:
    context = browser.new_context()
    first = context.new_page()
    _frozen(first)
    _start(first, server, "5")
    first.clock.run_for(6_000)  # past the count-in: its running copy is on the device
    expect(first.locator("body")).to_have_attribute("data-state", "running")
    second = context.new_page()
    second.goto(server + "/session")
    expect(second.get_by_role("heading", level=1)).to_have_text("Running in another page")
    second.get_by_role("link", name="Carry it on here").click()
    expect(second.locator("#cue-live")).to_contain_text("Paused where you left it")
    expect(first.locator("#after-status")).to_have_text(
        "This session carries on in another tab or window."
    )
    expect(first.locator("#after-form")).to_be_hidden()
    context.close()


def test_the_session_page_with_nothing_running_says_so(page: Page, server: str) -> None:
    page.goto(server + "/session")
    expect(page.get_by_role("heading", level=1)).to_have_text("No session running")
    expect(page.get_by_role("link", name="Start one from Today")).to_be_visible()
    expect(page.locator(".player")).to_be_hidden()
