"""A diary that cannot take a write just now: busy behind another program's lock, or on
a full disk. The person is told which, and that nothing was saved, instead of a bare 500.

The answer is drawn without touching the database: the database is the trouble.
"""

from __future__ import annotations

import sqlite3

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError

from calmcrown.diary.trouble import Trouble, diary_trouble
from calmcrown.web.page_render import render

WEB_BUSY_TIMEOUT_MS = 5_000
"""How long a request waits for another program's write lock: a person looking at a
page waits seconds, not the half a minute the command line allows."""
RETRY_AFTER_S = 5

ANSWERS: dict[Trouble, tuple[int, str, str, str]] = {
    "busy": (
        503,
        "The diary is busy",
        "The diary is busy, try again in a few seconds. Nothing was saved.",
        "Another program is writing to the diary just now. Go back and send it again "
        "in a moment; your diary is safe.",
    ),
    "full": (
        507,
        "The disk is full",
        "The disk is full, nothing was saved.",
        "Free some space on this computer (empty the bin, or remove large files you do "
        "not need), then send it again. Everything saved before is still there.",
    ),
}


def trouble_response(request: Request, trouble: Trouble) -> Response:
    status, title, message, advice = ANSWERS[trouble]
    headers = {"Retry-After": str(RETRY_AFTER_S)} if trouble == "busy" else {}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    response = render(request, "diary_trouble.html", title=title, message=message, advice=advice)
    response.status_code = status
    response.headers.update(headers)
    return response


def install_diary_trouble_handlers(app: FastAPI) -> None:
    async def answer(request: Request, error: Exception) -> Response:
        trouble = diary_trouble(error)
        if trouble is None:
            raise error  # not ours: the server's own error handling takes it
        return trouble_response(request, trouble)

    for kind in (OperationalError, sqlite3.OperationalError, OSError):
        app.add_exception_handler(kind, answer)
