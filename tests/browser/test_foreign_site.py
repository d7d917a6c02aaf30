"""Another web site open in the same browser cannot change the diary, and a name that
points at the app (DNS rebinding) gets nothing. The foreign site is served by Playwright
itself (page.route), so no request leaves the machine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

EVIL = "http://evil.example"


def _evil_page(server: str) -> str:
    # A form that posts itself, and a "simple" cross-site fetch (text/plain needs no
    # preflight, so the browser sends it): the two ways a page can reach a local server.
    return f"""<!doctype html><title>evil</title>
<form id="f" method="post" action="{server}/today/intensity">
  <input name="intensity" value="9"><input name="csrftoken" value="guessed">
</form>
<script>
  fetch("{server}/api/v1/days", {{method: "POST", mode: "no-cors",
    headers: {{"Content-Type": "text/plain"}},
    body: JSON.stringify({{date: "{dt.date.today()}", intensity: 8}})}})
    .finally(() => document.getElementById("f").submit());
</script>"""


def test_another_site_cannot_write_to_the_diary(page: Page, server: str) -> None:
    page.goto(server + "/")  # the person has the app open: its cookies are set
    served = []

    def evil(route: Route) -> None:
        served.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=_evil_page(server))

    page.route(EVIL + "/**", evil)
    answers: list[tuple[str, int | str | None]] = []
    page.on("response", lambda r: answers.append((r.url, r.status)))
    # Chromium may block the fetch itself (private network access); then it never arrives.
    page.on("requestfailed", lambda r: answers.append((r.url, "blocked by the browser")))
    with page.expect_navigation(url=server + "/today/intensity"):
        page.goto(EVIL + "/")
    assert served, "the foreign page was shown"
    to_app = {url.removeprefix(server): status for url, status in answers if url.startswith(server)}
    assert to_app["/today/intensity"] == 403, "the form was refused"
    assert to_app["/api/v1/days"] in (403, "blocked by the browser"), "the fetch got nowhere"
    assert "another site" in page.content() or "CSRF" in page.content()
    assert page.request.get(server + "/api/v1/days").json() == [], "nothing was written"


@pytest.fixture
def rebinding_browser(browser: Browser) -> Iterator[Browser]:
    """A browser in which evil.example resolves to this machine, as after DNS rebinding."""
    launched = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_FLAGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"],
    )
    yield launched
    launched.close()


def test_a_rebound_name_gets_nothing(rebinding_browser: Browser, server: str) -> None:
    port = server.rsplit(":", 1)[1]
    page = rebinding_browser.new_page()
    response = page.goto(f"{EVIL}:{port}/api/v1/days")
    assert response is not None and response.status == 400
    assert "Unknown Host" in page.content()
    assert "date" not in page.content(), "no diary data reached the page"
