"""An attack logged on a phone and on a laptop: one tap on Today starts it, its page takes
the details in taps, and the Diary's month shows it; every page axe-clean, none wider
than the screen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.sample_diary import fill_twelve_weeks

AXE = Axe()
SIZES = {390: 844, 1280: 800}
WIDTHS = pytest.mark.parametrize("width", list(SIZES), ids=["phone", "desktop"])


def _serious(page: Page) -> list[str]:
    violations = AXE.run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"


def _opened(browser: Browser, width: int) -> Page:
    return browser.new_context(viewport={"width": width, "height": SIZES[width]}).new_page()


def _group(page: Page, name: str) -> Locator:
    return page.get_by_role("group", name=name, exact=True)


def _headaches(page: Page, server: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = page.request.get(server + "/api/v1/headaches").json()
    return found


@WIDTHS
def test_an_attack_is_started_with_one_tap_and_its_details_added_in_taps(
    browser: Browser, server: str, width: int
) -> None:
    page = _opened(browser, width)
    page.goto(server + "/")
    page.get_by_role("button", name="A headache started now").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: a headache from")
    expect(page.get_by_text("still going")).to_be_visible()
    assert _serious(page) == []
    _fits(page, width)
    save = page.get_by_role("button", name="Save", exact=True)
    box = save.bounding_box()
    assert box is not None and box["y"] + box["height"] <= SIZES[width], "Save is in reach"
    for answers in (_group(page, "Worst so far"), _group(page, "Feeling sick?")):
        assert all(not r.is_checked() for r in answers.get_by_role("radio").all()), "none chosen"

    _group(page, "Worst so far").get_by_role("radio", name="7", exact=True).check()
    _group(page, "Where").get_by_role("checkbox", name="temples").check()
    _group(page, "Which side").get_by_role("radio", name="Left").check()
    _group(page, "How it feels").get_by_role("radio", name="Throbbing, pulsing").check()
    _group(page, "Feeling sick?").get_by_role("radio", name="Yes").check()
    _group(page, "Does light bother you?").get_by_role("radio", name="No").check()
    page.get_by_label("Something else").fill("red wine")
    page.get_by_label("Medication taken, with dose").fill("sumatriptan 50 mg")
    save.click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    [saved] = _headaches(page, server)
    assert (saved["peak"], saved["side"], saved["quality"]) == (7, "left", "pulsating")
    assert (saved["nausea"], saved["light_sensitivity"], saved["vomiting"]) == (True, False, None)
    assert (saved["location"], saved["triggers"]) == (["temples"], ["red wine"])
    expect(
        _group(page, "Triggers, as far as you can tell").get_by_role("checkbox", name="red wine")
    ).to_be_checked()
    assert _serious(page) == []

    # Two hours later: it is over, and the medication helped a little.
    page.get_by_role("button", name="It ended now").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: it ended at")
    _group(page, "Did it help after two hours?").get_by_role("radio", name="Partly").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    [ended] = _headaches(page, server)
    assert ended["ended_at"] is not None and ended["medication_helped"] == "partly"
    assert ended["peak"] == 7 and ended["triggers"] == ["red wine"], "untouched answers kept"
    page.goto(server + "/")
    expect(page.get_by_role("button", name="A headache started now")).to_be_visible()
    page.context.close()


@WIDTHS
def test_a_bad_answer_is_named_and_nothing_is_saved(
    browser: Browser, server: str, width: int
) -> None:
    page = _opened(browser, width)
    page.goto(server + "/")
    page.get_by_role("button", name="A headache started now").click()
    # A worst of 11 cannot be tapped; a tampered form or an old page could still send one.
    page.locator('input[name="peak"][value="10"]').evaluate("input => { input.value = '11'; }")
    _group(page, "Worst so far").get_by_role("radio", name="10").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Worst so far: must be a whole number from 1 to 10, not 11"
    )
    assert _serious(page) == []
    [unchanged] = _headaches(page, server)
    assert unchanged["peak"] is None
    page.context.close()


@WIDTHS
def test_the_diary_shows_the_month_with_its_worst_days_and_medication(
    browser: Browser, server: str, width: int
) -> None:
    page = _opened(browser, width)
    fill_twelve_weeks(server, page)
    page.goto(server + "/diary")
    calendar = page.get_by_role("table", name=f"{dt.date.today():%B %Y}")
    expect(calendar).to_be_visible()
    expect(calendar.get_by_role("columnheader")).to_have_count(7)
    expect(calendar.get_by_role("columnheader").first).to_have_text("MonMonday")
    expect(page.get_by_text("of the last 30 days")).to_be_visible()
    assert _serious(page) == []
    _fits(page, width)
    # The 15th of last month is left unrecorded, whatever the sample wrote for it.
    unrecorded = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    for day in page.request.get(
        server + f"/api/v1/days?since={unrecorded}&until={unrecorded}"
    ).json():
        page.request.post(server + f"/diary/{day['id']}/delete", headers={"Origin": server})
    page.get_by_role("link", name=f"← {unrecorded:%B}").click()
    calendar = page.get_by_role("table", name=f"{unrecorded:%B %Y}")
    expect(calendar).to_be_visible()
    empty = re.compile(f"^{unrecorded:%-d %B}: not recorded")
    expect(calendar.get_by_role("cell", name=empty)).to_have_count(1)
    expect(calendar.locator("td.state-none").first).to_contain_text("no headache")
    assert _serious(page) == []
    _fits(page, width)
    page.context.close()
