"""/static: the app's scripts and styles, served without their comments and indentation.

The files in static/ are written to be read, comments and all; a browser needs none of
that, and the player page has a weight budget (benchmarks/web_speed.py). Each script
and style sheet is minified once per version of the file (rjsmin, rcssmin) and served
with an ETag of what is sent, so a browser's copy is revalidated as with any file.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import rcssmin  # type: ignore[import-untyped]
import rjsmin  # type: ignore[import-untyped]
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@lru_cache(maxsize=64)
def minified(path: Path, version: tuple[int, int]) -> bytes:
    """``path`` without comments and spare whitespace; ``version`` (mtime, size) makes a
    changed file minify afresh while the app runs."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":
        return str(rjsmin.jsmin(text)).encode()
    return str(rcssmin.cssmin(text)).encode()


class MinifiedStaticFiles(StaticFiles):
    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        path = Path(full_path)
        if path.suffix not in MEDIA:
            return super().file_response(full_path, stat_result, scope, status_code)
        content = minified(path, (stat_result.st_mtime_ns, stat_result.st_size))
        etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
        response = Response(
            content, status_code, headers={"etag": etag}, media_type=MEDIA[path.suffix]
        )
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response
