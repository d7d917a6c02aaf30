"""schemathesis generates requests from the OpenAPI description, valid ones and invalid
ones (wrong types, NUL characters, strings of every kind): none may make the app fail with
a server error, and every answer must match the description. The same run goes against a
diary on SQLite and one on PostgreSQL, since the two refuse different things."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from calmcrown.settings import Settings
from calmcrown.web.app import create_app
from tests.pg_cluster import start_cluster
from tests.web.conftest import ORIGIN

# One app per database for the whole module: schemathesis collects its cases at import
# time, so the apps (and the PostgreSQL cluster) are made then, and removed at exit.
# (schemathesis.pytest.from_fixture would make them lazily, but fails on pytest 9.)
_WORK = Path(tempfile.mkdtemp(prefix="calmcrown-fuzz-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)
_CLUSTER = start_cluster()
atexit.register(_CLUSTER.stop)
DATABASES = {
    "sqlite": f"sqlite:///{_WORK / 'fuzz.db'}",
    "postgresql": _CLUSTER.create_database("fuzz"),
}
SCHEMAS = {
    name: schemathesis.openapi.from_asgi(
        "/api/v1/openapi.json",
        create_app(Settings(data_dir=_WORK / name, database_url=url)),
        headers={"Host": "127.0.0.1"},
    )
    for name, url in DATABASES.items()
}
CASES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def count_of_cases(request: pytest.FixtureRequest) -> Iterator[None]:
    """Says how many cases ran on each database, once the module is done."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        for name in DATABASES:
            reporter.write_line(f"schemathesis: {CASES[name]} cases on {name}")


def _call_and_check(case: schemathesis.Case, database: str) -> None:
    CASES[database] += 1
    response = case.call(headers={"Origin": ORIGIN, "Host": "127.0.0.1:8765"})
    # The guards let these through: the request reached the API itself.
    assert response.status_code != 403 and "Unknown Host" not in response.text, response.text
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


@SCHEMAS["sqlite"].parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_on_sqlite_answers_every_generated_request(case: schemathesis.Case) -> None:
    _call_and_check(case, "sqlite")


@SCHEMAS["postgresql"].parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_on_postgresql_answers_every_generated_request(case: schemathesis.Case) -> None:
    _call_and_check(case, "postgresql")
