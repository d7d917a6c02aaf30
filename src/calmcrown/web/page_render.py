"""Drawing a page: the templates, and the person's theme on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from calmcrown.web.preferences import COOKIE, read_preferences

STATIC_PREFIX = "/static/"  # where create_app mounts the static files
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


def static_url(path: str) -> str:
    # Not url_for: Starlette finds a mount's URL by trying every route in turn, which cost
    # about a tenth of a millisecond per link, on every page.
    return STATIC_PREFIX + path


templates.env.globals["static_url"] = static_url


def render(request: Request, name: str, **context: Any) -> HTMLResponse:
    # Every page is drawn in the person's theme: dim unless they chose light.
    theme = context.get("preferences", read_preferences(request.cookies.get(COOKIE))).theme
    return templates.TemplateResponse(request, name, {"theme": theme, **context})
