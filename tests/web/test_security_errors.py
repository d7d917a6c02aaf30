"""Every refusal is an answer the person's client can read: named, encodable, and with the
security headers, never a server error."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from typing import Any

import httpx2 as httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from calmcrown.web.request_guard import RequestGuard
from calmcrown.web.security import SECURITY_HEADERS, Receive, Scope, Send
from tests.web.conftest import ORIGIN
from tests.web.raw_asgi import RawResponse, call

HEALTH_DETAIL = "migraine with aura since 2019"  # what a traceback might hold

JSON_FROM_THIS_APP = [(b"origin", ORIGIN.encode()), (b"content-type", b"application/json")]
NOT_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]
NUMBER_FIELDS = [
    ("POST", "/api/v1/days", '{"date": "2026-11-01", "intensity": %s}', "intensity"),
    ("POST", "/api/v1/days", '{"date": "2026-11-01", "hours": %s}', "hours"),
    ("POST", "/api/v1/headaches", '{"started_at": "2026-11-01T10:00:00", "peak": %s}', "peak"),
    ("POST", "/api/v1/plan", '{"routine": "quick", "minutes": %s}', "minutes"),
    ("POST", "/api/v1/screen", '{"age": %s}', "age"),
]


@pytest.mark.parametrize("number", NOT_FINITE)
@pytest.mark.parametrize("method, path, template, field", NUMBER_FIELDS)
def test_a_number_json_cannot_hold_is_refused_422_naming_the_field(
    client: TestClient, number: str, method: str, path: str, template: str, field: str
) -> None:
    body = (template % number).encode()
    response = call(client.app, method, path, JSON_FROM_THIS_APP, body)
    assert response.status_code == 422, response.text
    # Strict JSON, as a browser's JSON.parse reads it: no NaN or Infinity in the answer.
    detail = json.loads(response.body, parse_constant=lambda name: pytest.fail(name))["detail"]
    assert any(problem["loc"][-1] == field for problem in detail), detail
    assert response.header("x-content-type-options") == "nosniff"
    assert client.get("/api/v1/days").json() == []
    assert client.get("/api/v1/headaches").json() == []


@pytest.mark.parametrize("content_type", [b"text/plain", b"application/xml", None])
@pytest.mark.parametrize("path", ["/api/v1/days", "/api/v1/headaches", "/api/v1/screen"])
def test_a_body_that_is_neither_json_nor_text_is_refused_422_not_a_server_error(
    client: TestClient, path: str, content_type: bytes | None
) -> None:
    headers = [(b"origin", ORIGIN.encode())]
    headers += [(b"content-type", content_type)] if content_type else []
    response = call(client.app, "POST", path, headers, b"\x80\xff not text")
    assert response.status_code == 422, response.text
    assert json.loads(response.body)["detail"][0]["loc"] == ["body"]
    assert response.header("x-content-type-options") == "nosniff"
    assert client.get("/api/v1/days").json() == []


@pytest.mark.parametrize(
    "body",
    [
        '{"date": "2026-11-01", "intensity": "\\ud800"}',
        '{"date": "2026-11-01", "\\udfff": 1}',
        '{"date": "\\ud83d"}',
    ],
)
def test_a_lone_surrogate_in_api_json_is_refused_422_and_echoed_as_an_escape(
    client: TestClient, body: str
) -> None:
    response = call(client.app, "POST", "/api/v1/days", JSON_FROM_THIS_APP, body.encode())
    assert response.status_code == 422, response.text
    assert response.body.isascii()
    assert json.loads(response.body)["detail"]
    assert client.get("/api/v1/days").json() == []


class Unforeseen(RuntimeError):
    pass


def _layers(app: Any) -> list[Any]:
    """The app and every guard around it, outermost first (asgi-csrf's wrapper keeps the
    app it wraps as ``__wrapped__``)."""
    layers = [app]
    while not isinstance(layers[-1], FastAPI):
        layer = layers[-1]
        layers.append(getattr(layer, "app", None) or layer.__wrapped__)
    return layers


def _with_failing_routes(app: Any) -> Any:
    """The app with two routes that fail unforeseen, added for this test only."""
    fastapi_app = _layers(app)[-1]

    def fail() -> None:
        raise Unforeseen(HEALTH_DETAIL)

    fastapi_app.add_api_route("/fails", fail)
    fastapi_app.add_api_route("/api/v1/fails", fail)
    return app


def _assert_security_headers(response: RawResponse) -> None:
    for name, value in SECURITY_HEADERS:
        assert response.header(name.decode()) == value.decode(), (name, response.status_code)


@pytest.mark.parametrize("path", ["/fails", "/api/v1/fails"])
def test_an_unforeseen_failure_answers_a_plain_500_with_the_security_headers(
    client: TestClient, path: str
) -> None:
    response = call(_with_failing_routes(client.app), "GET", path)
    assert response.status_code == 500
    assert "Something went wrong; nothing more was saved." in response.text
    assert HEALTH_DETAIL not in response.text and "Traceback" not in response.text
    _assert_security_headers(response)
    # Raised on to the server, which logs it (see the test below).
    assert isinstance(response.raised, Unforeseen)
    if path.startswith("/api/"):
        assert response.header("content-type") == "application/json"
    else:
        assert response.header("content-type") == "text/html; charset=utf-8"


def test_a_failure_in_the_guards_outside_fastapi_answers_500_with_the_security_headers(
    client: TestClient,
) -> None:
    async def failing_csrf_check(scope: Scope, receive: Receive, send: Send) -> None:
        raise Unforeseen(HEALTH_DETAIL)

    guard = next(layer for layer in _layers(client.app) if isinstance(layer, RequestGuard))
    guard.app = failing_csrf_check  # what asgi-csrf did on a cookie it could not read
    response = call(client.app, "GET", "/")
    assert response.status_code == 500
    assert "Something went wrong; nothing more was saved." in response.text
    assert HEALTH_DETAIL not in response.text
    _assert_security_headers(response)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_traceback_goes_to_the_server_log_not_to_the_answer(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    port = _free_port()
    # log_config=None: uvicorn leaves logging alone, so its records reach caplog.
    config = uvicorn.Config(
        _with_failing_routes(client.app), port=port, log_config=None, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            time.sleep(0.01)
        with caplog.at_level(logging.ERROR):
            response = httpx.get(f"http://127.0.0.1:{port}/fails")
    finally:
        server.should_exit = True
        thread.join()
    assert response.status_code == 500 and HEALTH_DETAIL not in response.text
    assert response.headers["x-frame-options"] == "DENY"
    logged = [r for r in caplog.records if r.exc_info and isinstance(r.exc_info[1], Unforeseen)]
    assert len(logged) == 1, caplog.text
    assert HEALTH_DETAIL in caplog.text and "Traceback" in caplog.text


def _token_and_cookie(client: TestClient) -> tuple[bytes, tuple[bytes, bytes]]:
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/").text)
    assert match
    return match[1].encode(), (b"cookie", b"csrftoken=" + match[1].encode())


FORM = (b"content-type", b"application/x-www-form-urlencoded")
OWN = (b"origin", ORIGIN.encode())


def test_every_error_answer_carries_every_security_header(client: TestClient) -> None:
    app = _with_failing_routes(client.app)
    token, cookie = _token_and_cookie(client)
    json_type = (b"content-type", b"application/json")
    bad_requests: list[tuple[int, str, str, list[tuple[bytes, bytes]], bytes, bytes]] = [
        (400, "GET", "/", [], b"", b"evil.example"),
        (400, "GET", "/", [], b"", b"127.0.0.1:8802@evil.com"),
        (403, "POST", "/api/v1/days", [(b"origin", b"http://evil.example"), json_type], b"{}", b""),
        (403, "POST", "/today/intensity", [FORM], b"intensity=5", b""),
        (403, "POST", "/today/intensity", [cookie, FORM], b"intensity=5&csrftoken=forged", b""),
        (403, "POST", "/api/v1/days", [(b"authorization", b"Bearer x"), json_type], b"{}", b""),
        (404, "GET", "/nope", [], b"", b""),
        (404, "GET", "/api/v1/nope", [], b"", b""),
        (404, "GET", "/api/v1/days/d-nope", [], b"", b""),
        (405, "GET", "/today/intensity", [], b"", b""),
        (405, "DELETE", "/api/v1/days", [OWN], b"", b""),
        (422, "POST", "/api/v1/days", [OWN, json_type], b'{"date": "someday"}', b""),
        (
            422,
            "POST",
            "/api/v1/days",
            [OWN, json_type],
            b'{"date": "2026-11-01", "hours": NaN}',
            b"",
        ),
        (
            422,
            "POST",
            "/today/intensity",
            [cookie, FORM],
            b"intensity=eleven&csrftoken=" + token,
            b"",
        ),
        (400, "GET", "/", [(b"cookie", b"a=\xff")], b"", b""),
        (
            400,
            "POST",
            "/today/intensity",
            [cookie, FORM],
            b"intensity=\xff&csrftoken=" + token,
            b"",
        ),
        (
            400,
            "POST",
            "/today/intensity",
            [OWN, (b"content-type", b"multipart/form-data; boundary=z")],
            b"--z--",
            b"",
        ),
        (400, "POST", "/diary/import", [OWN, (b"content-type", b"multipart/form-data")], b"", b""),
        (500, "GET", "/fails", [], b"", b""),
        (500, "GET", "/api/v1/fails", [], b"", b""),
    ]
    for status, method, path, headers, body, host in bad_requests:
        response = call(app, method, path, headers, body, host=host or b"127.0.0.1:8765")
        assert response.status_code == status, (method, path, response.status_code, response.text)
        _assert_security_headers(response)
