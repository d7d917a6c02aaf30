"""Offline: once loaded, a session runs to its end and is kept on the device when the app
cannot be reached, then sent to the diary exactly once when it is back.

"Cannot be reached" is made real twice over: the browser context goes offline (the page's
own requests fail, and "online" fires when it comes back) and the server is stopped (the
service worker's requests fail too, which Playwright's offline mode does not do).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Browser, Page, expect

from calmcrown.catalog import load_catalog
from calmcrown.planner import plan_session
from tests.browser.check_steps import answer_check
from tests.browser.conftest import LiveServer
from tests.browser.cues import announcements
from tests.browser.test_player import RECORD_CUES, _frozen, _start, _wait_for_player

KEPT = "calmcrown.sessions-kept-on-this-device"  # offline.js's localStorage key

# Headless Chromium may or may not have a voice; without one the player speaks with the
# server's cue audio, the path that needs the service worker.
NO_VOICE = "if ('speechSynthesis' in window) speechSynthesis.getVoices = () => [];"

EVERY_CUE_KEPT = """async (texts) => {
  for (const text of texts) {
    if (!(await caches.match(`/audio/cue.wav?text=${encodeURIComponent(text)}`))) return false;
  }
  return true;
}"""

CACHED_PATHS = """async () => {
  const paths = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) {
      const url = new URL(request.url);
      paths.push([request.method, url.pathname + url.search]);
    }
  }
  return paths;
}"""


def _eventually(check: Callable[[], Any], what: str, timeout: float = 20) -> None:
    # Polled from here, not with wait_for_function: page.clock may hold the page's timers.
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {what}")
        time.sleep(0.05)


def _controlled(page: Page) -> None:
    """The service worker has installed (its files are kept) and controls the page."""
    # A controller is an activated worker, so its install (keeping the files) is done.
    _eventually(
        lambda: page.evaluate("!!navigator.serviceWorker.controller"),
        "the service worker controls the page",
    )


def _kept(page: Page) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = page.evaluate(
        f"JSON.parse(localStorage.getItem('{KEPT}') ?? '[]')"
    )
    return kept


def _unreachable(page: Page, live_server: LiveServer) -> None:
    live_server.stop()
    page.context.set_offline(True)


def _reachable(page: Page, live_server: LiveServer) -> None:
    live_server.start()
    page.context.set_offline(False)


def test_a_whole_session_runs_offline_and_reaches_the_diary_once(
    page: Page, live_server: LiveServer
) -> None:
    server = live_server.url
    page.add_init_script(RECORD_CUES)
    page.add_init_script(NO_VOICE)
    _frozen(page)
    page.goto(server + "/")
    _controlled(page)
    page.goto(server + "/check?routine=quick&minutes=5")
    answer_check(page)
    _wait_for_player(page)
    plan = plan_session(load_catalog(), "quick", 5)
    moments = announcements(plan)
    texts = sorted({text for _, text in moments})
    _eventually(lambda: page.evaluate(EVERY_CUE_KEPT, texts), "every cue's audio is kept")

    audio: list[tuple[str, bool]] = []
    page.on(
        "requestfinished",
        lambda r: audio.append((r.url, True)) if "/audio/" in r.url else None,
    )
    page.on(
        "requestfailed",
        lambda r: audio.append((r.url, False)) if "/audio/" in r.url else None,
    )
    _unreachable(page, live_server)
    page.clock.run_for(5_000 + plan.total_seconds * 1000 + 1_000)

    seen = page.evaluate("window.__cues")
    started = next(t for t, text in seen if text == moments[0][1])
    for at_s, text in moments:
        times = [t - started for t, shown in seen if shown == text]
        assert any(abs(t - at_s * 1000) <= 50 for t in times), (at_s, text, times[:3])
    _eventually(lambda: audio, "the cues were played from the kept audio")
    assert all(ok for _, ok in audio), [url for url, ok in audio if not ok]

    expect(page.locator("#after")).to_be_visible()
    page.get_by_role("group", name="Pain now").get_by_role("radio", name="3", exact=True).check()
    page.get_by_role("button", name="Save to diary").click()
    status = page.locator("#after-status")
    expect(status).to_contain_text("Kept on this device")
    expect(status).not_to_contain_text("Saved")
    [kept] = _kept(page)
    assert kept["body"]["pain_after"] == 3, "the check-in joined the session kept"
    assert kept["body"]["outcome"] == "completed"

    _reachable(page, live_server)  # "online" fires: offline.js sends it at once
    expect(status).to_have_text("Saved to your diary.")
    assert _kept(page) == []
    page.goto(server + "/")  # a page load sends what is kept: nothing is left to send
    expect(page.locator("#offline-notice")).to_have_count(0)
    [session] = page.request.get(server + "/api/v1/sessions").json()
    assert session["routine"] == "quick" and session["pain_after"] == 3
    assert session["seconds"] == plan.total_seconds == 300


def test_today_is_shown_from_its_copy_when_the_app_cannot_be_reached(
    page: Page, live_server: LiveServer
) -> None:
    server = live_server.url
    page.goto(server + "/")
    _controlled(page)
    _unreachable(page, live_server)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.locator("#offline-notice")).to_contain_text("a copy kept on this device")
    page.goto(server + "/docs")  # never visited, so never kept
    expect(page.locator("body")).to_contain_text("cannot be reached")

    _reachable(page, live_server)
    page.goto(server + "/")  # network first: the app's own page, not the copy
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.locator("#offline-notice")).to_have_count(0)


def test_the_worker_keeps_no_api_answer_and_no_post(page: Page, live_server: LiveServer) -> None:
    server = live_server.url
    page.goto(server + "/")
    _controlled(page)
    assert page.evaluate("fetch('/api/v1/routines').then((r) => r.status)") == 200
    page.get_by_role("button", name="7", exact=True).click()  # a form POST, then /?saved=...
    expect(page.get_by_role("status").first).to_contain_text("Saved. Today so far: 7")
    page.goto(server + "/library")
    paths = page.evaluate(CACHED_PATHS)
    assert all(method == "GET" for method, _ in paths)
    assert {path for _, path in paths} == {
        "/",
        "/library",
        "/settings",
        "/static/calmcrown.css",
        "/static/check.css",
        "/static/check.js",
        "/static/diary.css",
        "/static/insights.css",
        "/static/library.css",
        "/static/offline.js",
        "/static/player.js",
        "/static/session_record.js",
        "/static/trial.css",
    }

    _unreachable(page, live_server)
    fails = "(url) => fetch(url).then((r) => `answered ${r.status}`, () => 'unreachable')"
    assert page.evaluate(fails, "/api/v1/routines") == "unreachable"
    post = """() => fetch('/api/v1/days', {
        method: 'POST', body: '{}', headers: {'Content-Type': 'application/json'},
      }).then(() => 'answered', () => 'unreachable')"""
    assert page.evaluate(post) == "unreachable"


def _session(**fields: Any) -> dict[str, Any]:
    today = dt.date.today().isoformat()
    return {"date": today, "time": "08:15", "routine": "quick", "seconds": 300, **fields}


def test_kept_sessions_are_sent_by_the_next_page_and_never_twice(page: Page, server: str) -> None:
    # The diary stored this one, but its answer was lost: it is still kept on the device.
    lost_answer = _session(pain_after=2, reasons=[])
    stored = page.request.post(
        server + "/api/v1/sessions", data=lost_answer, headers={"Origin": server}
    )
    assert stored.status == 201
    waiting = _session(time="09:40", pain_after=1, reasons=[])
    page.goto(server + "/api/v1/routines")  # this origin, and no offline.js sending yet
    page.evaluate(
        "([key, kept]) => localStorage.setItem(key, JSON.stringify(kept))",
        [KEPT, [{"id": "a", "body": lost_answer}, {"id": "b", "body": waiting}]],
    )
    page.goto(server + "/")
    expect(page.locator("#offline-notice")).to_have_text(
        "Sent to your diary: 2 sessions kept on this device."
    )
    assert _kept(page) == []
    sessions = page.request.get(server + "/api/v1/sessions").json()
    assert sorted(s["time"][:5] for s in sessions) == ["08:15", "09:40"]


def test_a_refused_session_is_kept_on_the_device_and_not_called_saved(
    browser: Browser, server: str
) -> None:
    # Workers blocked, so that Playwright sees (and refuses) the player's POST itself.
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    page = context.new_page()
    page.route(
        "**/api/v1/sessions",
        lambda route: (
            route.fulfill(status=422, json={"detail": []})
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    _frozen(page)
    _start(page, server, "5")
    page.clock.run_for(5_000 + 300_000 + 1_000)
    status = page.locator("#after-status")
    expect(status).to_have_text(
        "Not in your diary: it refused the session. It is kept on this device."
    )
    [kept] = _kept(page)
    assert kept["body"]["outcome"] == "completed", "nothing done is lost"
    assert page.request.get(server + "/api/v1/sessions").json() == []
    context.close()
