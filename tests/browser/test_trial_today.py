"""A day of a personal trial on a phone: Today says the period, offers its routine, and a
session of another arm is told as a deviation before it starts and once it is saved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from calmcrown.catalog import load_catalog
from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.trials import save_trial
from calmcrown.insight.trial.design import design
from tests.browser.check_steps import answer_check
from tests.run_date import RUN_DATE

PHONE = 390
AXE = Axe()


def _feet_period_on_day_5(tmp_path: Path) -> None:
    """A head-or-feet trial in its first period, the feet arm's, four days in (saved by a
    store whose today was its start, as it was then)."""
    start = RUN_DATE - dt.timedelta(days=4)
    drawn = next(
        trial
        for seed in range(100)
        if (trial := design(("head", "feet"), start, seed=seed)).periods[0].arm == "feet"
    )
    engine = create_diary_engine(f"sqlite:///{tmp_path / 'browser.db'}")
    routines = frozenset(load_catalog().routines)
    save_trial(DiaryStore(engine, routines=routines, today=lambda: start), drawn)
    engine.dispose()


# Each test keeps screenshots of its pages in its tmp_path (run with --basetemp to look).


def _fits_the_phone_and_reads_well(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    serious = [
        v["id"]
        for v in AXE.run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_a_head_session_in_a_feet_period_is_told_as_a_deviation_on_a_phone(
    page: Page, server: str, tmp_path: Path
) -> None:
    _feet_period_on_day_5(tmp_path)
    page.goto(server + "/")
    expect(page.locator("#trial-line")).to_have_text("Feet period, day 5 of 14.")
    lengths = page.locator("a.length")
    assert lengths.count() >= 1
    assert all("Foot massage" in text for text in lengths.all_inner_texts()), (
        "only the feet arm's routine starts from the minute buttons"
    )
    _fits_the_phone_and_reads_well(page)
    page.get_by_text("Another routine").click()
    expect(page.locator(".trial-anyway .hint")).to_contain_text(
        "This is a feet period: any of these now counts as a deviation in your trial."
    )
    page.screenshot(path=str(tmp_path / "trial-today-phone.png"), full_page=True)
    page.locator(".trial-anyway").get_by_role("link", name="Evening head massage").click()

    warning = "This is a feet period: a head routine now counts as a deviation in your trial."
    expect(page.locator("#deviation")).to_have_text(warning)
    expect(page.locator("#deviation")).to_be_in_viewport()
    _fits_the_phone_and_reads_well(page)
    page.screenshot(path=str(tmp_path / "trial-check-phone.png"))
    answer_check(page)
    expect(page.locator("#deviation-before")).to_have_text(warning)
    page.get_by_role("button", name="End").click()
    page.get_by_role("button", name="Tap again to end").click()
    expect(page.locator("#deviation-after")).to_have_text(
        "Recorded as a deviation in your trial: a head routine in a feet period. "
        "The trial's results count it as one."
    )
    page.get_by_role("button", name="Save to diary").click()
    expect(page.locator("#after-status")).to_contain_text("Saved")
    _fits_the_phone_and_reads_well(page)
    page.screenshot(path=str(tmp_path / "trial-after-phone.png"), full_page=True)
    [session] = page.request.get(server + "/api/v1/sessions").json()
    assert session["routine"] == "evening" and session["date"] == RUN_DATE.isoformat()


def test_a_no_massage_period_offers_no_routine_on_a_phone(
    page: Page, server: str, tmp_path: Path
) -> None:
    start = RUN_DATE - dt.timedelta(days=2)
    drawn = next(
        trial
        for seed in range(100)
        if (trial := design(("head", "none"), start, seed=seed)).periods[0].arm == "none"
    )
    engine = create_diary_engine(f"sqlite:///{tmp_path / 'browser.db'}")
    save_trial(DiaryStore(engine, today=lambda: start), drawn)
    engine.dispose()
    page.goto(server + "/")
    expect(page.locator("#trial-line")).to_have_text("No-massage period, day 3 of 14.")
    expect(page.locator(".trial-none")).to_contain_text("not massaging is what it measures")
    expect(page.locator("a.length")).to_have_count(0)
    expect(page.get_by_text("Do a session anyway")).to_be_visible()
    _fits_the_phone_and_reads_well(page)
    page.screenshot(path=str(tmp_path / "trial-none-phone.png"), full_page=True)
