"""Every refusal is an answer the person's client can read: named, encodable, and with the
security headers, never a server error."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import ORIGIN
from tests.web.raw_asgi import call

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
