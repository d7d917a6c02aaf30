from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from calmcrown.catalog import load_catalog
from tests.web.check_form import answered


def _token(client: TestClient, path: str = "/") -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text)
    assert match
    return match[1]


def test_today_offers_minutes_routines_and_a_one_tap_scale(client: TestClient) -> None:
    html = client.get("/").text
    offered = re.findall(r'href="/check\?routine=([\w-]+)&amp;minutes=(\d+)"', html)
    assert [minutes for _, minutes in offered] == ["5", "10", "15", "20", "30", "45"]
    catalog = load_catalog()
    assert {catalog.routines[routine].audience.value for routine, _ in offered} == {"self"}
    assert len(re.findall(r'name="intensity" value="\d+"', html)) == 11
    assert 'data-theme="dim"' in html, "dim is the default theme"


def test_one_tap_saves_todays_intensity(client: TestClient) -> None:
    token = _token(client)
    response = client.post("/today/intensity", data={"intensity": "6", "csrftoken": token})
    assert response.status_code == 200 and 'aria-pressed="true">6<' in response.text


def test_the_check_asks_every_question(client: TestClient) -> None:
    html = client.get("/check?minutes=10").text
    flags = re.findall(r'name="flag" value="(\w+)"', html)
    assert len(flags) == len(load_catalog().safety.flags) == 31 and "sudden_worst" in flags


def test_an_emergency_answer_plans_nothing(client: TestClient) -> None:
    token = _token(client, "/check")
    html = client.post(
        "/check",
        data=answered(["sudden_worst", "blood_thinners"], minutes="10", csrftoken=token),
    ).text
    assert "Stop and call for help now" in html
    assert 'class="timeline"' not in html


def test_a_clear_check_opens_the_player_with_its_plan(client: TestClient) -> None:
    token = _token(client, "/check")
    html = client.post("/check", data=answered(minutes="10", csrftoken=token)).text
    assert 'id="plan-data"' in html and 'aria-live="polite"' in html
    assert '"total_seconds": 600' in html


def test_library_shows_evidence_and_tradition(client: TestClient) -> None:
    html = client.get("/library").text
    assert "Tradition:" in html and "Evidence:" in html and "Source:" in html


def test_odd_minutes_on_the_check_form_fall_back_to_the_routine(client: TestClient) -> None:
    token = _token(client, "/check")
    response = client.post("/check", data=answered(minutes="ten", csrftoken=token))
    assert response.status_code == 200 and 'id="plan-data"' in response.text


def _ticked(html: str) -> set[str]:
    return set(re.findall(r'name="flag" value="(\w+)" checked', html))


def test_a_safety_stop_is_kept_under_the_routine_chosen_and_today_is_asked_afresh(
    api: TestClient,
) -> None:
    token = _token(api, "/check")
    api.post(
        "/check",
        data=answered(["fever_stiff_neck", "blood_thinners"], routine="shoulders",
                      minutes="20", csrftoken=token),
    )  # fmt: skip
    [stopped] = api.get("/api/v1/sessions").json()
    assert stopped["outcome"] == "stopped_by_screening" and stopped["seconds"] == 0
    assert stopped["verdict"] == "emergency"
    assert stopped["reasons"] == ["fever_stiff_neck", "blood_thinners"]
    assert stopped["routine"] == "shoulders", "the routine chosen, not the first one"
    planned = sum(stopped[f"planned_{phase}_s"] for phase in ("settle", "practice", "after"))
    assert planned == 20 * 60, "and the length chosen"
    html = api.get("/check").text
    assert _ticked(html) == {"blood_thinners"}, "an emergency about today is never carried over"
    assert "a blood thinner, or bruising easily" in html and "Still true?" in html


def test_the_check_remembers_only_lasting_conditions(api: TestClient) -> None:
    html = api.get("/check").text
    assert _ticked(html) == set() and "Still true?" not in html, "a first check asks all"
    assert _none_of(html) == set()
    today = dt.date.today()
    session = {"date": str(today - dt.timedelta(days=1)), "routine": "feet", "seconds": 900,
               "verdict": "adapt",
               "reasons": ["blood_thinners", "pregnancy", "aura_now"]}  # fmt: skip
    api.post("/api/v1/sessions", json=session)
    assert _ticked(api.get("/check").text) == {"blood_thinners", "pregnancy"}
    clear = {"date": str(today), "routine": "quick", "seconds": 300, "verdict": "clear"}
    api.post("/api/v1/sessions", json=clear)
    html = api.get("/check").text
    assert _ticked(html) == set(), "the latest check was all no"
    assert _none_of(html) == {"lasting"} and "none of these" in html, "kept as no, shown"


def test_a_group_left_unanswered_is_refused_and_nothing_is_recorded(api: TestClient) -> None:
    token = _token(api, "/check")
    form = answered(
        ["blood_thinners"], unanswered=["now"], minutes="10", csrftoken=token, pain_before="4"
    )
    response = api.post("/check", data=form)
    assert response.status_code == 422
    assert "Right now, is any of this true? is not answered yet" in response.text
    assert _ticked(response.text) == {"blood_thinners"}, "the answers given are kept"
    assert 'value="4" checked' in response.text
    assert api.get("/api/v1/sessions").json() == []


def _none_of(html: str) -> set[str]:
    return set(re.findall(r'name="none" value="(\w+)" checked', html))


def test_answers_that_leave_a_routine_empty_offer_the_ones_that_fit(api: TestClient) -> None:
    token = _token(api, "/check?routine=feet")
    response = api.post(
        "/check",
        data=answered(["leg_clot_history"], routine="feet", minutes="", csrftoken=token),
    )
    assert response.status_code == 422 and "text/html" in response.headers["content-type"]
    assert "This routine does not fit today" in response.text
    offered = re.findall(r'name="routine" value="(\w+)"', response.text)
    assert offered and "feet" not in offered
    assert 'name="flag" value="leg_clot_history"' in response.text, "the answers are kept"
    assert 'name="none" value="now"' in response.text


def test_odd_numbers_in_the_check_form_are_ignored_not_a_server_error(api: TestClient) -> None:
    token = _token(api, "/check")
    for pain, minutes in (("²", "10"), ("9" * 5000, "9" * 5000), ("-1", "abc")):
        response = api.post(
            "/check", data=answered(pain_before=pain, minutes=minutes, csrftoken=token)
        )
        assert response.status_code == 200
        assert '"pain_before": null' in response.text


def test_a_session_logged_without_a_check_does_not_erase_the_last_answers(
    api: TestClient,
) -> None:
    today = str(dt.date.today())
    checked = {"date": today, "time": "14:00", "routine": "feet", "seconds": 600,
               "verdict": "adapt", "reasons": ["pregnancy", "no_such_flag"]}  # fmt: skip
    api.post("/api/v1/sessions", json=checked)
    unchecked = {"date": today, "time": "08:00", "routine": "quick", "seconds": 300}
    api.post("/api/v1/sessions", json=unchecked)
    assert _ticked(api.get("/check").text) == {"pregnancy"}, "unknown ids are left out"


def test_a_safety_stop_is_not_counted_as_a_session_on_today(api: TestClient) -> None:
    token = _token(api, "/check")
    api.post("/check", data=answered(["fever"], minutes="10", csrftoken=token))
    assert "0 sessions" in api.get("/").text


def test_today_shows_a_headache_still_going_and_ends_it_in_one_tap(api: TestClient) -> None:
    started = dt.datetime.combine(dt.date.today(), dt.time(9, 30))
    made = api.post("/api/v1/headaches", json={"started_at": started.isoformat(), "peak": 6})
    html = " ".join(api.get("/").text.split())
    assert "A headache is still going, since" in html and "09:30, at worst 6." in html
    ended = api.post(f"/diary/{made.json()['id']}/end", data={"csrftoken": _token(api)})
    assert ended.status_code == 200  # the Diary, after the redirect
    assert "still going" not in api.get("/").text


def test_an_unknown_address_gets_a_page_and_the_api_keeps_json(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "There is no page at this address." in page.text
    assert 'href="/"' in page.text, "a way back to Today"
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_the_library_shows_each_routine_step_by_step_with_a_start(client: TestClient) -> None:
    html = client.get("/library").text
    catalog = load_catalog()
    assert html.count('class="timeline"') == len(catalog.routines), "every routine's timeline"
    for technique in catalog.techniques.values():
        assert f'aria-labelledby="{technique.id}-title' in html, f"{technique.id} drawn"
    assert "<style>" not in html, "figures take the page's colours (the CSP refuses inline style)"
    assert "How firm is light, mild, moderate?" in html and "up to about 200 g" in html
    assert "The foot reflex-zone map: a tradition" in html
    assert 'href="/check?routine=dedicated"' in html and "Start dedicated head session" in html
    assert 'href="#region-feet"' in html and 'id="region-feet"' in html


def test_a_doctors_check_is_recorded_with_the_session_and_offered_next_time(
    api: TestClient,
) -> None:
    """H13: a lasting condition a doctor has checked goes ahead, and the date is kept."""
    checked_on = str(dt.date.today() - dt.timedelta(days=30))
    token = _token(api, "/check")
    stopped = api.post(
        "/check",
        data=answered(["cancer_or_immunosuppressed", "fever"], minutes="10",
                      checked_on_cancer_or_immunosuppressed=checked_on,
                      checked_on_medication_overuse=checked_on, csrftoken=token),
    )  # fmt: skip
    assert "No massage today" in stopped.text, "today's fever still stops the session"
    [session] = api.get("/api/v1/sessions").json()
    assert session["doctor_checks"] == [f"cancer_or_immunosuppressed:{checked_on}"], (
        "a date is kept only with its yes"
    )
    html = api.get("/check").text
    assert f'name="checked_on_cancer_or_immunosuppressed" value="{checked_on}"' in html
    player = api.post(
        "/check",
        data=answered(["cancer_or_immunosuppressed"], minutes="10",
                      checked_on_cancer_or_immunosuppressed=checked_on, csrftoken=token),
    )  # fmt: skip
    assert 'id="plan-data"' in player.text and "(doctor's check: " in player.text
    assert f'"doctor_checks": ["cancer_or_immunosuppressed:{checked_on}"]' in player.text


def test_a_doctors_check_dated_in_the_future_is_refused_by_name(api: TestClient) -> None:
    token = _token(api, "/check")
    response = api.post(
        "/check",
        data=answered(["medication_overuse"], minutes="10", csrftoken=token,
                      checked_on_medication_overuse=str(dt.date.today() + dt.timedelta(days=2))),
    )  # fmt: skip
    assert response.status_code == 422 and "after today" in response.text
    assert api.get("/api/v1/sessions").json() == [], "nothing is recorded"


def test_todays_tap_keeps_the_worst_so_far_unless_it_was_a_mistake(client: TestClient) -> None:
    token = _token(client)
    client.post("/today/intensity", data={"intensity": "7", "csrftoken": token})
    lower = client.post("/today/intensity", data={"intensity": "3", "csrftoken": token})
    assert "Today's worst so far stays 7: you tapped 3" in lower.text
    assert 'aria-pressed="true">7<' in lower.text
    fixed = client.post(
        "/today/intensity", data={"intensity": "3", "correct": "yes", "csrftoken": token}
    )
    assert "Saved. Today so far: 3." in fixed.text and 'aria-pressed="true">3<' in fixed.text
    higher = client.post("/today/intensity", data={"intensity": "5", "csrftoken": token})
    assert "Saved. Today so far: 5." in higher.text


def test_an_emergency_offers_a_tap_to_call_for_the_local_number(api: TestClient) -> None:
    token = _token(api, "/check")
    stop = api.post("/check", data=answered(["sudden_worst"], minutes="10", csrftoken=token))
    assert all(f'href="tel:{n}"' in stop.text for n in ("112", "999", "911"))
    assert "Set your own number" in stop.text
    settings = {"csrftoken": _token(api, "/settings"), "theme": "dim", "chime_volume": "0.4",
                "start_delay": "5", "emergency_number": "000"}  # fmt: skip
    assert api.post("/settings", data=settings).status_code == 200
    stop = api.post("/check", data=answered(["sudden_worst"], minutes="10", csrftoken=token))
    assert 'href="tel:000"' in stop.text and 'href="tel:112"' not in stop.text
    bad = api.post("/settings", data=settings | {"emergency_number": "call"})
    assert bad.status_code == 422 and "emergency_number:" in bad.text


def test_today_says_when_a_headache_recorded_today_was_worse_than_the_tap(
    api: TestClient,
) -> None:
    token = _token(api)
    api.post("/today/intensity", data={"csrftoken": token, "intensity": "3"})
    started = (dt.datetime.now() - dt.timedelta(minutes=1)).replace(microsecond=0)
    api.post("/api/v1/headaches", json={"started_at": started.isoformat(), "peak": 7})
    html = " ".join(api.get("/").text.split())
    assert "Today so far: 3. A headache recorded today reached 7" in html
    milder = api.get("/api/v1/headaches").json()[0]["id"]
    api.post(f"/diary/{milder}", data={"csrftoken": token, "peak": "2"})  # its edit form
    assert "reached" not in " ".join(api.get("/").text.split()), "a milder one says nothing"
