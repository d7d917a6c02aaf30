"""``create_app(settings)``: the web app, built from a Settings object and nothing global."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from asgi_csrf import asgi_csrf
from fastapi import FastAPI
from starlette.middleware.errors import ServerErrorMiddleware

from calmcrown import __version__
from calmcrown.catalog import load_catalog
from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.schema import ensure_schema
from calmcrown.diary.store import DiaryStore
from calmcrown.settings import Settings
from calmcrown.web.api import router as api_router
from calmcrown.web.attack_page import router as attack_router
from calmcrown.web.check_page import router as check_router
from calmcrown.web.diary_pages import router as diary_router
from calmcrown.web.diary_trouble import WEB_BUSY_TIMEOUT_MS, install_diary_trouble_handlers
from calmcrown.web.errors import install_error_handlers, something_went_wrong
from calmcrown.web.insight_pages import router as insight_router
from calmcrown.web.insight_pages import warm_up
from calmcrown.web.offline import router as offline_router
from calmcrown.web.page_render import STATIC_PREFIX
from calmcrown.web.pages import router as pages_router
from calmcrown.web.request_guard import RequestGuard
from calmcrown.web.security import (
    EveryPath,
    SameOriginGuard,
    SecurityHeaders,
    skip_csrf_middleware,
)
from calmcrown.web.static_files import MinifiedStaticFiles
from calmcrown.web.trial_page import router as trial_router

HERE = Path(__file__).resolve().parent


@asynccontextmanager
async def _warming(app: FastAPI) -> AsyncIterator[None]:
    app.state.warmed = warm_up(app.state.store, app.state.catalog)
    yield


def create_app(settings: Settings, warm: bool = False) -> SecurityHeaders:
    """The whole app, wrapped in its guards. Nothing is created before this is called.

    ``warm``: once it has started, load the Insights page's libraries in the background
    (``calmcrown serve`` does; tests, which start many apps, do not)."""
    catalog = load_catalog()
    engine = create_diary_engine(settings.database, busy_timeout_ms=WEB_BUSY_TIMEOUT_MS)
    ensure_schema(engine)
    app = FastAPI(
        title="calmcrown",
        version=__version__,
        summary="Head, scalp, neck and foot massage for headaches and stress.",
        # FastAPI's own /docs loads Swagger UI from a CDN; calmcrown serves its own page.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=_warming if warm else None,
    )
    app.state.settings = settings
    app.state.catalog = catalog
    app.state.store = DiaryStore(engine, settings.profile, routines=frozenset(catalog.routines))
    app.include_router(api_router)
    app.include_router(pages_router)
    app.include_router(check_router)
    app.include_router(offline_router)
    app.include_router(diary_router)
    app.include_router(attack_router)
    app.include_router(insight_router)
    app.include_router(trial_router)
    app.mount(
        STATIC_PREFIX.rstrip("/"), MinifiedStaticFiles(directory=HERE / "static"), name="static"
    )
    install_error_handlers(app)
    install_diary_trouble_handlers(app)
    app.state.csrf_secret = _signing_secret(settings)
    protected = asgi_csrf(
        app,
        signing_secret=app.state.csrf_secret,
        always_protect=EveryPath(),
        # This app's own Origin needs no token; an upload's token is checked by its handler.
        skip_if_scope=skip_csrf_middleware,
    )
    guarded = SameOriginGuard(RequestGuard(protected), settings.allowed_hosts)
    # FastAPI's own catch-all sits inside asgi-csrf and the guards; this one catches what
    # fails out there too, and sits inside SecurityHeaders so its answer has the headers.
    return SecurityHeaders(ServerErrorMiddleware(guarded, handler=something_went_wrong))


def _signing_secret(settings: Settings) -> str:
    """A secret kept in the data directory, so form tokens survive a restart."""
    from calmcrown.diary.private_files import make_private_if_there, tighten_folder

    path = settings.data_dir / "csrf-secret"
    # The data folder holds the diary: whatever its mode was, only its owner may enter.
    tighten_folder(settings.data_dir)
    make_private_if_there(path)
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        secret = secrets.token_urlsafe(32)
        descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        with open(descriptor, "w") as handle:
            handle.write(secret)
        return secret
