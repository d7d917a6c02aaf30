"""schemathesis generates requests from the OpenAPI description: none may make the app
fail with a server error, and every answer must match the description."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from calmcrown.settings import Settings
from calmcrown.web.app import create_app
from tests.web.conftest import ORIGIN

# One app for the whole module: schemathesis collects its cases at import time.
_WORK = Path(tempfile.mkdtemp(prefix="calmcrown-fuzz-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)
APP = create_app(Settings(data_dir=_WORK / "data", database_url=f"sqlite:///{_WORK / 'fuzz.db'}"))
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP, headers={"Host": "127.0.0.1"})


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request(case: schemathesis.Case) -> None:
    response = case.call(headers={"Origin": ORIGIN, "Host": "127.0.0.1:8765"})
    # The guards let these through: the request reached the API itself.
    assert response.status_code != 403 and "Unknown Host" not in response.text, response.text
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
