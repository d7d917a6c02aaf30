from __future__ import annotations

import datetime as dt
import json
import typing

import pytest
import schemathesis
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel
from schemathesis.specs.openapi.checks import response_schema_conformance

from calmcrown.web import api as api_models
from calmcrown.web.api import router
from tests.web.conftest import ORIGIN


def test_health_says_ok_and_is_described(api: TestClient) -> None:
    answer = api.get("/api/v1/health")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}
    assert "/api/v1/health" in api.get("/api/v1/openapi.json").json()["paths"]


def test_routines_and_techniques(api: TestClient) -> None:
    routines = api.get("/api/v1/routines").json()
    assert {"quick", "evening", "dedicated"} <= {r["id"] for r in routines}
    feet = api.get("/api/v1/techniques", params={"region": "feet"}).json()
    assert feet and {t["region"] for t in feet} == {"feet"}
    assert api.get("/api/v1/techniques", params={"region": "elbow"}).status_code == 422


def test_screen_and_plan(api: TestClient) -> None:
    verdict = api.post("/api/v1/screen", json={"flags": ["blood_thinners"]}).json()
    assert verdict["verdict"] == "adapt"
    planned = api.post(
        "/api/v1/plan", json={"routine": "evening", "minutes": 12, "flags": ["blood_thinners"]}
    ).json()
    assert planned["plan"]["total_seconds"] == 720
    assert {s["pressure"] for s in planned["plan"]["steps"]} <= {"light", None}
    stopped = api.post("/api/v1/plan", json={"routine": "evening", "flags": ["sudden_worst"]})
    assert stopped.json()["plan"] is None and stopped.json()["screening"]["verdict"] == "emergency"


def test_bad_answers_and_plans_name_the_field(api: TestClient) -> None:
    unknown = api.post("/api/v1/screen", json={"flags": ["fevr"]})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "flags"]
    short = api.post("/api/v1/plan", json={"routine": "dedicated", "minutes": 5})
    assert (
        short.status_code == 422
        and "try Quick reset at the desk" in short.json()["detail"][0]["msg"]
    )
    missing = api.post("/api/v1/plan", json={"routine": "nope"})
    assert missing.status_code == 404


def test_days_merge_validate_and_404(api: TestClient) -> None:
    first = api.post("/api/v1/days", json={"date": "2026-11-01", "intensity": 4, "sleep": 6})
    assert first.status_code == 201
    again = api.post("/api/v1/days", json={"date": "2026-11-01", "intensity": 7}).json()
    assert again["id"] == first.json()["id"] and again["sleep"] == 6
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    bad = api.post("/api/v1/days", json={"date": future, "intensity": 2})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "date"]
    assert api.get(f"/api/v1/days/{first.json()['id']}").json()["intensity"] == 7
    assert api.get("/api/v1/days/d999").status_code == 404
    assert api.get("/api/v1/days/s1").status_code == 404
    assert api.get("/api/v1/days/banana").status_code == 404


def test_headaches_and_sessions(api: TestClient) -> None:
    headache = api.post(
        "/api/v1/headaches",
        json={"started_at": "2026-11-01T08:00", "ended_at": "2026-11-01T20:00", "peak": 7,
              "side": "left", "quality": "pulsating", "nausea": True},
    )  # fmt: skip
    assert headache.status_code == 201 and headache.json()["tag"] == "migraine-like"
    backwards = api.post(
        "/api/v1/headaches", json={"started_at": "2026-11-01T08:00", "ended_at": "2026-11-01T07:00"}
    )
    assert backwards.status_code == 422
    session = api.post(
        "/api/v1/sessions",
        json={"date": "2026-11-01", "routine": "evening", "seconds": 600, "pain_before": 5,
              "pain_after": 3},
    )  # fmt: skip
    assert session.status_code == 201
    unknown = api.post(
        "/api/v1/sessions", json={"date": "2026-11-01", "routine": "evenin", "seconds": 600}
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "routine"]
    assert len(api.get("/api/v1/sessions").json()) == 1
    assert len(api.get("/api/v1/headaches").json()) == 1


def test_the_openapi_description_and_its_page(api: TestClient) -> None:
    schema = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/days" in schema["paths"]
    page = api.get("/docs")
    assert page.status_code == 200 and "/api/v1/days" in page.text


def test_the_after_check_in_edits_the_recorded_session_and_nothing_else(api: TestClient) -> None:
    session = {"date": "2026-11-20", "routine": "quick", "seconds": 300, "pain_before": 6,
               "outcome": "completed", "verdict": "clear"}  # fmt: skip
    recorded = api.post("/api/v1/sessions", json=session).json()
    edited = api.patch(f"/api/v1/sessions/{recorded['id']}", json={"pain_after": 3})
    assert edited.status_code == 200
    assert edited.json()["pain_after"] == 3 and edited.json()["pain_before"] == 6
    assert api.patch(f"/api/v1/sessions/{recorded['id']}", json={"seconds": 9}).status_code == 422
    assert (
        api.patch(f"/api/v1/sessions/{recorded['id']}", json={"pain_after": 11}).status_code == 422
    )
    assert api.patch("/api/v1/sessions/s999", json={"pain_after": 2}).status_code == 404
    day = api.post("/api/v1/days", json={"date": "2026-11-20", "intensity": 4}).json()
    assert api.patch(f"/api/v1/sessions/{day['id']}", json={"pain_after": 2}).status_code == 404
    [kept] = api.get("/api/v1/sessions").json()
    assert (kept["pain_after"], kept["seconds"]) == (3, 300)


NUL = "contains a NUL character, which a diary cannot keep"


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("/api/v1/days", {"date": "2026-11-01", "intensity": 3, "notes": "x\x00"}, "notes"),
        ("/api/v1/days", {"date": "2026-11-01", "intensity": 3, "medication": "\x00"},
         "medication"),
        ("/api/v1/headaches", {"started_at": "2026-11-01T08:00", "notes": "a\x00b"}, "notes"),
        ("/api/v1/headaches", {"started_at": "2026-11-01T08:00", "triggers": ["\x00"]},
         "triggers"),
        ("/api/v1/sessions", {"date": "2026-11-01", "routine": "quick", "seconds": 60,
                              "notes": "\x00"}, "notes"),
    ],
)  # fmt: skip
def test_a_nul_character_is_answered_422_naming_the_field_and_nothing_is_saved(
    diary_api: TestClient, path: str, body: dict[str, object], loc: str
) -> None:
    answer = diary_api.post(path, json=body)
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["detail"]
    # FastAPI puts "Value error, " before the message of a rule it checks itself.
    assert problem["loc"][1] == loc and problem["msg"].removeprefix("Value error, ") == NUL
    for listing in ("days", "headaches", "sessions"):
        assert diary_api.get(f"/api/v1/{listing}").json() == []


def _number_fields(model: type[BaseModel]) -> list[tuple[str, type]]:
    """Each field of ``model`` that holds a number, with its kind (int or float)."""
    fields = []
    for name, field in model.model_fields.items():
        kinds = _kinds(field.annotation) & {int, float}
        if kinds:
            fields.append((name, kinds.pop()))
    return fields


def _kinds(annotation: object) -> set[object]:
    """The types an annotation allows, through unions and Annotated."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _kinds(typing.get_args(annotation)[0])
    args = typing.get_args(annotation)
    return set().union(*map(_kinds, args)) if args else {annotation}


_SESSION = {"date": "2026-11-01", "routine": "quick", "seconds": 60}
# Each model the API reads, where it is posted, and a body it accepts.
_BODIES: list[tuple[type[BaseModel], str, str, dict[str, object]]] = [
    (api_models.DayIn, "POST", "/api/v1/days", {"date": "2026-11-01", "intensity": 3}),
    (api_models.HeadacheIn, "POST", "/api/v1/headaches", {"started_at": "2026-11-01T08:00"}),
    (api_models.SessionIn, "POST", "/api/v1/sessions", _SESSION),
    (api_models.SessionCheckIn, "PATCH", "/api/v1/sessions/{id}", {}),
    (api_models.Answers, "POST", "/api/v1/screen", {}),
    (api_models.PlanRequest, "POST", "/api/v1/plan", {"routine": "quick"}),
]
_CASES = [
    (model, method, path, body, name, kind)
    for model, method, path, body in _BODIES
    for name, kind in _number_fields(model)
]


def test_every_api_model_with_numbers_is_checked() -> None:
    readers = {
        route.body_field.field_info.annotation for route in router.routes
        if isinstance(route, APIRoute) and route.body_field is not None
    }  # fmt: skip
    assert readers == {model for model, *_ in _BODIES}
    assert len(_CASES) == 21, [(m.__name__, n) for m, _, _, _, n, _ in _CASES]


@pytest.mark.parametrize(
    ("model", "method", "path", "body", "name", "kind"),
    _CASES,
    ids=[f"{model.__name__}.{name}" for model, _, _, _, name, _ in _CASES],
)
def test_a_number_field_refuses_a_yes_no_and_a_text_naming_the_field(
    api: TestClient,
    model: type[BaseModel],
    method: str,
    path: str,
    body: dict[str, object],
    name: str,
    kind: type,
) -> None:
    if "{id}" in path:
        path = path.format(id=api.post("/api/v1/sessions", json=_SESSION).json()["id"])
    before = _everything(api)
    for wrong in (True, False, "5", "5.0"):
        answer = api.request(method, path, json=body | {name: wrong})
        assert answer.status_code == 422, (wrong, answer.text)
        assert [problem["loc"] for problem in answer.json()["detail"]] == [["body", name]]
    assert _everything(api) == before, "nothing was saved"
    if kind is float:  # a whole number is a number of hours too
        assert api.request(method, path, json=body | {name: 2}).status_code < 300


def _everything(api: TestClient) -> list[object]:
    return [api.get(f"/api/v1/{kind}").json() for kind in ("days", "headaches", "sessions")]


def test_the_diary_answers_match_their_description_on_either_database(
    diary_api: TestClient,
) -> None:
    """Local times, as the diary keeps them, under a description that says so; checked
    by schemathesis's own response conformance, the check that found the mismatch."""
    diary_api.post(
        "/api/v1/headaches",
        json={"started_at": "2026-11-01T10:00", "ended_at": "2026-11-01T18:30:15.250"},
    )
    going = (dt.datetime.now() - dt.timedelta(days=2)).replace(microsecond=0)
    diary_api.post("/api/v1/headaches", json={"started_at": going.isoformat()})
    diary_api.post("/api/v1/sessions", json=_SESSION | {"time": "21:05"})
    diary_api.post("/api/v1/days", json={"date": "2026-11-01", "intensity": 3})
    schema = schemathesis.openapi.from_asgi(
        "/api/v1/openapi.json", diary_api.app, headers={"Host": "127.0.0.1"}
    )
    for path in ("/api/v1/headaches", "/api/v1/sessions", "/api/v1/days"):
        case = schema[path]["GET"].Case()
        answer = case.call(headers={"Origin": ORIGIN, "Host": "127.0.0.1:8765"})
        assert answer.status_code == 200 and len(answer.json()) >= 1
        case.validate_response(answer, checks=[response_schema_conformance])
    [ended, going] = sorted(diary_api.get("/api/v1/headaches").json(), key=lambda h: h["id"])
    assert (ended["started_at"], ended["ended_at"]) == (
        "2026-11-01T10:00:00",
        "2026-11-01T18:30:15.250000",
    )
    assert going["ended_at"] is None
    assert diary_api.get("/api/v1/sessions").json()[0]["time"] == "21:05:00"


def test_the_description_calls_the_diary_times_local_with_no_offset(api: TestClient) -> None:
    schemas = api.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for model, field in (
        ("HeadacheOut", "started_at"),
        ("HeadacheIn", "ended_at"),
        ("SessionOut", "time"),
        ("SessionIn", "time"),
    ):
        described = json.dumps(schemas[model]["properties"][field])
        assert "local" in described.lower() and "no offset" in described, (model, described)
        assert '"format"' not in described, "date-time and time formats require an offset"


def test_a_headache_going_on_for_more_than_31_days_is_recorded_only_once_confirmed(
    diary_api: TestClient,
) -> None:
    forgotten = {"started_at": "1900-01-01T08:00"}
    asked = diary_api.post("/api/v1/headaches", json=forgotten)
    assert asked.status_code == 422
    [problem] = asked.json()["detail"]
    assert problem["loc"] == ["body", "ended_at"]
    assert problem["msg"].startswith("this headache has been going for ")
    assert problem["msg"].endswith(" days; give when it ended, or confirm it is still going")
    assert diary_api.get("/api/v1/headaches").json() == []
    refused = diary_api.post("/api/v1/headaches", json=forgotten | {"confirm_long": "yes"})
    assert refused.status_code == 422, "a yes/no is true or false"
    confirmed = diary_api.post("/api/v1/headaches", json=forgotten | {"confirm_long": True})
    assert confirmed.status_code == 201 and "confirm_long" not in confirmed.json()
    [kept] = diary_api.get("/api/v1/headaches").json()
    assert (kept["started_at"], kept["ended_at"]) == ("1900-01-01T08:00:00", None)
