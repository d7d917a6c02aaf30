"""Turn the core's errors into HTTP answers: 422 naming the field, 404 for a missing record,
and for anything unforeseen a plain 500 that says nothing more was saved."""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from calmcrown.diary.records import EntryError
from calmcrown.planner import PlanError
from calmcrown.screening import AnswersError
from calmcrown.web.page_render import render


def _invalid(problems: list[tuple[str, str]]) -> JSONResponse:
    # The same shape as FastAPI's own 422, so clients handle one format.
    detail = [
        {"loc": ["body", field], "msg": message, "type": "value_error"}
        for field, message in problems
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def _as_json_text(value: Any) -> Any:
    """The input a 422 echoes, with NaN and the infinities as text: the JSON parser takes
    ``NaN``, ``Infinity`` and ``1e400`` (which overflows to infinity), but JSON cannot carry
    them back, so echoing them as numbers would turn the 422 into a server error."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _as_json_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_json_text(item) for item in value]
    return value


def _invalid_request(error: RequestValidationError) -> JSONResponse:
    # FastAPI's own 422 body, made safe to encode. A body that is not JSON (no
    # Content-Type, or text/plain) is echoed as bytes, which FastAPI would decode as UTF-8,
    # failing on any other byte.
    as_text = {bytes: lambda raw: raw.decode("utf-8", errors="backslashreplace")}
    detail = _as_json_text(jsonable_encoder(error.errors(), custom_encoder=as_text))
    return _AsciiJSONResponse({"detail": detail}, status_code=422)


class _AsciiJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped. JSON may carry a lone surrogate as
    ``\\ud800`` (Python reads one so), but it has no UTF-8 bytes: Starlette's UTF-8 answer
    would fail on the input it echoes."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False).encode("ascii")


def _for_people(request: Request, problems: list[tuple[str, str]]) -> Response:
    """The API answers JSON; a page answers a page, naming each field and its problem."""
    if request.url.path.startswith("/api/"):
        return _invalid(problems)
    response = render(request, "refused.html", title="That did not work", problems=problems)
    response.status_code = 422
    return response


def _not_found_page(request: Request, message: str) -> Response:
    # A person following an old link gets a page with a way back, not raw JSON.
    response = render(request, "not_found.html", message=message)
    response.status_code = 404
    return response


SOMETHING_WENT_WRONG = "Something went wrong; nothing more was saved."
_SOMETHING_WENT_WRONG_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title></head>
<body><h1>Something went wrong</h1><p>{SOMETHING_WENT_WRONG}</p>
<p>What you saved before is still there. <a href="/">Back to Today</a></p></body></html>
"""


def something_went_wrong(request: Request, error: Exception) -> Response:
    """The answer to an exception nothing else handled. It is built without templates or
    the database, which may be what failed; the traceback goes to the server's log (the
    exception is raised on to the server), never into the answer."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": SOMETHING_WENT_WRONG}, status_code=500)
    return HTMLResponse(_SOMETHING_WENT_WRONG_PAGE, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Exception, something_went_wrong)

    @app.exception_handler(EntryError)
    async def entry_error(request: Request, error: Exception) -> Response:
        problems = error.problems if isinstance(error, EntryError) else [("entry", str(error))]
        return _for_people(request, problems)

    @app.exception_handler(PlanError)
    async def plan_error(request: Request, error: Exception) -> Response:
        return _for_people(request, [("minutes", str(error))])

    @app.exception_handler(AnswersError)
    async def answers_error(request: Request, error: Exception) -> Response:
        return _for_people(request, [("flags", str(error))])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: Exception) -> Response:
        if not isinstance(error, RequestValidationError):
            raise error
        if request.url.path.startswith("/api/"):
            return _invalid_request(error)
        problems = [(str(e["loc"][-1]), str(e["msg"])) for e in error.errors()]
        return _for_people(request, problems)

    @app.exception_handler(LookupError)
    async def not_found(request: Request, error: Exception) -> Response:
        message = str(error).strip("'\"")
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=404)
        return _not_found_page(request, message)

    @app.exception_handler(HTTPException)
    async def no_such_address(request: Request, error: Exception) -> Response:
        # An address no route has: a page for a person, FastAPI's JSON for the API.
        if (
            isinstance(error, HTTPException)
            and error.status_code == 404
            and not request.url.path.startswith("/api/")
        ):
            return _not_found_page(request, "There is no page at this address")
        return await http_exception_handler(request, error)  # type: ignore[arg-type]
