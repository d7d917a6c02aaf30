"""What asgi-csrf would misread or fail on is settled before it sees the request.

asgi-csrf reads the cookies and the form body itself, trusts one header blindly, and fails
with a server error on what it cannot read:

- it skips its token check for any ``Authorization: Bearer ...`` header, as if the header
  proved who sent the request. calmcrown has no Bearer tokens, so a forged form could carry
  one for free; the header is taken out of the request before asgi-csrf sees it.
- it decodes the Cookie header and a form body as UTF-8 and fails on anything else, and
  fails on a cookie name the standard library will not parse;
- it cannot parse a multipart body at all with today's python-multipart (only the diary
  import takes one, and its handler checks the token itself), nor one without a boundary.

Each of these is answered here with a 400 that says what was wrong, and nothing is saved.
A form body is read once to check it, then replayed to the app unchanged.

Bodies are bounded too, so that no request can make the server hold more than it could
ever need in memory or in a spooled upload: a form or an API call is a few kilobytes, a
diary import of 150,000 sessions 6 MB. Larger is refused with 413 before it is kept.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from calmcrown.web.security import (
    SAFE_METHODS,
    UPLOAD_PATHS,
    ASGIApp,
    Message,
    Receive,
    Scope,
    Send,
    header_value,
    send_refusal,
)

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

COOKIE_UNREADABLE = (
    "This request could not be read: a cookie is malformed (not UTF-8 text, or a name "
    "with characters a cookie may not have). "
    "Clearing this site's cookies in the browser puts it right. Nothing was saved."
)
FORM_NOT_TEXT = "The form could not be read: it is not UTF-8 text. Nothing was saved."
NO_UPLOADS_HERE = (
    "This address takes no file uploads (only the diary import does). Nothing was saved."
)
NO_BOUNDARY = (
    "The upload could not be read: its Content-Type names no multipart boundary. Nothing was saved."
)

MORE_THAN_ONE_TYPE = "The request names more than one Content-Type. Nothing was saved."

MAX_BODY_BYTES = 1_000_000
"""A form or an API call: a whole day's notes are a few kilobytes."""
MAX_UPLOAD_BYTES = 64_000_000
"""A diary import: 150,000 sessions, each with a note, make a CSV file of 6 MB."""
BODY_TOO_LARGE = "This request is larger than any diary entry (over 1 MB). Nothing was saved."
UPLOAD_TOO_LARGE = (
    "This file is larger than calmcrown imports (over 64 MB). Split it into smaller files "
    "and import each. Nothing was saved."
)


class RequestGuard:
    """Sits just outside asgi-csrf (inside the Host and Origin guard)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope = _without_authorization(scope)
        problem = _unreadable_headers(scope)
        if problem:
            await send_refusal(send, 400, problem)
            return
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        upload = _media_type(scope) == MULTIPART
        limit, too_large = (
            (MAX_UPLOAD_BYTES, UPLOAD_TOO_LARGE) if upload else (MAX_BODY_BYTES, BODY_TOO_LARGE)
        )
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await send_refusal(send, 413, too_large)
            return
        if upload:
            # Streamed to its handler, which spools it; a browser always declares its
            # length, so the bound above holds for every upload a page can send.
            await self.app(scope, receive, send)
            return
        try:
            messages = await _whole_body(receive, limit)
        except BodyTooLarge:
            await send_refusal(send, 413, too_large)
            return
        if messages is None:
            return  # the client went away before it had sent its body
        if _media_type(scope) == URLENCODED:
            try:
                b"".join(message.get("body", b"") for message in messages).decode("utf-8")
            except UnicodeDecodeError:
                await send_refusal(send, 400, FORM_NOT_TEXT)
                return
        await self.app(scope, _replay(messages, receive), send)


def _without_authorization(scope: Scope) -> Scope:
    headers = scope.get("headers", [])
    if not any(key == b"authorization" for key, _ in headers):
        return scope
    return {**scope, "headers": [(k, v) for k, v in headers if k != b"authorization"]}


def _unreadable_headers(scope: Scope) -> str | None:
    headers = scope.get("headers", [])
    if sum(key == b"content-type" for key, _ in headers) > 1:
        # asgi-csrf reads the last one, the app the first: one body, one type.
        return MORE_THAN_ONE_TYPE
    for key, value in headers:
        if key == b"cookie" and not _readable_cookie(value):
            return COOKIE_UNREADABLE
    if scope["method"] in SAFE_METHODS or _media_type(scope) != MULTIPART:
        return None
    if scope["path"] not in UPLOAD_PATHS:
        return NO_UPLOADS_HERE
    parameters = (header_value(scope, b"content-type") or "").split(";")[1:]
    boundaries = [
        p.split("=", 1)[1] for p in parameters if p.strip().lower().startswith("boundary=")
    ]
    if not boundaries or not boundaries[0].strip().strip('"'):
        return NO_BOUNDARY
    return None


def _readable_cookie(value: bytes) -> bool:
    # What asgi-csrf does with it: decode as UTF-8, then parse with the standard library,
    # which raises on a name with characters cookies may not have, such as "a<b".
    try:
        SimpleCookie().load(value.decode("utf-8"))
    except (UnicodeDecodeError, CookieError):
        return False
    return True


def _media_type(scope: Scope) -> str:
    return (header_value(scope, b"content-type") or "").split(";", 1)[0].strip().lower()


def _content_length(scope: Scope) -> int | None:
    declared = (header_value(scope, b"content-length") or "").strip()
    return int(declared) if declared.isdigit() else None


class BodyTooLarge(Exception):
    """The body went over its limit while it was read; what was read is dropped."""


async def _whole_body(receive: Receive, limit: int) -> list[Message] | None:
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        size += len(message.get("body", b""))
        if size > limit:
            raise BodyTooLarge
        messages.append(message)
        if not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()  # after the body: a disconnect, when it comes

    return replayed
