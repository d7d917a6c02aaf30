"""Drawing a page: the templates, and the person's theme on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from calmcrown.catalog import Catalog
from calmcrown.catalog.figures import read_figure
from calmcrown.web.preferences import COOKIE, read_preferences

INSIGHT_TEMPLATES = Path(__file__).resolve().parent.parent / "insight" / "templates"

STATIC_PREFIX = "/static/"  # where create_app mounts the static files
# The analysis' own templates too: the Insights page lays it out with the report's part.
templates = Jinja2Templates(
    directory=[Path(__file__).resolve().parent / "templates", INSIGHT_TEMPLATES]
)


def static_url(path: str) -> str:
    # Not url_for: Starlette finds a mount's URL by trying every route in turn, which cost
    # about a tenth of a millisecond per link, on every page.
    return STATIC_PREFIX + path


def figure_svg(catalog: Catalog, figure_id: str) -> Markup:
    """A figure inlined into the page, coloured by the page's theme (calmcrown.css)."""
    # The SVG files are the project's own, checked by tests/catalog/test_figures.py.
    return Markup(read_figure(catalog.figure_path(figure_id)).inline)


def figure_title(catalog: Catalog, figure_id: str) -> str:
    """A figure's own title: the heading of a card that shows only the figure."""
    return read_figure(catalog.figure_path(figure_id)).title


templates.env.globals["static_url"] = static_url
templates.env.globals["figure_svg"] = figure_svg
templates.env.globals["figure_title"] = figure_title


def render(request: Request, name: str, **context: Any) -> HTMLResponse:
    # Every page is drawn in the person's theme: dim unless they chose light.
    theme = context.get("preferences", read_preferences(request.cookies.get(COOKIE))).theme
    return templates.TemplateResponse(request, name, {"theme": theme, **context})
