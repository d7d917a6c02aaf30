"""An attack on the phone: one tap on Today starts it, its page takes the details in taps,
and a save changes only what was tapped."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient

from calmcrown.diary.records import HeadacheEntry
from calmcrown.web.attack_page import duration_words, when_words


def _token(client: TestClient) -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/").text)
    assert match
    return match[1]


def _start(api: TestClient) -> str:
    """Tap "A headache started now"; the address of the page it opens."""
    response = api.post("/today/headache", data={"csrftoken": _token(api)}, follow_redirects=False)
    assert response.status_code == 303
    return str(response.headers["location"])


def _page_form(html: str) -> dict[str, Any]:
    """What a browser sends back for the attack form untouched: checked radios and
    boxes, the hidden copies, the medication as shown."""
    form = html.split('class="attack"')[1].split("</form>")[0]
    sent: dict[str, Any] = {}
    for name, value in re.findall(r'name="(\w+)" value="([^"]*)" checked', form):
        sent.setdefault(name, []).append(value)
    sent |= dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
    sent["medication"] = re.search(r'name="medication" rows="2">\n(.*?)</textarea>', form, re.S)[1]  # type: ignore[index]
    return sent


def _saved(api: TestClient) -> dict[str, Any]:
    [headache] = api.get("/api/v1/headaches").json()
    return dict(headache)


def test_one_tap_on_today_starts_a_headache_and_opens_its_page(api: TestClient) -> None:
    today = api.get("/").text
    assert 'action="/today/headache"' in today and "A headache started now" in today
    address = _start(api)
    assert re.fullmatch(r"/diary/h[0-9]+/attack\?notice=started", address)
    page = api.get(address).text
    started = dt.datetime.now().strftime("%H:%M")
    assert f"Saved: a headache from {started}." in page
    assert "still going" in page and "It ended now" in page
    assert " checked" not in page.split('class="attack"')[1], "nothing is preselected"
    saved = _saved(api)
    assert saved["ended_at"] is None and saved["peak"] is None


def test_while_one_is_going_today_shows_it_instead_of_a_second_start(api: TestClient) -> None:
    address = _start(api).split("?")[0]
    today = api.get("/").text
    assert "A headache is still going" in today and f'href="{address}"' in today
    assert 'action="/today/headache"' not in today
    assert _start(api) == address, "a second tap opens the same headache"
    assert len(api.get("/api/v1/headaches").json()) == 1


def test_details_are_saved_in_taps_and_what_was_not_tapped_is_kept(api: TestClient) -> None:
    address = _start(api).split("?")[0]
    token = _token(api)
    response = api.post(address, data={
        "csrftoken": token, "peak": "7", "side": "left", "nausea": "true",
        "light_sensitivity": "false", "location": ["temples", "behind the eyes"],
        "shown_location": "", "triggers": ["short sleep"], "shown_triggers": "",
        "triggers_other": "red wine, cheese; wind", "medication": "ibuprofen 400 mg",
        "shown_medication": "", "medication_helped": "partly",
    }, follow_redirects=False)  # fmt: skip
    assert response.headers["location"] == f"{address}?notice=saved"
    saved = _saved(api)
    assert (saved["peak"], saved["side"], saved["nausea"]) == (7, "left", True)
    assert saved["light_sensitivity"] is False and saved["vomiting"] is None
    assert saved["location"] == ["temples", "behind the eyes"]
    assert saved["triggers"] == ["short sleep", "red wine", "cheese", "wind"]
    assert (saved["medication"], saved["medication_helped"]) == ("ibuprofen 400 mg", "partly")
    # Later, only the side is tapped again: everything else stays as it was.
    page = api.get(address).text
    assert "Saved." in api.get(f"{address}?notice=saved").text
    form = _page_form(page)
    assert form["peak"] == ["7"] and form["location"] == ["temples", "behind the eyes"]
    assert form["triggers"] == ["short sleep", "red wine", "cheese", "wind"], "own tags shown"
    api.post(address, data=form | {"csrftoken": token, "side": "both"})
    assert _saved(api) == saved | {"side": "both", "tag": _saved(api)["tag"]}


def test_saving_untouched_changes_nothing(api: TestClient) -> None:
    address = _start(api).split("?")[0]
    another = {"started_at": "2026-01-01T08:00:00", "confirm_long": True}  # months ago
    assert api.post("/api/v1/headaches", json=another).status_code == 201
    before = [h for h in api.get("/api/v1/headaches").json() if h["ended_at"] is None]
    form = _page_form(api.get(address).text)
    response = api.post(address, data=form | {"csrftoken": _token(api)}, follow_redirects=False)
    assert response.headers["location"] == f"{address}?notice=unchanged"
    assert "Nothing new to save." in api.get(response.headers["location"]).text
    assert [h for h in api.get("/api/v1/headaches").json() if h["ended_at"] is None] == before


def test_a_page_open_while_a_trigger_was_added_elsewhere_keeps_it(api: TestClient) -> None:
    address = _start(api).split("?")[0]
    token = _token(api)
    api.post(address, data={"csrftoken": token, "triggers": ["stress"], "shown_triggers": ""})
    phone = _page_form(api.get(address).text)
    laptop = _page_form(api.get(address).text)
    api.post(address, data=laptop | {"csrftoken": token, "triggers": ["stress", "alcohol"]})
    # The phone's page still shows only "stress"; the person unticks it and saves.
    api.post(address, data=phone | {"csrftoken": token, "triggers": []})
    assert _saved(api)["triggers"] == ["alcohol"]


def test_bad_answers_are_named_and_nothing_is_saved(api: TestClient) -> None:
    address = _start(api).split("?")[0]
    token = _token(api)
    api.post(address, data={"csrftoken": token, "peak": "4"})
    response = api.post(address, data={
        "csrftoken": token, "peak": "11", "side": "up", "nausea": "true",
        "medication_helped": "maybe", "triggers": ["x" * 101],
    })  # fmt: skip
    assert response.status_code == 422
    problems = re.findall(r"<li>(.*?)</li>", response.text)
    assert "Worst so far: must be a whole number from 1 to 10, not 11" in problems
    assert any(p.startswith("Which side: ") for p in problems)
    assert any(p.startswith("Did it help after two hours: ") for p in problems)
    assert any(p.startswith("Triggers: ") for p in problems)
    names = {p.split(":")[0] for p in problems}
    assert names == {"Worst so far", "Which side", "Did it help after two hours", "Triggers"}
    assert 'name="nausea" value="true" checked' in response.text, "the taps are shown again"
    saved = _saved(api)
    assert (saved["peak"], saved["side"], saved["nausea"], saved["triggers"]) == (4, None, None, [])


def test_it_ends_now_from_its_page_and_the_page_stays(api: TestClient) -> None:
    address = _start(api).split("?")[0]
    response = api.post(address.replace("/attack", "/end"),
                        data={"csrftoken": _token(api), "then": "attack"},
                        follow_redirects=False)  # fmt: skip
    assert response.headers["location"] == f"{address}?notice=ended"
    page = api.get(response.headers["location"]).text
    assert _saved(api)["ended_at"] is not None
    assert "Saved: it ended at" in page and "It ended now" not in page
    assert 'href="/diary/h' in page and "Change the times" in page, "another end: the edit form"
    assert 'action="/today/headache"' in api.get("/").text, "Today offers a new start again"


def test_ending_at_another_time_goes_through_the_edit_form_and_its_rules(api: TestClient) -> None:
    address = _start(api).split("?")[0]
    edit = address.removesuffix("/attack")
    future = (dt.datetime.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = api.post(edit, data={"csrftoken": _token(api), "ended_at": future})
    assert response.status_code == 422
    assert f"Ended: {future[:10]} is in the future" in response.text
    assert "ended_at" not in re.sub(r"<[^>]+>", " ", response.text.split("<main")[1])
    assert _saved(api)["ended_at"] is None


def test_a_refused_end_names_the_field_in_words(api: TestClient) -> None:
    tomorrow = (dt.datetime.now() + dt.timedelta(days=1)).replace(microsecond=0)
    headache = api.post("/api/v1/headaches", json={"started_at": tomorrow.isoformat()}).json()
    response = api.post(f"/diary/{headache['id']}/end", data={"csrftoken": _token(api)})
    assert response.status_code == 422
    assert "Ended: the end is before the start" in response.text


def test_only_a_headache_has_an_attack_page(api: TestClient) -> None:
    day = api.post("/api/v1/days", json={"date": str(dt.date.today()), "intensity": 3}).json()
    assert api.get(f"/diary/{day['id']}/attack").status_code == 404
    assert api.get("/diary/h999/attack").status_code == 404


def test_a_link_cannot_put_words_on_the_page(api: TestClient) -> None:
    address = _start(api).split("?")[0]
    page = api.get(f"{address}?notice=Your%20diary%20was%20deleted").text
    assert "deleted" not in page and 'class="notice"' not in page
    assert 'class="notice"' not in api.get(f"{address}?notice=ended").text, "it has no end yet"


def test_starting_needs_the_token(client: TestClient) -> None:
    client.get("/")
    assert client.post("/today/headache", data={}).status_code == 403
    assert client.get("/api/v1/headaches").json() == []


def test_how_long_it_has_lasted_reads_plainly() -> None:
    minute = dt.timedelta(minutes=1)
    assert [duration_words(n * minute) for n in (0, 45, 60, 135, 24 * 60, 3 * 24 * 60 + 250)] == [
        "0 min", "45 min", "1 h", "2 h 15 min", "1 day", "3 days 4 h",
    ]  # fmt: skip
    assert duration_words(-5 * minute) == "0 min", "a start a little ahead (time zones)"
    now = dt.datetime(2026, 11, 22, 11, 45)
    going = HeadacheEntry(started_at=dt.datetime(2026, 11, 22, 9, 30))
    assert when_words(going, now) == "Started today at 09:30, still going: 2 h 15 min so far."
    over = HeadacheEntry(
        started_at=dt.datetime(2026, 11, 21, 22, 0), ended_at=dt.datetime(2026, 11, 22, 6, 0)
    )
    assert when_words(over, now) == "Started yesterday at 22:00, ended today at 06:00: 8 h."
    old = HeadacheEntry(
        started_at=dt.datetime(2026, 11, 3, 8, 0), ended_at=dt.datetime(2026, 11, 3, 9, 0)
    )
    assert when_words(old, now) == "Started on Tue 3 Nov at 08:00, ended at 09:00: 1 h."


def test_a_nul_character_on_the_attack_page_is_refused_and_nothing_is_saved(
    diary_api: TestClient,
) -> None:
    address = _start(diary_api).split("?")[0]
    response = diary_api.post(
        address, data={"csrftoken": _token(diary_api), "medication": "a\x00", "peak": "5"}
    )
    assert response.status_code == 422
    problems = re.findall(r"<li>(.*?)</li>", response.text)
    assert problems == ["Medication taken: contains a NUL character, which a diary cannot keep"]
    saved = _saved(diary_api)
    assert (saved["medication"], saved["peak"]) == (None, None)
