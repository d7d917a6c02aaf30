"""``calmcrown serve``: the web app on loopback, opening the browser unless told not to."""

from __future__ import annotations

import sys
import threading
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from calmcrown.cli.errors import fail

if TYPE_CHECKING:
    from calmcrown.diary.serving_lock import ServingLock

SWITCH_INTERVAL_S = 0.001


def serve(
    ctx: typer.Context,
    port: Annotated[
        int,
        typer.Option(min=1, max=65535, envvar="CALMCROWN_PORT", help="Port to listen on."),
    ] = 8765,
    host: Annotated[
        str,
        typer.Option(
            envvar="CALMCROWN_HOST",
            help="Loopback address to listen on (127.0.0.1, ::1 or localhost).",
        ),
    ] = "127.0.0.1",
    browser: Annotated[
        bool, typer.Option("--browser/--no-browser", help="Open the app in your browser.")
    ] = True,
) -> None:
    """Start the web app on this computer only, and open it in your browser."""
    from pydantic import ValidationError

    from calmcrown.cli.store_access import settings_from
    from calmcrown.settings import Settings

    base = settings_from(ctx)
    try:
        settings = Settings(**(base.model_dump() | {"host": host, "port": port}))
    except ValidationError as error:
        fail(f"--host: {error.errors()[0]['msg'].removeprefix('Value error, ')}")

    import uvicorn

    from calmcrown.web.app import create_app

    # Python hands the GIL over every 5 ms by default: a page or an import running in a
    # worker thread then keeps the event loop, and every request it would answer at once,
    # waiting 5 ms each time it wants to run. 1 ms keeps the health check and light pages
    # quick beside a heavy request (benchmarks/import_load.py).
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    serving = _hold_the_diary(settings.database)
    app = create_app(settings, warm=True)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/"
    typer.echo(f"calmcrown is running at {url} (Ctrl+C stops it).")
    if browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    serving.release()


def _hold_the_diary(url: str) -> ServingLock:
    """Hold the SQLite diary for the server's life, so that a restore does not swap it
    under the running server; the operating system lets go when the process ends."""
    from sqlalchemy.engine import make_url

    from calmcrown.diary.serving_lock import DiaryInUse, ServingLock, hold_while_serving

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return ServingLock(None)  # restore works on SQLite files only
    try:
        return hold_while_serving(Path(parsed.database).expanduser())
    except DiaryInUse as error:
        fail(str(error), 1)
    except OSError as error:
        fail(f"cannot lock the diary at {parsed.database} ({error.strerror})", 1)
