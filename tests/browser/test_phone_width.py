"""Every page fits a phone's width: nothing makes a tired reader scroll sideways."""

from __future__ import annotations

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
    "path", ["/", "/check?minutes=10", "/diary", "/insights", "/library", "/settings", "/docs"]
)
def test_the_page_fits_a_phone(filled: Page, server: str, path: str) -> None:
    filled.goto(server + path)
    assert filled.viewport_size is not None and filled.viewport_size["width"] == PHONE
    width = filled.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, filled.evaluate(_OVERFLOWING, PHONE)[:8]
