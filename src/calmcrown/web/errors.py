"""Turn the core's errors into HTTP answers: 422 naming the field, 404 for a missing record."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

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


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(EntryError)
    async def entry_error(_request: Request, error: Exception) -> JSONResponse:
        problems = error.problems if isinstance(error, EntryError) else [("entry", str(error))]
        return _invalid(problems)

    @app.exception_handler(PlanError)
    async def plan_error(_request: Request, error: Exception) -> JSONResponse:
        return _invalid([("minutes", str(error))])

    @app.exception_handler(AnswersError)
    async def answers_error(_request: Request, error: Exception) -> JSONResponse:
        return _invalid([("flags", str(error))])

    @app.exception_handler(LookupError)
    async def not_found(request: Request, error: Exception) -> Response:
        message = str(error).strip("'\"")
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=404)
        # A person following an old link gets a page with a way back, not raw JSON.
        response = render(request, "not_found.html", message=message)
        response.status_code = 404
        return response
