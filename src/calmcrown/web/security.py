"""Guards for a server that any web page the person visits could try to reach.

A local server is open to DNS rebinding (a foreign name resolving to 127.0.0.1) and to
cross-site requests from other tabs. So: only known Host names are served; a
state-changing request must carry this app's own Origin, or the CSRF token that only
this app's pages know (in a form field or an X-CSRFToken header); and every response
forbids framing, sniffing, referrers and scripts from anywhere but the app itself.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

# asgi-csrf's cookie and the salt it signs with (its defaults, which calmcrown keeps).
CSRF_COOKIE = "csrftoken"
CSRF_NAMESPACE = "csrftoken"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
API_PREFIX = "/api/"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


def header_value(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def send_refusal(send: Send, status: int, message: str) -> None:
    body = message.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Adds the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {key.lower() for key, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


class SameOriginGuard:
    """Refuses unknown Host names, and state-changing requests from other origins.

    The API must be called with this app's Origin; forms are left to the CSRF token
    (checked by asgi-csrf after this), but a foreign Origin on a form is refused here too.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed_hosts = frozenset(host.lower() for host in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = (header_value(scope, b"host") or "").lower()
        if _host_name(host) not in self.allowed_hosts:
            await send_refusal(send, 400, "Unknown Host: calmcrown answers only to its own names.")
            return
        if scope["method"] not in SAFE_METHODS:
            origin = (header_value(scope, b"origin") or "").lower()
            if origin in _own_origins(host):
                scope[SAME_ORIGIN] = True
            elif origin not in ("", "null"):
                await send_refusal(send, 403, "Refused: the request came from another site.")
                return
            # No Origin, or "null" (what browsers send under Referrer-Policy: no-referrer):
            # the CSRF token decides, checked by asgi-csrf after this.
        await self.app(scope, receive, send)


# A Host header is a name, or a bracketed IPv6 address, and an optional port of digits:
# nothing else. "127.0.0.1:8802@evil.com" must not pass as 127.0.0.1 because of where it
# happens to be split, so the whole header must match, or it is refused.
_HOST = re.compile(
    r"(?P<name>[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{1,5}))?"
)


def _host_name(host: str) -> str | None:
    """The name in a Host header such as ``localhost:8765`` or ``[::1]:8765``; None when the
    header is not a plain name and port."""
    match = _HOST.fullmatch(host)
    if match is None or int(match["port"] or 0) > 65535:
        return None
    return match["name"]


def _own_origins(host: str) -> set[str]:
    return {f"http://{host}", f"https://{host}"}


SAME_ORIGIN = "calmcrown.same_origin"


def came_from_this_app(scope: Scope) -> bool:
    """For asgi-csrf's skip_if_scope: a request carrying this app's own Origin is safe."""
    return bool(scope.get(SAME_ORIGIN))


# File uploads whose form token the handler checks itself (check_upload_token): asgi-csrf
# 0.11 parses multipart bodies with an argument python-multipart no longer takes
# (FileClass), so for a browser's own form post (Origin "null") it would fail with a
# server error. Everything else stays with asgi-csrf.
UPLOAD_PATHS = frozenset({"/diary/import"})
UPLOAD_TOKEN_PENDING = "calmcrown.upload_token_pending"


def skip_csrf_middleware(scope: Scope) -> bool:
    """asgi-csrf's skip_if_scope: this app's own Origin, or an upload checked later."""
    if came_from_this_app(scope):
        return True
    content_type = (header_value(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
    if scope["path"] in UPLOAD_PATHS and content_type == "multipart/form-data":
        scope[UPLOAD_TOKEN_PENDING] = True
        return True
    return False


def check_upload_token(scope: Scope, form_token: str | None, cookie: str | None,
                       secret: str) -> bool:  # fmt: skip
    """The double-submit check asgi-csrf makes, for an upload it let through: the form's
    token equals the cookie, and the cookie carries this app's signature."""
    if not scope.get(UPLOAD_TOKEN_PENDING):
        return True  # came with this app's Origin, or asgi-csrf already checked it
    if not form_token or not cookie:
        return False
    # As bytes: compare_digest raises TypeError on a str with non-ASCII characters.
    if not hmac.compare_digest(form_token.encode(), cookie.encode()):
        return False
    try:
        URLSafeSerializer(secret).loads(cookie, CSRF_NAMESPACE)
    except BadSignature:
        return False
    return True


class EveryPath:
    """For asgi-csrf's always_protect: protect every form, with or without cookies.

    asgi-csrf skips requests that carry no cookies, reasoning that a forged request
    needs the victim's cookies; calmcrown has no login cookie to steal, so a forged
    form would work without any, and must be refused all the same.
    """

    def __contains__(self, path: object) -> bool:
        return True
