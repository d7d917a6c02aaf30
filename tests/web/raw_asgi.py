"""Drive the ASGI app with exact bytes, as uvicorn hands them over.

httpx and TestClient encode header values and bodies themselves, so a cookie with a
non-UTF-8 byte or a body in the wrong encoding never reaches the app through them. Here the
scope and the body are built by hand and the answer is collected message by message.

When the app raises before it has started its answer, a server has nothing to add our
headers to: it answers a bare 500 itself. That is what ``call`` returns then, so a test sees
what the person would see.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

Message = MutableMapping[str, Any]
ASGIApp = Callable[..., Awaitable[None]]

log = logging.getLogger("tests.raw_asgi")


@dataclass
class RawResponse:
    status_code: int
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""
    raised: BaseException | None = None

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode("latin-1")
        for key, value in self.headers:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def call(
    app: ASGIApp,
    method: str,
    target: str,
    headers: Sequence[tuple[bytes, bytes]] = (),
    body: bytes = b"",
    host: bytes = b"127.0.0.1:8765",
) -> RawResponse:
    """One request: ``target`` is the path and query; ``headers`` go as given, after Host
    (pass ``host=b""`` and a Host of your own to send a strange one)."""
    # The browser tests' Playwright keeps an event loop running in the main thread for the
    # whole test session: give this request a loop of its own in a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, _call(app, method, target, headers, body, host)).result()


async def _call(
    app: ASGIApp,
    method: str,
    target: str,
    headers: Sequence[tuple[bytes, bytes]],
    body: bytes,
    host: bytes,
) -> RawResponse:
    raw_path, _, query = target.encode("latin-1").partition(b"?")
    all_headers = ([(b"host", host)] if host else []) + [(k.lower(), v) for k, v in headers]
    if body and not any(key == b"content-length" for key, _ in all_headers):
        all_headers.append((b"content-length", str(len(body)).encode()))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        # uvicorn decodes the path as UTF-8 after unquoting, replacing what is not.
        "path": unquote_to_bytes(raw_path).decode("utf-8", errors="replace"),
        "raw_path": raw_path,
        "query_string": query,
        "root_path": "",
        "headers": all_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
        "state": {},
    }
    sent_body = False
    messages: list[Message] = []

    async def receive() -> Message:
        nonlocal sent_body
        if not sent_body:
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)  # the client keeps the connection open, sending nothing
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        messages.append(message)

    raised: BaseException | None = None
    try:
        await app(scope, receive, send)
    except Exception as error:  # what uvicorn does: log it, and answer if nobody did
        log.warning("the app raised %r", error)
        raised = error
    start = next((m for m in messages if m["type"] == "http.response.start"), None)
    if start is None:
        return RawResponse(status_code=500, raised=raised)
    content = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return RawResponse(
        status_code=start["status"],
        headers=[(bytes(k), bytes(v)) for k, v in start.get("headers", [])],
        body=content,
        raised=raised,
    )
