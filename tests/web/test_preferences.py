from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader

from calmcrown.web.preferences import COOKIE, Preferences, cookie_value, read_preferences
from tests.web.check_form import answered


def _token(client: TestClient) -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/settings").text)
    assert match
    return match[1]


def test_preferences_survive_their_cookie_and_bad_cookies_fall_back() -> None:
    chosen = Preferences(theme="light", voice=False, chime_volume=0.2, start_delay=10)
    assert read_preferences(cookie_value(chosen)) == chosen
    assert read_preferences("not base64 at all!") == Preferences()
    assert read_preferences(None).theme == "dim"


def test_saving_settings_changes_the_theme_and_the_player(client: TestClient) -> None:
    token = _token(client)
    saved = client.post(
        "/settings",
        data={"csrftoken": token, "theme": "light", "chime_volume": "0.7", "start_delay": "12",
              "giver": "partner"},
    )  # fmt: skip
    assert saved.status_code == 200 and "Saved on this device." in saved.text
    assert COOKIE in saved.cookies
    assert 'data-theme="light"' in client.get("/").text
    player = client.post("/check", data=answered(minutes="10", csrftoken=token)).text
    assert '"start_delay": 12' in player and '"voice": false' in player
    assert '"partner_mode": true' in player, "partner mode adds pressure checks"
    assert '"routine": "feet"' in player, "ten minutes with a partner is a partner routine"


def test_a_cookie_from_before_who_gives_the_massage_keeps_partner_mode() -> None:
    old = Preferences.model_validate({"theme": "dim", "partner_mode": True})
    assert old.giver == "partner" and old.partner_mode
    assert Preferences.model_validate({"partner_mode": False}).giver == "self"


def test_bad_settings_are_refused_naming_the_field(client: TestClient) -> None:
    token = _token(client)
    response = client.post(
        "/settings", data={"csrftoken": token, "theme": "neon", "start_delay": "600"}
    )
    assert response.status_code == 422
    assert "theme:" in response.text and "start_delay:" in response.text
    assert 'data-theme="dim"' in client.get("/").text, "nothing changed"


def test_a_name_given_in_settings_is_printed_on_the_report(client: TestClient) -> None:
    unnamed = PdfReader(io.BytesIO(client.get("/insights/report.pdf").content))
    assert "Name not given" in (unnamed.pages[0].extract_text() or "")
    token = _token(client)
    saved = client.post(
        "/settings",
        data={"csrftoken": token, "theme": "dim", "chime_volume": "0.4", "start_delay": "5",
              "name": "  Ada   Lovelace "},
    )  # fmt: skip
    assert saved.status_code == 200 and 'value="Ada Lovelace"' in saved.text
    named = PdfReader(io.BytesIO(client.get("/insights/report.pdf").content))
    assert "Ada Lovelace" in (named.pages[0].extract_text() or "")


def test_a_name_with_a_control_character_is_refused_by_name(client: TestClient) -> None:
    token = _token(client)
    response = client.post(
        "/settings",
        data={"csrftoken": token, "theme": "dim", "chime_volume": "0.4", "start_delay": "5",
              "name": "Ada\x1b[31m"},
    )  # fmt: skip
    assert response.status_code == 422 and "name:" in response.text
    assert read_preferences(client.cookies.get(COOKIE)).name == ""


def test_the_chime_volume_is_chosen_in_words(client: TestClient) -> None:
    page = client.get("/settings").text
    assert '<option value="0.4" selected>medium</option>' in page
    assert 'type="number" name="chime_volume"' not in page
    client.cookies.set(COOKIE, cookie_value(Preferences(chime_volume=0.3)))
    assert (
        '<option value="0.3" selected>as set before (30%)</option>' in client.get("/settings").text
    ), "a volume set before keeps its place"
