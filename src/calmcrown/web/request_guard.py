"""What asgi-csrf would misread is settled before it sees the request.

asgi-csrf reads the cookies and the form body itself, and trusts one header blindly:

- it skips its token check for any ``Authorization: Bearer ...`` header, as if the header
  proved who sent the request. calmcrown has no Bearer tokens, so a forged form could carry
  one for free; the header is taken out of the request before asgi-csrf sees it.
"""

from __future__ import annotations

from calmcrown.web.security import ASGIApp, Receive, Scope, Send


class RequestGuard:
    """Sits just outside asgi-csrf (inside the Host and Origin guard)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(_without_authorization(scope), receive, send)


def _without_authorization(scope: Scope) -> Scope:
    headers = scope.get("headers", [])
    if not any(key == b"authorization" for key, _ in headers):
        return scope
    return {**scope, "headers": [(k, v) for k, v in headers if k != b"authorization"]}
