"""Security headers on every response, and who may read /metrics.

Pure ASGI (no BaseHTTPMiddleware): the headers are added to the response start message, so
streaming and the Guard's early refusals get them too.
"""

from __future__ import annotations

import hmac

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.relay.config import RelaySettings, is_loopback

CONSOLE_PREFIX = "/console"
STATIC_PREFIX = "/console/static/"
# htmx and the stylesheet come from the relay itself; nothing inline, nothing framed.
CONSOLE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, settings: RelaySettings) -> None:
        self.app = app
        self.common: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]
        if settings.https:
            self.common.append((b"strict-transport-security", b"max-age=63072000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = list(self.common)
        if path.startswith(STATIC_PREFIX):
            extra.append((b"cache-control", b"public, max-age=3600"))
        else:
            # Tokens, payers and amounts: no shared or browser cache may keep a copy.
            extra.append((b"cache-control", b"no-store"))
        if path.startswith(CONSOLE_PREFIX):
            extra += [
                (b"x-frame-options", b"DENY"),
                (b"content-security-policy", CONSOLE_CSP.encode()),
            ]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in extra if name not in names
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


def may_read_metrics(request: Request, settings: RelaySettings) -> bool:
    """With a metrics token: whoever presents it. Without: a scraper on this machine only; a
    request that came through the trusted proxy is from outside even if the peer is loopback."""
    if settings.metrics_token is not None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        expected = settings.metrics_token.get_secret_value()
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), expected.encode()
        )
    if settings.trusted_forwarded_for and request.headers.get(settings.trusted_forwarded_for):
        return False
    return request.client is not None and is_loopback(request.client.host)
