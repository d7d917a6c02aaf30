"""Hostile bodies posted to every route that takes one, forms and API alike: numbers JSON
cannot hold (NaN, Infinity, 1e400), huge integers, NUL characters, lone surrogates, bytes
that are not UTF-8, wrong types, the wrong Content-Type. None may be a server error, and
every answer carries the security headers. The bodies are sent as exact bytes (see
raw_asgi), on a diary on SQLite and one on PostgreSQL."""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calmcrown.settings import Settings
from calmcrown.web.app import create_app
from calmcrown.web.security import SAFE_METHODS, SECURITY_HEADERS
from tests.diary.conftest import postgres
from tests.web.conftest import ORIGIN
from tests.web.raw_asgi import ASGIApp, RawResponse, call

__all__ = ["postgres"]  # the test session's one throwaway cluster, shared with the diary tests

EXAMPLES_PER_ROUTE = 50
CASES: Counter[str] = Counter()


@dataclass(frozen=True)
class Raw:
    """A JSON token written as it stands: Python's json module reads all of these, a
    browser's JSON.parse none but the last."""

    token: str


NUMBERS_JSON_CANNOT_HOLD = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400"]
HUGE = ["9" * 400, "-" + "9" * 400, "1" * 5000, "18446744073709551616", "-9223372036854775809"]
ODD_CHARACTERS = ["\x00", "\ud800", "\udfff", "\ufeff", "\u202e", "\x7f", "\u2028", "\U0001f600"]
PLAUSIBLE = [
    "2026-11-01",
    "2026-11-01T10:00:00",
    "1900-01-01",
    "9999-12-31T23:59:59",
    "quick",
    "left",
    "pressing",
    "self",
    "completed",
    5,
    0,
    -1,
    11,
    600,
    True,
    False,
    None,
    "",
]

# Text holding at least one of the odd characters, somewhere in it; or any text at all.
text_with_an_odd_character = st.builds(
    lambda before, odd, after: before + odd + after,
    st.text(max_size=4),
    st.sampled_from(ODD_CHARACTERS),
    st.text(max_size=4),
)
odd_text = st.one_of(
    text_with_an_odd_character, st.text(st.characters(codec=None, categories=None), max_size=12)
)
# Text and the numbers JSON cannot hold come up twice as often as the rest.
scalars = st.one_of(
    odd_text,
    st.sampled_from([Raw(t) for t in NUMBERS_JSON_CANNOT_HOLD + HUGE]),
    st.sampled_from(PLAUSIBLE),
    odd_text,
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=6,
)

spoiled_fields = st.dictionaries(
    st.sampled_from(["date", "intensity", "notes", "started_at", "peak", "seconds", "routine"]),
    json_values,
    min_size=1,
    max_size=2,
)


def to_json(value: Any) -> str:
    """JSON text, with Raw tokens as they are and lone surrogates as \\ud800 escapes."""
    if isinstance(value, Raw):
        return value.token
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k))}: {to_json(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_json(item) for item in value) + "]"
    return json.dumps(value)


def form_value(value: Any) -> bytes:
    """What a form field carries: text as UTF-8 (surrogates too, so the bytes are not
    UTF-8), JSON for the rest."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return to_json(value).encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class Target:
    app: ASGIApp
    database: str
    fields: tuple[str, ...]
    record_ids: tuple[str, ...]
    token: bytes
    valid_bodies: dict[str, dict[str, Any]]
    """For each route, a body it accepts, which a case spoils a field or two of: a bad
    value gets furthest in among good ones."""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    work = Path(tempfile.mkdtemp(prefix="calmcrown-input-fuzz-"))
    if request.param == "sqlite":
        url = f"sqlite:///{work / 'fuzz.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database("input_fuzz")
    app = create_app(Settings(data_dir=work / "data", database_url=url))
    try:
        yield _prepared(app, request.param)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        _say(
            request,
            f"input fuzz: {CASES[request.param]} random cases and "
            f"{SWEEP_CASES[request.param]} sweep cases on {request.param}",
        )


def _say(request: pytest.FixtureRequest, line: str) -> None:
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


JSON_FROM_THIS_APP = [(b"origin", ORIGIN.encode()), (b"content-type", b"application/json")]
SEED_RECORDS = [
    ("/api/v1/days", {"date": "2026-11-01", "intensity": 3, "notes": "tired"}),
    # Ended: one still going from a fixed date would, a month on, ask to be confirmed.
    (
        "/api/v1/headaches",
        {"started_at": "2026-11-01T10:00:00", "ended_at": "2026-11-01T18:00:00", "peak": 6},
    ),
    ("/api/v1/sessions", {"date": "2026-11-01", "routine": "quick", "seconds": 600}),
]


def _prepared(app: ASGIApp, database: str) -> Target:
    """A diary with a record of each kind, and every field name the app's forms and API
    know (read from its pages and its OpenAPI description)."""
    _add_records(app)
    ids = _record_ids(app)
    fields: set[str] = set()
    valid_bodies = dict(VALID_API_BODIES)
    headache_first = sorted(ids, key=lambda record_id: not record_id.startswith("h"))
    pages = ["/", "/diary", "/check", "/settings", *[f"/diary/{i}" for i in headache_first]]
    for path in [*pages, *[f"/diary/{i}/attack" for i in ids if i.startswith("h")]]:
        page = call(app, "GET", path).text
        fields |= set(re.findall(r'name="([^"]+)"', page))
        for action, fields_of_form in _forms_on(page, ids).items():
            valid_bodies.setdefault(action, fields_of_form)  # the first record's, of each form
    openapi = json.loads(call(app, "GET", "/api/v1/openapi.json").body)
    for component in openapi["components"]["schemas"].values():
        fields |= set(component.get("properties", {}))
    home = call(app, "GET", "/").text
    token = re.search(r'name="csrftoken" value="([^"]+)"', home)
    assert token
    return Target(app, database, tuple(sorted(fields)), tuple(ids), token[1].encode(), valid_bodies)


VALID_API_BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/days": {"date": "2026-11-02", "intensity": 4, "notes": "tired", "hours": 2.5},
    "/api/v1/headaches": {
        "started_at": "2026-11-02T10:00:00",
        "ended_at": "2026-11-02T18:00:00",
        "peak": 6,
        "notes": "dull",
    },
    "/api/v1/sessions": {"date": "2026-11-02", "routine": "quick", "seconds": 600},
    "/api/v1/sessions/{record_id}": {"pain_after": 2, "tension_after": 3},
    "/api/v1/plan": {"routine": "quick", "minutes": 10, "flags": []},
    "/api/v1/screen": {"flags": [], "age": 40},
}


def _forms_on(page: str, record_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each form on a page, as {its action with {record_id}: its fields as filled in}."""
    forms: dict[str, dict[str, Any]] = {}
    for action, inside in re.findall(
        r'<form[^>]*action="([^"?]+)[^"]*"[^>]*>(.*?)</form>', page, re.S
    ):
        for record_id in record_ids:
            action = action.replace(f"/{record_id}", "/{record_id}")
        fields: dict[str, Any] = {}
        for tag in re.findall(r"<(?:input|select|textarea|button)\b[^>]*>", inside):
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name and name[1] not in ("csrftoken", "file"):  # the file goes as a file
                fields.setdefault(name[1], html.unescape(value[1]) if value else "")
        forms[action] = fields
    return forms


def _records_now(target: Target) -> list[str]:
    """The ids of the records the diary holds now, after a new one of each kind: an earlier
    route may have deleted the others."""
    _add_records(target.app)
    return _record_ids(target.app)


def _add_records(app: ASGIApp) -> None:
    for path, body in SEED_RECORDS:
        created = call(app, "POST", path, JSON_FROM_THIS_APP, json.dumps(body).encode())
        assert created.status_code == 201, created.text


def _record_ids(app: ASGIApp) -> list[str]:
    return [
        record["id"]
        for kind in ("days", "headaches", "sessions")
        for record in json.loads(call(app, "GET", f"/api/v1/{kind}").body)
    ]


def _fastapi(app: Any) -> FastAPI:
    while not isinstance(app, FastAPI):
        app = getattr(app, "app", None) or app.__wrapped__
    return app


def _routes_taking_a_body() -> list[tuple[str, str]]:
    """Every (method, path) of the app but the safe methods: the forms and the API."""
    work = Path(tempfile.mkdtemp(prefix="calmcrown-routes-"))
    try:
        app = create_app(Settings(data_dir=work, database_url=f"sqlite:///{work / 'r.db'}"))
        return sorted(
            (method, route.path)
            for route in _api_routes(_fastapi(app).routes)
            for method in route.methods
            if method not in SAFE_METHODS
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    # FastAPI 0.165 keeps an included router as one entry that holds the router itself
    # (its routers are included without a prefix of their own, so the paths are whole).
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes)


ROUTES = _routes_taking_a_body()
assert len(ROUTES) > 10, ROUTES  # the forms and the API, not an empty list by accident


@st.composite
def hostile_requests(
    draw: st.DrawFn, target: Target, record_ids: list[str], method: str, path: str
) -> tuple[str, list[tuple[bytes, bytes]], bytes]:
    record_id = draw(
        st.sampled_from([*record_ids, "d-nope", "x%00", "%ff%fe", "..%2f..", "9" * 300])
    )
    url = path.replace("{record_id}", record_id)
    valid = target.valid_bodies.get(path, {})
    # Mostly one or two fields of a good body spoiled, so the bad value is what is judged;
    # sometimes a body of anything at all.
    spoiled = draw(
        st.dictionaries(
            st.sampled_from(list(valid)) if valid else st.sampled_from(target.fields),
            json_values,
            min_size=1,
            max_size=2,
        )
    )
    strays = draw(
        st.dictionaries(
            st.one_of(st.sampled_from(target.fields), odd_text), json_values, max_size=2
        )
    )
    text_fields = [key for key, value in valid.items() if isinstance(value, str)]
    odd_in_text = (
        {draw(st.sampled_from(text_fields)): draw(text_with_an_odd_character)}
        if text_fields
        else {}
    )
    chosen = draw(
        st.sampled_from(
            [
                {**valid, **spoiled},
                {**valid, **odd_in_text},  # NUL, a lone surrogate... in a free-text field
                {**valid, **spoiled, **strays},
                strays,
            ]
        )
    )
    natural = (
        "multipart" if path == "/diary/import" else "json" if path.startswith("/api/") else "form"
    )
    shape = draw(st.sampled_from([natural, natural, natural, "json", "form", "multipart", "other"]))
    # Most reach the handler with this app's Origin; some carry only the form token,
    # so asgi-csrf reads the body itself.
    with_origin = draw(st.booleans()) or shape in ("json", "other")
    headers = [(b"cookie", b"csrftoken=" + target.token)]
    headers += [(b"origin", ORIGIN.encode())] if with_origin else []
    if shape == "json":
        top = draw(st.one_of(st.just(chosen), json_values))
        body = to_json(top).encode("utf-8", "surrogatepass")
        headers.append((b"content-type", b"application/json"))
    elif shape == "form":
        pairs = [(k.encode("utf-8", "surrogatepass"), form_value(v)) for k, v in chosen.items()]
        if not with_origin:
            pairs.insert(0, (b"csrftoken", target.token))
        escaped = draw(st.booleans())  # %-escaped, or the raw bytes as they are
        body = b"&".join(
            (quote_from_bytes(k) + "=" + quote_from_bytes(v)).encode() if escaped else k + b"=" + v
            for k, v in pairs
        )
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
    elif shape == "multipart":
        file_content = draw(
            st.one_of(
                st.binary(max_size=200),
                st.builds(_diary_json, st.sampled_from(SEED_RECORDS), spoiled_fields),
                st.builds(_days_csv, st.lists(csv_cells, min_size=3, max_size=4)),
            )
        )
        filename = draw(st.sampled_from(["diary.json", "days.csv", "headaches.csv", "x.txt"]))
        body = _multipart(target.token, chosen, filename, file_content)
        headers.append((b"content-type", b"multipart/form-data; boundary=fuzzboundary"))
    else:
        body = draw(st.binary(max_size=200))
        content_type = draw(
            st.sampled_from(
                [b"text/plain", b"application/xml", b"", b"application/json; charset=latin-1"]
            )
        )
        headers.append((b"content-type", content_type))
    return url, headers, body


def _diary_json(seed: tuple[str, dict[str, Any]], spoiled: dict[str, Any]) -> bytes:
    """An import file in calmcrown's own JSON format, one record of it spoiled."""
    kind = seed[0].rsplit("/", 1)[1]
    diary = {"format": "calmcrown-diary", "version": 1, kind: [{**seed[1], **spoiled}]}
    return to_json(diary).encode("utf-8", "surrogatepass")


def _days_csv(cells: list[str]) -> bytes:
    """An import file of days in CSV: a header, and a row of cells, some of them bad."""
    return ("date,intensity,notes\n" + ",".join(cells) + "\n").encode("utf-8", "surrogatepass")


csv_cells = st.one_of(
    st.sampled_from(["2026-11-03", "4", "fine", "", '"a,b"', "=1+1"]),
    st.sampled_from(NUMBERS_JSON_CANNOT_HOLD + HUGE),
    odd_text,
)


def _multipart(token: bytes, fields: dict[str, Any], filename: str, content: bytes) -> bytes:
    parts = [(b"csrftoken", None, token)]
    parts += [(k.encode("utf-8", "surrogatepass"), None, form_value(v)) for k, v in fields.items()]
    parts.append((b"file", filename.encode(), content))
    body = b""
    for name, file_name, value in parts:
        disposition = b'form-data; name="' + name.replace(b'"', b"") + b'"'
        if file_name is not None:
            disposition += b'; filename="' + file_name + b'"'
        body += b"--fuzzboundary\r\nContent-Disposition: " + disposition + b"\r\n\r\n"
        body += value + b"\r\n"
    return body + b"--fuzzboundary--\r\n"


def _assert_answered_safely(response: RawResponse, method: str, url: str) -> None:
    assert response.status_code < 500, (method, url, response.status_code, response.text[:300])
    for name, value in SECURITY_HEADERS:
        assert response.header(name.decode()) == value.decode(), (method, url, name)


@pytest.mark.parametrize("method, path", ROUTES)
def test_no_hostile_body_makes_a_server_error(target: Target, method: str, path: str) -> None:
    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(request=hostile_requests(target, _records_now(target), method, path))
    def posted(request: tuple[str, list[tuple[bytes, bytes]], bytes]) -> None:
        url, headers, body = request
        CASES[target.database] += 1
        response = call(target.app, method, url, headers, body)
        _assert_answered_safely(response, method, url)

    posted()


# Every odd value in every field of a good body, one at a time: where the random search
# above may miss one field, this sweep misses none.
ODD_VALUES: list[Any] = [
    *(f"a{character}b" for character in ODD_CHARACTERS),
    *(Raw(token) for token in NUMBERS_JSON_CANNOT_HOLD + HUGE),
    [],
    {},
    True,
    None,
    1.5,
]
SWEEP_CASES: Counter[str] = Counter()


def _good_body_with(
    target: Target, path: str, field: str, value: Any
) -> tuple[list[tuple[bytes, bytes]], bytes]:
    valid = {**target.valid_bodies[path], field: value}
    if path.startswith("/api/"):
        return JSON_FROM_THIS_APP, to_json(valid).encode("utf-8", "surrogatepass")
    form = [(b"origin", ORIGIN.encode()), (b"content-type", b"application/x-www-form-urlencoded")]
    body = "&".join(
        quote_from_bytes(k.encode()) + "=" + quote_from_bytes(form_value(v))
        for k, v in valid.items()
    )
    return form, body.encode()


def _import_files() -> Iterator[tuple[str, str, bytes]]:
    """Import files in both formats, each with one odd value in one field or cell: what
    the file holds, its name, its content."""
    for value in ODD_VALUES:
        for seed in SEED_RECORDS:
            for field in [*seed[1], "notes"]:
                kind = seed[0].rsplit("/", 1)[1]
                label = f"diary.json {kind}.{field}={value!r}"
                yield label, "diary.json", _diary_json(seed, {field: value})
        cell = value if isinstance(value, str) else to_json(value)
        for column, name in enumerate(["date", "intensity", "notes"]):
            cells = ["2026-11-03", "4", "fine"]
            cells[column] = cell
            yield f"days.csv {name}={cell!r}", "days.csv", _days_csv(cells)


@pytest.mark.parametrize("method, path", ROUTES)
def test_no_odd_value_in_any_field_of_a_good_body_makes_a_server_error(
    target: Target, method: str, path: str
) -> None:
    record_ids = _records_now(target)
    # The record of the kind whose page the good body came from: a headache's form was
    # read first, for the edit and the attack pages alike (see _prepared).
    url = path.replace("{record_id}", next(i for i in reversed(record_ids) if i.startswith("h")))
    if path == "/diary/import":
        cookie = (b"cookie", b"csrftoken=" + target.token)
        multipart = (b"content-type", b"multipart/form-data; boundary=fuzzboundary")
        requests = [
            (label, [cookie, multipart], _multipart(target.token, {}, name, content))
            for label, name, content in _import_files()
        ]
    else:
        fields = target.valid_bodies.get(path, {})
        requests = [
            (f"{field}={value!r}", *_good_body_with(target, path, field, value))
            for field in fields
            for value in ODD_VALUES
        ]
    failures = []
    for label, headers, body in requests:
        SWEEP_CASES[target.database] += 1
        response = call(target.app, method, url, headers, body)
        missing = [n for n, v in SECURITY_HEADERS if response.header(n.decode()) != v.decode()]
        if response.status_code >= 500 or missing:
            failures.append(f"{label}: {response.status_code} {response.raised!r:.120}")
    assert failures == [], f"{len(failures)} of {len(requests)} failed:\n" + "\n".join(failures)


ODD_QUERY_VALUES = [
    "%00",
    "a%00b",
    "%ff",
    "%ed%a0%80",  # a lone surrogate, as UTF-8 would spell one
    "%0d%0aSet-Cookie:%20x=1",
    "NaN",
    "1e400",
    "9" * 400,
    "-1",
    "2026-02-30",
    "0000-01-01",
    "[]",
]
ODD_PATH_SEGMENTS = ["%00", "%ff", "%ed%a0%80", "9" * 300, "d-1", "..%2f.."]
# Query parameters pages read from the request themselves, besides those routes declare.
READ_BY_PAGES = ("routine", "minutes", "added", "imported", "notice", "partner", "month")


def _pages_and_their_queries() -> list[tuple[str, tuple[str, ...]]]:
    work = Path(tempfile.mkdtemp(prefix="calmcrown-routes-"))
    try:
        app = create_app(Settings(data_dir=work, database_url=f"sqlite:///{work / 'r.db'}"))
        return sorted(
            (route.path, tuple(q.alias for q in route.dependant.query_params))
            for route in _api_routes(_fastapi(app).routes)
            if "GET" in route.methods
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize(
    "path, declared", [pytest.param(*page, id=page[0]) for page in _pages_and_their_queries()]
)
def test_no_odd_query_or_address_makes_a_server_error(
    target: Target, path: str, declared: tuple[str, ...]
) -> None:
    record_ids = _records_now(target)
    addresses = [re.sub(r"\{[^}]+\}", segment, path) for segment in ODD_PATH_SEGMENTS]
    if "{record_id}" in path:
        newest = {record_id[0]: record_id for record_id in record_ids}  # one of each kind
        addresses += [path.replace("{record_id}", record_id) for record_id in newest.values()]
    if "{" not in path:
        addresses = [path]
    # Every odd value in each parameter the route declares; the worst three in the rest.
    queries = [(name, value) for name in declared for value in ODD_QUERY_VALUES]
    queries += [(n, v) for n in READ_BY_PAGES for v in ("a%00b", "%ff", "9" * 400)]
    failures = []
    for address in addresses:
        for name, value in queries:
            SWEEP_CASES[target.database] += 1
            response = call(target.app, "GET", f"{address}?{name}={value}")
            if response.status_code >= 500 or any(
                response.header(n.decode()) != v.decode() for n, v in SECURITY_HEADERS
            ):
                failures.append(
                    f"{address}?{name}={value[:20]}: {response.status_code} "
                    f"{response.raised!r:.100}"
                )
    assert failures == [], f"{len(failures)} failed:\n" + "\n".join(failures)
