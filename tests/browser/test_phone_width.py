"""Every page fits a phone's width: nothing makes a tired reader scroll sideways."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page

from tests.browser.sample_diary import fill_twelve_weeks

PHONE = 390

# The elements that stick out past the right edge, named the way a person would find them.
_OVERFLOWING = """(width) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > width + 0.5)
  .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
       + ': ' + (e.textContent || e.value || '').trim().slice(0, 40))"""


@pytest.fixture
def filled(page: Page, server: str) -> Page:
    fill_twelve_weeks(server, page)
    return page


@pytest.mark.parametrize(
    "path",
    ["/", "/check?minutes=10", "/diary", "/insights", "/library", "/settings", "/docs", "/trial"],
)
def test_the_page_fits_a_phone(filled: Page, server: str, path: str) -> None:
    filled.goto(server + path)
    assert filled.viewport_size is not None and filled.viewport_size["width"] == PHONE
    width = filled.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, filled.evaluate(_OVERFLOWING, PHONE)[:8]


def test_the_insights_of_a_short_diary_fit_a_phone(page: Page, server: str) -> None:
    """A week before the practice and five days since: the first look most people get,
    with each period's dates written out in full in the table."""
    today = dt.date.today()
    headers = {"Origin": server}
    for back in range(11, -1, -1):
        day = {
            "date": (today - dt.timedelta(days=back)).isoformat(),
            "intensity": 6 * (back in (11, 10, 9, 4)),
        }
        assert page.request.post(server + "/api/v1/days", data=day, headers=headers).ok
    session = {
        "date": (today - dt.timedelta(days=4)).isoformat(),
        "routine": "evening",
        "seconds": 600,
    }
    assert page.request.post(server + "/api/v1/sessions", data=session, headers=headers).ok
    page.goto(server + "/insights")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, page.evaluate(_OVERFLOWING, PHONE)[:8]
