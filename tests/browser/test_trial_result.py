"""A finished trial's result in Chromium, on a phone and a desktop: the sentence first,
the per-period chart, each period as a row (a card on a phone), the comparison, and the
report for a doctor as a PDF download; axe-core finds nothing serious in either theme.
Screenshots go to /tmp/trial-web/ for a person to look at."""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

import pytest
from playwright.sync_api import Page, expect

from calmcrown.diary.transfer import FORMAT, VERSION
from calmcrown.insight.trial.design import design, design_dict
from calmcrown.web.preferences import COOKIE, Preferences, cookie_value
from tests.browser.test_accessibility import _serious
from tests.browser.test_trial import WIDTHS, _fits, _shot


def finished_trial(page: Page, server: str) -> None:
    """Four blocks of 14-day periods, head against none, over yesterday, brought in as a
    person would bring a past trial: a diary file imported on the Diary page. After the
    2 settling-in days, 1 to 3 headache days in each head period and 5 to 8 in each none
    period; one session in each head period."""
    start = dt.date.today() - dt.timedelta(days=4 * 2 * 14)
    trial = design(["head", "none"], start, period_days=14, blocks=4, washout_days=2, seed=11)
    headache_days = {"head": iter([1, 2, 1, 3]), "none": iter([7, 5, 8, 6])}
    days, sessions = [], []
    for period in trial.periods:
        count = next(headache_days[period.arm])
        for offset in range(period.days):
            date = period.start + dt.timedelta(days=offset)
            headache = 2 <= offset < 2 + count
            days.append({"date": date.isoformat(), "intensity": 6 if headache else 0})
        if period.arm == "head":
            sessions.append({"date": (period.start + dt.timedelta(days=5)).isoformat(),
                             "routine": "quick", "seconds": 300, "pain_before": 5,
                             "pain_after": 3})  # fmt: skip
    design_json = {k: v for k, v in design_dict(trial).items() if k != "power"} | {"id": "t1"}
    diary = {"format": FORMAT, "version": VERSION, "days": days, "sessions": sessions,
             "trials": [design_json]}  # fmt: skip
    page.goto(server + "/diary")
    upload = {"name": "trial.json", "mimeType": "application/json",
              "buffer": json.dumps(diary).encode()}  # fmt: skip
    page.set_input_files("#import-file", files=[upload])  # type: ignore[list-item]
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1 of 1 trial")


@pytest.mark.parametrize("size", list(WIDTHS))
def test_a_finished_trial_reads_sentence_first_and_fits(page: Page, server: str, size: str) -> None:
    width, height = WIDTHS[size]
    page.set_viewport_size({"width": width, "height": height})
    finished_trial(page, server)
    page.goto(server + "/trial")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your trial's result")
    sentence = page.locator(".trial-sentence")
    expect(sentence).to_contain_text("Over 4 blocks you likely had fewer headache days")
    expect(sentence).to_contain_text("head massage periods than in the no massage periods")
    chart = page.get_by_role("img", name="Headache days per 28", exact=False)
    expect(chart).to_be_visible()
    rows = page.locator(".trial-period-table tbody tr")
    expect(rows).to_have_count(8)
    expect(page.locator(".trial-comparisons")).to_contain_text("likely fewer headache days")
    _fits(page)
    _shot(page, f"{size}-5-result")

    with page.expect_download() as download:
        page.get_by_role("link", name="Report for your doctor (PDF)").click()
    path = download.value.path()
    assert path is not None and path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("theme", ["dim", "light"])
def test_the_result_has_no_serious_accessibility_problem(
    page: Page, server: str, theme: Literal["dim", "light"]
) -> None:
    value = cookie_value(Preferences(theme=theme))
    page.context.add_cookies([{"name": COOKIE, "value": value, "url": server}])
    finished_trial(page, server)
    page.goto(server + "/trial")
    expect(page.locator(".trial-sentence")).to_be_visible()
    assert _serious(page) == []
