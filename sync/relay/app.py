"""The relay's ASGI app: routers, a guard (body size, rate limits), health, metrics, jobs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.exceptions import HTTPException
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.relay import (
    api_doc,
    c2b_claims,
    payments_api,
    refunds,
    terminal,
    terminal_recovery,
    terminal_settings,
    webhooks,
)
from sync.relay.auth import AuthError
from sync.relay.c2b_pull import C2BPuller
from sync.relay.checker import PaymentChecker
from sync.relay.config import RelaySettings
from sync.relay.console import routes as console
from sync.relay.context import RelayContext
from sync.relay.credentials import Credentials
from sync.relay.crypto import SecretBox, decode_master_key, load_or_create_key_file
from sync.relay.errors import error
from sync.relay.etims_reference import EtimsReferenceFetcher
from sync.relay.etims_signer import EtimsSigner
from sync.relay.middleware import SecurityHeaders, may_read_metrics
from sync.relay.notify import Hub, listen_forever
from sync.relay.sms_sender import SmsSender
from sync.relay.store.at_rest import private_sqlite_files, seal_existing
from sync.relay.store.engine import make_engine
from sync.relay.store.migrate import upgrade
from sync.relay.store.store import Store, utcnow

log = logging.getLogger(__name__)


def master_key(settings: RelaySettings, create: bool = True) -> bytes:
    if settings.master_key is not None:
        return decode_master_key(settings.master_key.get_secret_value())
    path = settings.master_key_file or settings.data_dir / "master.key"
    return load_or_create_key_file(path, create=create)


def open_store(settings: RelaySettings, migrate: bool = True) -> Store:
    engine = make_engine(settings.resolved_database_url(), settings.sqlite_synchronous)
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        database = Path(str(engine.url.database)).resolve()
        private_sqlite_files(database, own_folder=database.parent == settings.data_dir.resolve())
    if migrate:
        upgrade(engine)
    store = Store(engine, SecretBox(master_key(settings)))
    if migrate:
        sealed = seal_existing(store)
        if any(sealed.values()):
            log.info("sealed personal data written in clear by an older relay: %s", sealed)
    return store


class TokenBuckets:
    """Per-source token buckets; the relay is one process per core, so memory is enough."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        tokens, stamp = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - stamp) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > 100_000:  # forget idle sources rather than grow without end
            self._buckets.clear()
        return True


class Guard:
    """Pure ASGI (cheaper than BaseHTTPMiddleware on the webhook path): refuses bodies over the
    limit with 413 and sources over their rate with 429, before any handler runs."""

    def __init__(self, app: ASGIApp, settings: RelaySettings) -> None:
        self.app = app
        self.settings = settings
        self.max_body = settings.max_body_bytes
        self.webhook_buckets = TokenBuckets(settings.webhook_rate_per_s, settings.webhook_burst)
        self.terminal_buckets = TokenBuckets(settings.terminal_rate_per_s, settings.terminal_burst)
        self.forwarded = (
            settings.trusted_forwarded_for.lower().encode()
            if settings.trusted_forwarded_for
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        buckets = None
        if path.startswith("/api/v1/payments/webhook"):
            buckets = self.webhook_buckets
        elif path.startswith("/api/v1/terminal"):
            buckets = self.terminal_buckets
        if buckets is not None and not buckets.allow(self._source(scope)):
            await _plain(send, 429, "rate limit", {b"retry-after": b"1"})
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await _plain(send, 413, "body too large")
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _plain(send, 413, "body too large")

    def _source(self, scope: Scope) -> str:
        client = scope.get("client")
        peer = str(client[0]) if client else None
        forwarded = _header(scope, self.forwarded) if self.forwarded is not None else None
        return self.settings.client_address(peer, forwarded) or "?"


class BodyTooLarge(Exception):
    pass


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


async def _plain(
    send: Send, status: int, detail: str, extra: dict[bytes, bytes] | None = None
) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += list((extra or {}).items())
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


API_ROUTERS = (
    webhooks.router,
    webhooks.pages,
    terminal.router,
    payments_api.router,
    refunds.router,
    c2b_claims.router,
    terminal_settings.router,
    terminal_recovery.router,
)


def allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    routes = [route for router in API_ROUTERS for route in router.routes]
    for route in [*routes, *request.app.routes]:
        if isinstance(route, Route) and route.methods:
            matched, _ = route.matches(request.scope)
            if matched != Match.NONE:
                methods |= route.methods
    return sorted(methods)


async def _purge_forever(ctx: RelayContext) -> None:
    while True:
        await asyncio.sleep(3600)
        try:
            older = utcnow() - timedelta(days=ctx.settings.retention_days)
            counts = await ctx.store.run(ctx.store.purge, older)
            log.info("retention purge: %s", counts)
        except Exception:
            log.exception("retention purge failed")


def create_app(settings: RelaySettings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or RelaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = store if store is not None else await asyncio.to_thread(open_store, settings)
        ctx = RelayContext(settings, opened, Hub(), Credentials(opened, settings))
        checker = PaymentChecker(ctx)
        ctx.checker = checker
        app.state.relay = ctx
        ctx.tasks.append(asyncio.create_task(checker.run_forever()))
        signer = EtimsSigner(ctx)
        ctx.etims_signer = signer
        ctx.tasks.append(asyncio.create_task(signer.run_forever()))
        ctx.tasks.append(asyncio.create_task(EtimsReferenceFetcher(ctx).run_forever()))
        sender = SmsSender(ctx)
        ctx.sms_sender = sender
        ctx.tasks.append(asyncio.create_task(sender.run_forever()))
        ctx.tasks.append(asyncio.create_task(C2BPuller(ctx).run_forever()))
        ctx.tasks.append(asyncio.create_task(_purge_forever(ctx)))
        if not opened.sqlite:
            ready = asyncio.Event()
            url = opened.engine.url.render_as_string(hide_password=False)
            ctx.tasks.append(asyncio.create_task(listen_forever(url, ctx.hub, ready)))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ready.wait(), 10)
        try:
            yield
        finally:
            for task in ctx.tasks:
                task.cancel()
            await asyncio.gather(*ctx.tasks, return_exceptions=True)
            await ctx.credentials.aclose()
            if store is None:
                opened.close()

    docs = settings.openapi_docs
    app = FastAPI(
        title="Duka relay",
        lifespan=lifespan,
        openapi_url="/openapi.json" if docs else None,
        docs_url="/docs" if docs else None,
        redoc_url=None,
    )
    for router in API_ROUTERS:
        app.include_router(router)
    console.install(app)
    api_doc.install(app)

    @app.exception_handler(AuthError)
    async def _unauthorised(_request: Request, _exc: AuthError) -> Response:
        return error(401, "missing, unknown or revoked terminal token", "auth")

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405:
            # Starlette names only the first route that matched the path; one path often
            # has two (GET and POST /api/v1/terminal/events).
            allowed = allowed_methods(request)
            exc = HTTPException(405, exc.detail, headers={"Allow": ", ".join(allowed)})
        return await http_exception_handler(request, exc)

    @app.get("/healthz")
    async def healthz(request: Request) -> Response:
        ctx: RelayContext = request.app.state.relay

        def ping() -> None:
            with ctx.store.read() as conn:
                conn.execute(text("SELECT 1"))

        try:
            await ctx.store.run(ping)
        except Exception:
            log.exception("health check: database unreachable")
            return Response('{"status":"db_down"}', 503, media_type="application/json")
        return Response('{"status":"ok"}', media_type="application/json")

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        if not may_read_metrics(request, settings):
            return Response('{"detail":"forbidden"}', 403, media_type="application/json")
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    if settings.floor_endpoint:

        @app.post("/bench/floor")
        async def floor() -> Response:
            return Response(b"{}", media_type="application/json")

    app.add_middleware(Guard, settings=settings)
    app.add_middleware(SecurityHeaders, settings=settings)  # outermost: refusals get them too
    return app
