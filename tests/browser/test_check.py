"""The safety check as a tired person meets it: one group at a time, nothing skimmed."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.check_steps import answer_check, answer_none

AXE = Axe()
PHONE = {"width": 390, "height": 844}


def _serious(page: Page) -> list[str]:
    violations = AXE.run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def _end_and_save(page: Page) -> None:
    """End the session at once and save it: the diary keeps the check's answers with it."""
    page.get_by_role("button", name="End", exact=True).click()
    page.get_by_role("button", name="Tap again to end").click()
    page.get_by_role("button", name="Save to diary").click()
    expect(page.locator("#after-status")).to_contain_text("Saved")


def _from_today(page: Page, server: str) -> int:
    page.goto(server + "/")
    page.get_by_role("link", name=re.compile(r"^10 min\b")).click()
    return 1 + answer_check(page)


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_nothing_to_report_takes_five_taps_the_first_time_and_four_after(
    browser: Browser, server: str, width: int
) -> None:
    page = browser.new_context(viewport={"width": width, "height": 844}).new_page()
    page.goto(server + "/check?minutes=10")
    page.locator("#check-form.stepped").wait_for()
    assert _serious(page) == []
    first = page.get_by_role("button", name="None of these", exact=True).locator("visible=true")
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, "the urgent group fits one screen"
    assert _from_today(page, server) == 5, "a length, then one tap for each of four groups"
    expect(page.locator("#count-in")).to_be_visible()
    _end_and_save(page)
    # The lasting conditions were all "none": the next check shows that and skips them.
    assert _from_today(page, server) == 4
    expect(page.locator("#count-in")).to_be_visible()
    page.context.close()


def test_lasting_answers_come_back_as_still_true_and_can_be_changed(
    page: Page, server: str
) -> None:
    page.goto(server + "/check?minutes=10")
    answer_check(page, ["blood_thinners", "aura_now"])
    expect(page.locator(".changes")).to_contain_text("light pressure")
    _end_and_save(page)
    page.goto(server + "/check?minutes=10")
    answer_none(page, groups=2)  # right now, this headache
    remembered = page.locator("#remembered")
    expect(remembered).to_contain_text("a blood thinner, or bruising easily")
    expect(remembered).not_to_contain_text("aura")  # today's answers are asked afresh
    expect(page.locator('input[value="aura_now"]')).not_to_be_checked()
    page.get_by_role("link", name="Change").click()
    lasting = page.locator("#group-lasting")
    expect(lasting).to_be_visible()
    lasting.get_by_label("Do you take a blood thinner", exact=False).uncheck()
    lasting.get_by_role("button", name="None of these", exact=True).click()
    answer_check(page)
    expect(page.locator("#count-in")).to_be_visible()
    expect(page.locator(".changes")).to_have_count(0)


def test_pain_now_is_one_tap_on_the_same_row_as_today(page: Page, server: str) -> None:
    page.goto(server + "/check?minutes=10")
    answer_none(page, groups=3)
    page.locator(".pain-now").get_by_role("radio", name="4", exact=True).check()
    answer_none(page)
    expect(page.locator("#count-in")).to_be_visible()
    settings = page.locator("#player-settings").text_content() or ""
    assert '"pain_before": 4' in settings
