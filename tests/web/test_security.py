"""A local server can be reached by any page the person visits: it must refuse what did
not come from itself, and change nothing when it refuses."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import ORIGIN

PAGES = ["/", "/library", "/docs", "/check", "/static/calmcrown.css", "/api/v1/routines", "/nope"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def _days(client: TestClient) -> list[object]:
    days: list[object] = client.get("/api/v1/days").json()
    return days


def test_a_foreign_host_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/v1/days",
        json={"date": "2026-11-01", "intensity": 4},
        headers={"Host": "evil.example", "Origin": "http://evil.example"},
    )
    assert response.status_code == 400
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert _days(client) == []


def test_the_api_refuses_changes_without_this_apps_origin(client: TestClient) -> None:
    missing = client.post("/api/v1/days", json={"date": "2026-11-01", "intensity": 4})
    foreign = client.post(
        "/api/v1/days",
        json={"date": "2026-11-01", "intensity": 4},
        headers={"Origin": "http://evil.example"},
    )
    assert missing.status_code == 403 and foreign.status_code == 403
    assert _days(client) == []
    own = client.post(
        "/api/v1/days", json={"date": "2026-11-01", "intensity": 4}, headers={"Origin": ORIGIN}
    )
    assert own.status_code == 201


def _token(client: TestClient) -> str:
    page = client.get("/").text
    match = re.search(r'name="csrftoken" value="([^"]+)"', page)
    assert match
    return match[1]


def test_a_form_needs_its_csrf_token(client: TestClient) -> None:
    no_cookie = TestClient(client.app, base_url=ORIGIN)
    assert no_cookie.post("/today/intensity", data={"intensity": "5"}).status_code == 403
    token = _token(client)
    assert client.post("/today/intensity", data={"intensity": "5"}).status_code == 403
    assert (
        client.post("/today/intensity", data={"intensity": "5", "csrftoken": "forged"}).status_code
        == 403
    )
    assert _days(client) == []
    saved = client.post(
        "/today/intensity", data={"intensity": "5", "csrftoken": token}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert [d["intensity"] for d in _days(client)] == [5]  # type: ignore[index]


def test_a_form_from_another_site_is_refused_even_with_a_token(client: TestClient) -> None:
    token = _token(client)
    response = client.post(
        "/today/intensity",
        data={"intensity": "5", "csrftoken": token},
        headers={"Origin": "http://evil.example"},
    )
    assert response.status_code == 403
    assert _days(client) == []


def test_pages_load_nothing_from_other_hosts(client: TestClient) -> None:
    for path in ("/", "/library", "/docs", "/check"):
        html = client.get(path).text
        for reference in re.findall(r'(?:src|href|action)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", reference), f"{path} loads {reference}"
