"""The Insights page in a real browser: the verdict first, the charts drawn, nothing
fetched from anywhere else, and the report downloads."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from tests.run_date import RUN_DATE

TODAY = RUN_DATE


def _fill(page: Page, server: str) -> None:
    origin = {"Origin": server}
    for back in range(111, -1, -1):
        date = str(TODAY - dt.timedelta(days=back))
        headache = back % 7 < (4 if back >= 56 else 1)
        page.request.post(server + "/api/v1/days", headers=origin,
                          data={"date": date, "intensity": 6 if headache else 0})  # fmt: skip
        if back < 56 and back % 2 == 0:
            session = {"date": date, "routine": "evening", "seconds": 600,
                       "pain_before": 6, "pain_after": 3}  # fmt: skip
            page.request.post(server + "/api/v1/sessions", headers=origin, data=session)


def test_the_verdict_comes_first_and_the_charts_are_drawn(page: Page, server: str) -> None:
    _fill(page, server)
    hosts = []
    page.on("request", lambda request: hosts.append(request.url.split("/")[2]))
    page.goto(server + "/")
    page.get_by_role("link", name="Insights").click()
    first = page.locator("main h1 + div > p").first
    expect(first).to_have_class("verdict-sentence verdict-likely_better")
    expect(first).to_contain_text("Likely fewer headache days since the practice began")
    images = page.locator(".charts img")
    expect(images).to_have_count(4)
    for index in range(4):
        image = images.nth(index)
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "drawn"
        assert (image.get_attribute("alt") or "").strip()
    with page.expect_download() as download:
        page.get_by_role("link", name="Report for your doctor (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert set(hosts) == {server.split("/")[2]}, f"requests to other hosts: {set(hosts)}"
