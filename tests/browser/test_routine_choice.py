"""Today's minute buttons start a routine for whoever is there, named before it starts."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from calmcrown.catalog import Audience, load_catalog
from calmcrown.planner import routines_for
from tests.browser.check_steps import answer_check

AXE = Axe()
Giver = Literal["self", "partner", "practitioner"]


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
@pytest.mark.parametrize("giver", ["self", "partner", "practitioner"])
def test_every_minute_button_starts_a_routine_for_who_gives_the_massage(
    browser: Browser, server: str, giver: Giver, width: int
) -> None:
    catalog = load_catalog()
    allowed = routines_for(Audience(giver))
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.clock.install(time=dt.datetime(2026, 11, 22, 20, 0))
    page.goto(server + "/settings")
    page.locator(f'input[name="giver"][value="{giver}"]').check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved on this device.")).to_be_visible()
    page.goto(server + "/")
    buttons = page.locator("a.length")
    labels = [text.split("min")[0].strip() + " min" for text in buttons.all_inner_texts()]
    assert labels, "some length is offered"
    serious = [
        v["id"]
        for v in AXE.run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    for label in labels:
        page.goto(server + "/")
        page.locator("a.length", has_text=label).first.click()
        title = page.locator(".for-routine strong").inner_text()
        routine = next(r for r in catalog.routines.values() if r.title == title)
        assert routine.audience in allowed, f"{giver}: {label} started {routine.id}"
        assert page.locator(".for-routine").inner_text().endswith(label)
        answer_check(page)
        expect(page.locator(".routine-name")).to_have_text(title)
    context.close()
