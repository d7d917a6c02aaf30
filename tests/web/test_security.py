"""A local server can be reached by any page the person visits: it must refuse what did
not come from itself, and change nothing when it refuses."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from calmcrown.web.security import CONTENT_SECURITY_POLICY
from tests.web.conftest import ORIGIN
from tests.web.raw_asgi import RawResponse, call

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


def test_a_bearer_header_does_not_stand_in_for_the_csrf_token(client: TestClient) -> None:
    # calmcrown has no Bearer tokens; asgi-csrf on its own skips its check for any of them.
    bearer = {"Authorization": "Bearer x"}
    no_cookie = TestClient(client.app, base_url=ORIGIN)
    assert (
        no_cookie.post("/today/intensity", data={"intensity": "5"}, headers=bearer).status_code
        == 403
    )
    _token(client)  # now the client holds a csrftoken cookie, but sends no token
    assert (
        client.post("/today/intensity", data={"intensity": "5"}, headers=bearer).status_code == 403
    )
    api = client.post("/api/v1/days", json={"date": "2026-11-01", "intensity": 4}, headers=bearer)
    assert api.status_code == 403
    assert _days(client) == []


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


@pytest.mark.parametrize(
    "host",
    [
        b"127.0.0.1:8802@evil.com",
        b"user@127.0.0.1:8765",
        b"127.0.0.1:8765/evil",
        b"127.0.0.1 :8765",
        b"127.0.0.1:80 80",
        b"127.0.0.1:",
        b"127.0.0.1:http",
        b"127.0.0.1:99999",
        b"127.0.0.1:-1",
        b"[::1]x:8765",
        b"[::1",
        b"",
    ],
)
def test_a_host_that_is_not_a_plain_name_and_port_is_refused(
    client: TestClient, host: bytes
) -> None:
    response = call(client.app, "GET", "/", host=host)
    assert response.status_code == 400, response.text
    assert "Unknown Host" in response.text
    refused = call(
        client.app,
        "POST",
        "/api/v1/days",
        [(b"origin", b"http://" + host), (b"content-type", b"application/json")],
        b'{"date": "2026-11-01", "intensity": 4}',
        host=host,
    )
    assert refused.status_code == 400
    assert _days(client) == []


@pytest.mark.parametrize(
    "host", [b"127.0.0.1", b"127.0.0.1:8765", b"LOCALHOST:8765", b"localhost", b"[::1]:8765"]
)
def test_a_known_name_with_or_without_a_port_is_served(client: TestClient, host: bytes) -> None:
    assert call(client.app, "GET", "/", host=host).status_code == 200


FORM = (b"content-type", b"application/x-www-form-urlencoded")
OWN_ORIGIN = (b"origin", ORIGIN.encode())
MULTIPART_FORM = b'--zz\r\nContent-Disposition: form-data; name="intensity"\r\n\r\n5\r\n--zz--\r\n'


def _signed_cookie(client: TestClient) -> tuple[bytes, bytes]:
    token = _token(client)
    return (b"cookie", b"csrftoken=" + token.encode())


def _assert_refused_plainly(response: RawResponse, words: str) -> None:
    assert response.status_code == 400, (response.status_code, response.text)
    assert words in response.text
    assert "Nothing was saved" in response.text
    assert response.header("content-security-policy") == CONTENT_SECURITY_POLICY
    assert response.header("x-content-type-options") == "nosniff"
    assert response.header("x-frame-options") == "DENY"


@pytest.mark.parametrize("cookie", [b"a=\xff", b"a<b=1", b"(=1"])
@pytest.mark.parametrize("method, path", [("GET", "/"), ("POST", "/today/intensity")])
def test_a_cookie_asgi_csrf_cannot_read_is_answered_400_not_a_server_error(
    client: TestClient, method: str, path: str, cookie: bytes
) -> None:
    response = call(client.app, method, path, [(b"cookie", cookie), FORM], b"intensity=5")
    _assert_refused_plainly(response, "cookie")
    assert _days(client) == []


@pytest.mark.parametrize("own_origin", [False, True])
def test_a_form_that_is_not_utf8_is_answered_400_and_saves_nothing(
    client: TestClient, own_origin: bool
) -> None:
    headers = [_signed_cookie(client), FORM] + ([OWN_ORIGIN] if own_origin else [])
    token = _token(client).encode()
    body = b"csrftoken=" + token + b"&intensity=5&notes=caf\xe9"
    _assert_refused_plainly(call(client.app, "POST", "/today/intensity", headers, body), "form")
    assert _days(client) == []


def test_a_form_that_is_utf8_still_passes_the_guard_with_its_token(client: TestClient) -> None:
    token = _token(client).encode()
    body = b"csrftoken=" + token + b"&intensity=5"
    response = call(client.app, "POST", "/today/intensity", [_signed_cookie(client), FORM], body)
    assert response.status_code == 303
    assert [d["intensity"] for d in _days(client)] == [5]  # type: ignore[index]


@pytest.mark.parametrize("path", ["/today/intensity", "/api/v1/days", "/attack", "/nope"])
@pytest.mark.parametrize("own_origin", [False, True])
def test_a_multipart_post_anywhere_but_the_import_is_answered_400(
    client: TestClient, path: str, own_origin: bool
) -> None:
    headers = [_signed_cookie(client), (b"content-type", b"multipart/form-data; boundary=zz")]
    headers += [OWN_ORIGIN] if own_origin else []
    response = call(client.app, "POST", path, headers, MULTIPART_FORM)
    _assert_refused_plainly(response, "takes no file uploads")
    assert _days(client) == []


@pytest.mark.parametrize("path", ["/today/intensity", "/diary/import"])
@pytest.mark.parametrize(
    "content_type",
    [
        b"multipart/form-data",
        b"multipart/form-data; charset=utf-8",
        b"multipart/form-data; boundary=",
    ],
)
def test_a_multipart_post_without_a_boundary_is_answered_400(
    client: TestClient, path: str, content_type: bytes
) -> None:
    headers = [_signed_cookie(client), (b"content-type", content_type)]
    response = call(client.app, "POST", path, headers, MULTIPART_FORM)
    _assert_refused_plainly(response, "could not be read" if path == "/diary/import" else "uploads")


def test_a_request_with_two_content_types_is_answered_400(client: TestClient) -> None:
    headers = [
        _signed_cookie(client),
        (b"content-type", b"application/json"),
        (b"content-type", b"multipart/form-data; boundary=zz"),
    ]
    response = call(client.app, "POST", "/today/intensity", headers, MULTIPART_FORM)
    _assert_refused_plainly(response, "more than one Content-Type")


def _assert_too_large(response: RawResponse, words: str) -> None:
    assert response.status_code == 413, (response.status_code, response.text)
    assert words in response.text and "Nothing was saved" in response.text
    assert response.header("x-content-type-options") == "nosniff"


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "streamed"])
def test_a_form_or_api_body_over_a_megabyte_is_refused_413_and_saves_nothing(
    client: TestClient, declared: bool
) -> None:
    token = _token(client).encode()
    note = b"x" * 1_000_001
    form = b"csrftoken=" + token + b"&intensity=5&notes=" + note
    api = b'{"date": "2026-11-20", "intensity": 5, "notes": "' + note + b'"}'
    # A body sent without announcing its length is counted as it arrives.
    length = [] if declared else [(b"content-length", b"40")]
    for path, kind, body in (
        ("/today/intensity", FORM, form),
        ("/api/v1/days", (b"content-type", b"application/json"), api),
    ):
        headers = [_signed_cookie(client), kind, OWN_ORIGIN, *length]
        _assert_too_large(call(client.app, "POST", path, headers, body), "over 1 MB")
    assert _days(client) == []


def test_an_upload_declared_over_64_megabytes_is_refused_before_it_is_read(
    client: TestClient,
) -> None:
    headers = [
        _signed_cookie(client),
        (b"content-type", b"multipart/form-data; boundary=zz"),
        (b"content-length", b"64000001"),
    ]
    response = call(client.app, "POST", "/diary/import", headers, MULTIPART_FORM)
    _assert_too_large(response, "Split it into smaller files")


def test_a_body_within_the_limit_is_taken_whole(client: TestClient) -> None:
    token = _token(client).encode()
    body = b"csrftoken=" + token + b"&intensity=4&notes=" + b"y" * 900_000
    response = call(client.app, "POST", "/today/intensity", [_signed_cookie(client), FORM], body)
    assert response.status_code == 303, response.text[:300]
    assert [d["intensity"] for d in _days(client)] == [4]  # type: ignore[index]
