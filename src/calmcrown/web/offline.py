"""/sw.js: the service worker that keeps a loaded session running when the app is gone.

A service worker's scope cannot be wider than the path it is served from (without an
extra header), so it is served from the root rather than left to /static. The server
fills in what the worker cannot know by itself: a version, so that an upgrade replaces
the old caches, and the files to keep.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from calmcrown import __version__

router = APIRouter(include_in_schema=False)
HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
WORKER = "sw.js"
# The pages kept for when the app cannot be reached; a page is shown from that copy only
# then, and any other page visited without a query string is kept as it is seen.
PAGES = ("/", "/library", "/settings")
# The literal in sw.js that the build replaces; sw.js served as it is would run as "dev".
PLACEHOLDER = '{ version: "dev", assets: [], pages: [] }'


def build(static: Path = STATIC, also_hashed: Iterable[Path] = (TEMPLATES,)) -> dict[str, Any]:
    """The version (calmcrown's own, and a digest of every file the pages are made of)
    and the URLs the worker keeps on install."""
    digest = hashlib.sha256()
    for folder in (static, *also_hashed):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    assets = [
        f"/static/{path.relative_to(static).as_posix()}"
        for path in sorted(static.rglob("*"))
        if path.is_file() and path.name != WORKER
    ]
    return {
        "version": f"{__version__}-{digest.hexdigest()[:12]}",
        "assets": assets,
        "pages": list(PAGES),
    }


def worker_source(static: Path = STATIC, also_hashed: Iterable[Path] = (TEMPLATES,)) -> str:
    source = (static / WORKER).read_text()
    if PLACEHOLDER not in source:
        raise RuntimeError(f"{WORKER} lost its build placeholder {PLACEHOLDER!r}")
    return source.replace(PLACEHOLDER, json.dumps(build(static, also_hashed)), 1)


@router.get("/sw.js")
def service_worker() -> Response:
    # Built on every request (a few small files): an edited file changes the version at
    # once. no-cache makes the browser ask for it again before it trusts an old copy.
    return Response(
        worker_source(),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )
