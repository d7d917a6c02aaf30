from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from calmcrown.catalog import load_catalog
from calmcrown.planner import plan_session
from calmcrown.web.preferences import COOKIE, Preferences, cookie_value
from tests.browser.check_steps import answer_check, answer_none
from tests.browser.cues import announcements, spoken

# Records every change of the live region with the (possibly fake) performance.now().
RECORD_CUES = """
window.__cues = [];
new MutationObserver(() => {
  const live = document.getElementById('cue-live');
  if (live) window.__cues.push([performance.now(), live.textContent]);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def _frozen(page: Page) -> None:
    """Fake time that moves only when the test moves it, so every figure is exact."""
    page.clock.install(time=dt.datetime(2026, 11, 22, 20, 0))
    page.clock.pause_at(dt.datetime(2026, 11, 22, 20, 0, 1))


def _start(page: Page, server: str, minutes: str = "10") -> None:
    page.goto(server + "/")
    page.get_by_role("link", name=re.compile(rf"^{minutes} min\b")).click()  # tap 1
    answer_check(page)  # a tap a group
    _wait_for_player(page)


def _wait_for_player(page: Page) -> None:
    """The player has loaded and its count-in is waiting on the (paused) clock; where a
    check changed the session, once Start is tapped after reading the changes."""
    page.locator("#count-in:not([hidden]), #start:not([hidden])").wait_for()
    if page.locator("#start").is_visible():
        page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#count-in")).to_be_visible()


def test_two_taps_from_today_to_a_running_session(page: Page, server: str) -> None:
    _frozen(page)
    _start(page, server)
    page.clock.run_for(6_000)  # the count-in to get into position
    expect(page.locator("#cue-live")).not_to_be_empty()
    expect(page.locator("body")).to_have_attribute("data-state", "running")


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_the_player_says_which_step_of_how_many_what_comes_next_and_how_far(
    browser: Browser, server: str, width: int
) -> None:
    page = browser.new_context(viewport={"width": width, "height": 844}).new_page()
    _frozen(page)
    _start(page, server, "10")
    plan = json.loads(page.locator("#plan-data").text_content() or "")
    steps, total_s = plan["steps"], plan["total_seconds"]
    page.clock.run_for(5_000 + 1_000)
    expect(page.locator("#step-number")).to_have_text(f"Step 1 of {len(steps)}")
    expect(page.locator("#step-next")).to_have_text(f"Next: {steps[1]['name']}")
    third = steps[2]
    page.clock.run_for((third["start_s"] - 1) * 1000)
    expect(page.locator("#step-number")).to_have_text(f"Step 3 of {len(steps)}")
    expect(page.locator("#step-name")).to_have_text(third["name"])
    progress = page.locator("#session-progress")
    done = float(progress.evaluate("bar => bar.value / bar.max"))
    assert abs(done - third["start_s"] / total_s) < 0.01
    page.clock.run_for((steps[-1]["start_s"] - third["start_s"]) * 1000)
    expect(page.locator("#step-next")).to_have_text("Last step")
    box = progress.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, "in sight with the step"
    page.context.close()


def test_one_tap_saves_a_headache_day(page: Page, server: str) -> None:
    page.goto(server + "/")
    page.get_by_role("button", name="7", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Today so far: 7")
    days = page.request.get(server + "/api/v1/days").json()
    assert [day["intensity"] for day in days] == [7]


@pytest.mark.parametrize(
    ("flag", "heading"),
    [
        ("sudden_worst", "Stop and call for help now"),
        ("head_injury_recent", "No massage today: see a doctor"),
    ],
    ids=["emergency", "see-doctor"],
)
def test_an_emergency_or_see_doctor_answer_starts_nothing(
    page: Page, server: str, flag: str, heading: str
) -> None:
    page.goto(server + "/check?minutes=10")
    answer_check(page, [flag])
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.locator("#cue-live").count() == 0


def test_every_cue_of_a_45_minute_session_is_on_time(page: Page, server: str) -> None:
    page.add_init_script(RECORD_CUES)
    _frozen(page)
    page.goto(server + "/check?routine=dedicated&minutes=45")
    answer_check(page)
    _wait_for_player(page)
    page.clock.run_for(5_000)  # count-in
    plan = plan_session(load_catalog(), "dedicated", 45)
    pause_at, pause_for = 600_000, 30_000
    page.clock.run_for(pause_at)
    page.get_by_role("button", name="Pause").click()
    page.clock.run_for(pause_for)
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(plan.total_seconds * 1000 - pause_at + 1_000)
    seen = page.evaluate("window.__cues")
    texts = [text for _, text in seen]
    # Every cue, those planned for the same second shown together as one announcement.
    moments = announcements(plan)
    started = next(t for t, text in seen if text == moments[0][1])
    for at_s, text in moments:
        planned = at_s * 1000 + (pause_for if at_s * 1000 > pause_at else 0)
        times = [t - started for t, shown in seen if shown == text]
        assert any(abs(t - planned) <= 50 for t in times), (at_s, text, times[:3])
    assert all(any(cue.text in text for _, text in moments) for cue in spoken(plan))
    assert len(moments) > 25, "the session has many cue times"
    assert len(plan.cues) > len(moments), "some cues share a second"
    assert "Paused." in texts
    expect(page.locator("#after")).to_be_visible()


def test_the_after_check_in_is_saved_in_the_diary(page: Page, server: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    _frozen(page)
    _start(page, server, "5")
    page.clock.run_for(5_000 + 300_000 + 1_000)
    expect(page.locator("#after-summary")).to_have_text("Done: 5 min.")
    page.get_by_role("group", name="Pain now").get_by_role("radio", name="3", exact=True).check()
    page.get_by_role("button", name="Save to diary").click()
    expect(page.locator("#after-status")).to_have_text(
        "Saved to your diary, with how you feel now."
    )
    expect(page.locator("#after-summary")).to_have_text("Done: 5 min. Pain now: 3.")
    [session] = page.request.get(server + "/api/v1/sessions").json()
    assert session["outcome"] == "completed" and session["pain_after"] == 3
    assert session["seconds"] == 300
    assert all(url.startswith(server) for url in requests), [
        u for u in requests if not u.startswith(server)
    ]


def test_ending_early_saves_the_time_actually_spent(page: Page, server: str) -> None:
    _frozen(page)
    _start(page, server, "10")
    page.clock.run_for(5_000 + 90_000)
    page.get_by_role("button", name="End").click()
    expect(page.locator("body")).to_have_attribute("data-state", "running")  # asks first
    page.get_by_role("button", name="Tap again to end").click()
    page.get_by_role("button", name="Save to diary").click()
    expect(page.locator("#after-status")).to_contain_text("Saved")
    [session] = page.request.get(server + "/api/v1/sessions").json()
    assert session["outcome"] == "ended_early"
    assert abs(session["seconds"] - 90) <= 1


def test_an_adapted_session_says_what_changed_and_why(page: Page, server: str) -> None:
    _frozen(page)
    page.goto(server + "/check?minutes=10")
    answer_check(page, ["blood_thinners"])
    changes = page.locator(".changes")
    expect(changes).to_be_visible()
    expect(changes.locator("li").first).to_be_visible()  # open, not folded away
    expect(changes).to_contain_text("light")
    # Nothing starts while the changes are read: the count-in waits for Start.
    page.clock.run_for(30_000)
    expect(page.locator("#count-in")).to_be_hidden()
    expect(page.locator("body")).not_to_have_attribute("data-state", "running")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#count-in")).to_be_visible()
    page.clock.run_for(6_000)
    expect(page.locator("body")).to_have_attribute("data-state", "running")


def test_keys_pause_and_skip_and_space_presses_a_focused_button(page: Page, server: str) -> None:
    _frozen(page)
    _start(page, server)
    page.clock.run_for(6_000)
    first = page.locator("#step-name").inner_text()
    page.get_by_role("button", name="Next step").focus()
    page.keyboard.press(" ")  # presses Next step; does not pause
    expect(page.locator("#step-name")).not_to_have_text(first)
    expect(page.locator("body")).to_have_attribute("data-state", "running")
    page.locator("#step-name").click()  # focus away from the buttons
    page.keyboard.press(" ")
    expect(page.locator("body")).to_have_attribute("data-state", "paused")
    page.keyboard.press(" ")
    expect(page.locator("body")).to_have_attribute("data-state", "running")
    second = page.locator("#step-name").inner_text()
    page.keyboard.press("n")
    expect(page.locator("#step-name")).not_to_have_text(second)
    page.get_by_role("button", name="Pause").click()  # the focus stays on the button
    page.get_by_role("button", name="Resume").click()
    third = page.locator("#step-name").inner_text()
    page.keyboard.press("n")
    expect(page.locator("#step-name")).not_to_have_text(third)


WAKE_LOCK = """
window.__locks = 0;
Object.defineProperty(navigator, 'wakeLock', {value: {request: async () => {
  window.__locks += 1;
  return {release: async () => {}};
}}});
"""


def test_the_screen_is_kept_awake_and_the_lock_taken_again(page: Page, server: str) -> None:
    page.add_init_script(WAKE_LOCK)
    _frozen(page)
    _start(page, server)
    page.clock.run_for(6_000)
    assert page.evaluate("window.__locks") == 1
    # Browsers drop the lock when the page is hidden; coming back takes it again.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_function("window.__locks === 2")


def test_partner_mode_asks_about_the_pressure_during_the_session(page: Page, server: str) -> None:
    page.context.add_cookies(
        [{"name": COOKIE, "value": cookie_value(Preferences(giver="partner")), "url": server}]
    )
    page.add_init_script(RECORD_CUES)
    _frozen(page)
    _start(page, server, "10")
    page.clock.run_for(5_000 + 240_000)
    texts = [text for _, text in page.evaluate("window.__cues")]
    assert any("Ask: is the pressure right, lighter, or firmer?" in text for text in texts)


def test_one_stray_tap_on_end_does_not_end_the_session(page: Page, server: str) -> None:
    _frozen(page)
    _start(page, server)
    page.clock.run_for(6_000)
    page.get_by_role("button", name="End").click()
    page.clock.run_for(5_000)  # no second tap: the question goes away
    expect(page.get_by_role("button", name="End", exact=True)).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-state", "running")


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_each_step_shows_its_figure_how_to_and_cautions_and_speaks_the_how_to(
    browser: Browser, server: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    asked: list[str] = []
    page.on(
        "request",
        lambda request: (
            asked.append(parse_qs(urlparse(request.url).query)["text"][0])
            if "/audio/cue.wav" in request.url
            else None
        ),
    )
    _frozen(page)
    page.goto(server + "/check?routine=evening&minutes=10")
    answer_check(page)
    _wait_for_player(page)
    page.clock.run_for(5_000)  # count-in
    plan = plan_session(load_catalog(), "evening", 10)
    expect(page.locator("#stop-if")).to_contain_text("dizzy")
    clock_ms = 0
    for step in plan.steps:
        page.clock.run_for(step.start_s * 1000 + 500 - clock_ms)
        clock_ms = step.start_s * 1000 + 500
        expect(page.locator("#step-name")).to_have_text(step.name)
        for line in step.how:
            expect(page.locator("#step-how")).to_contain_text(line)
        for caution in step.cautions:
            expect(page.locator("#step-cautions")).to_contain_text(caution)
        if step.figure:
            figure = page.locator("#figure-art svg")
            expect(figure).to_be_visible()
            expect(figure).to_have_attribute("role", "img")
            assert figure.bounding_box()["width"] >= min(300, width - 60)  # type: ignore[index]
        expect(page.locator("#stop-if")).to_be_visible()
        # Within reach without scrolling, above the figure, at either width.
        for control in ("#pause", "#skip", "#end", "#stop-if"):
            box = page.locator(control).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 844, (step.move, control)
    # Headless Chromium has no voice of its own: the player fetches the server's espeak-ng
    # audio for every announcement, and the how-to of each step is among them.
    expect(page.locator("#after")).to_be_hidden()
    for step in plan.steps:
        assert any(" ".join(step.how) in text for text in asked), step.move
    audio = page.request.get(server + "/audio/cue.wav", params={"text": asked[-1]})
    assert audio.ok and audio.body()[:4] == b"RIFF"
    context.close()


def test_a_doctors_check_is_asked_under_its_yes_and_lets_the_session_go_gently(
    page: Page, server: str
) -> None:
    """H13: the date field appears only once its lasting condition is ticked."""
    page.goto(server + "/check?routine=evening&minutes=10")
    answer_none(page, groups=2)  # right now, this headache
    date = page.locator('input[name="checked_on_cancer_or_immunosuppressed"]')
    expect(date).to_be_hidden()
    page.get_by_label("Have you ever had cancer").check()
    expect(date).to_be_visible()
    checked_on = dt.date.today() - dt.timedelta(days=20)
    date.fill(checked_on.isoformat())
    page.get_by_role("button", name="Next", exact=True).locator("visible=true").click()
    answer_none(page)
    _wait_for_player(page)
    changes = page.locator(".changes")
    expect(changes).to_contain_text("cleared massage")
    expect(changes).to_contain_text(f"doctor's check: {checked_on.day} {checked_on:%B %Y}")
