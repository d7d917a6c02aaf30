"""``calmcrown serve``: the web app on loopback, opening the browser unless told not to."""

from __future__ import annotations

import threading
import webbrowser
from typing import Annotated

import typer

from calmcrown.cli.errors import fail


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

    app = create_app(settings, warm=True)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/"
    typer.echo(f"calmcrown is running at {url} (Ctrl+C stops it).")
    if browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
