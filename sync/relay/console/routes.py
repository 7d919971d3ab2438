"""The owner's console under /console: server-rendered pages (Jinja2, a little htmx), behind
e-mail + password + TOTP, with CSRF tokens on every POST; an owner sees only their shops."""

from __future__ import annotations

import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import segno
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy import Row

from sync.protocol import PaymentState, Provider, RelayRefundRequest
from sync.providers.phones import mask_payer
from sync.providers.testmode import TEST_INSTRUCTIONS
from sync.relay.auth import Till
from sync.relay.console.i18n import LANGUAGES, pick_language, translator
from sync.relay.console.security import CookieSigner, password_matches, totp_step
from sync.relay.context import RelayContext, relay
from sync.relay.credentials import credential_fields, test_mode_of
from sync.relay.observability import scrub
from sync.relay.owner_actions import (
    KeyOfTheOtherMode,
    MissingCredentials,
    OwnerActionRefused,
    owner_actor,
    replay_parked,
    revoke_till,
    set_test_mode,
    store_credentials,
)
from sync.relay.refunding import refund_payment
from sync.relay.store.etims_overview import etims_overview
from sync.relay.store.owners import Owners, Session
from sync.relay.store.store import utcnow

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(prefix="/console", include_in_schema=False)
CONSOLE_PROVIDERS = {
    Provider.MPESA: "M-Pesa",
    Provider.PAYSTACK: "Paystack",
    Provider.FLUTTERWAVE: "Flutterwave",
    Provider.STRIPE: "Stripe",
}
SIGN_IN_TTL = timedelta(minutes=10)


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message


class SignInNeeded(Exception):
    pass


@dataclass
class Visit:
    """One request to the console: the relay, the session (if any), the signed-in owner."""

    ctx: RelayContext
    session: Session | None
    owner: Row[Any] | None
    language: str

    @property
    def owners(self) -> Owners:
        return self.ctx.owners

    @property
    def actor(self) -> str:
        assert self.owner is not None
        return owner_actor(self.owner.email)


def cookie_name(ctx: RelayContext) -> str:
    # __Host-: the browser keeps it only if Secure, for this host and path /, not a subdomain's.
    return "__Host-duka_console" if ctx.settings.https else "duka_console"


def signer(ctx: RelayContext) -> CookieSigner:
    return CookieSigner(ctx.store.box)


async def visit(request: Request) -> Visit:
    ctx = relay(request)
    session: Session | None = None
    owner: Row[Any] | None = None
    cookie = request.cookies.get(cookie_name(ctx))
    session_id = signer(ctx).unsign(cookie) if cookie else None
    if session_id is not None:
        session = await ctx.store.run(ctx.owners.session, session_id)
    if session is not None and session.owner_id is not None:
        owner = await ctx.store.run(ctx.owners.owner, session.owner_id)
    chosen = owner.language if owner is not None and session and session.stage == "full" else None
    language = pick_language(chosen, request.headers.get("accept-language"))
    return Visit(ctx, session, owner, language)


async def signed_in(request: Request) -> Visit:
    v = await visit(request)
    if v.session is None or v.session.stage != "full" or v.owner is None:
        raise SignInNeeded
    return v


async def checked_form(request: Request, v: Visit) -> dict[str, str]:
    """The POSTed form, once its CSRF token matched the session's."""
    form = await request.form()
    values = {key: str(value) for key, value in form.items()}
    given = values.get("csrf", "").encode()
    if v.session is None or not hmac.compare_digest(given, v.session.csrf.encode()):
        raise Refused(403, "forbidden")
    return values


async def owned_shop(v: Visit, shop_id: str) -> Row[Any]:
    assert v.owner is not None
    if not await v.ctx.store.run(v.owners.owns, v.owner.id, shop_id):
        raise Refused(403, "forbidden")
    shop = await v.ctx.store.run(v.ctx.store.shop, shop_id)
    assert shop is not None, "owner_shops points at shops"
    return shop


def start_session(
    response: Response, v: Visit, owner_id: str | None, stage: str, ttl: timedelta
) -> Session:
    """A NEW session id at every step of the sign-in: an id planted before it (fixation) is
    worth nothing after it."""
    if v.session is not None:
        v.owners.end_session(v.session.id)
    session = v.owners.create_session(owner_id, stage, ttl)
    response.set_cookie(
        cookie_name(v.ctx),
        signer(v.ctx).sign(session.id),
        max_age=int(ttl.total_seconds()),
        path="/",
        secure=v.ctx.settings.https,
        httponly=True,
        samesite="strict",
    )
    v.session = session
    return session


def render(
    request: Request, v: Visit, template: str, status: int = 200, **values: Any
) -> HTMLResponse:
    zone = ZoneInfo(v.ctx.settings.console_time_zone)
    shops = v.owners.shops_of(v.owner.id) if v.owner is not None and _full(v) else []
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "t": translator(v.language),
            "lang": v.language,
            "other_lang": next(x for x in LANGUAGES if x != v.language),
            "csrf": v.session.csrf if v.session else "",
            "owner": v.owner if _full(v) else None,
            "shops": shops,
            "local": lambda at: "" if at is None else at.astimezone(zone).strftime("%d %b %H:%M"),
            "money": money,
            "payer": mask_payer,
            "done": request.query_params.get("done"),
            **values,
        },
        status_code=status,
    )


def _full(v: Visit) -> bool:
    return v.session is not None and v.session.stage == "full"


def money(amount_minor: int | None, currency: str | None) -> str:
    if amount_minor is None:
        return ""
    sign = "-" if amount_minor < 0 else ""
    whole, cents = divmod(abs(amount_minor), 100)
    return f"{currency or ''} {sign}{whole:,}.{cents:02d}".strip()


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ---- sign-in ---------------------------------------------------------------------------------


@router.get("/login")
async def login_page(request: Request) -> Response:
    v = await visit(request)
    if _full(v):
        return redirect("/console/")
    cookie = Response()
    if v.session is None or v.session.stage != "anon":
        start_session(cookie, v, None, "anon", SIGN_IN_TTL)
    response = render(request, v, "login.html")
    response.raw_headers.extend(h for h in cookie.raw_headers if h[0] == b"set-cookie")
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    v = await visit(request)
    form = await checked_form(request, v)
    settings = v.ctx.settings
    owner = await v.ctx.store.run(v.owners.owner_by_email, form.get("email", ""))
    if owner is not None and owner.locked_until is not None and owner.locked_until > utcnow():
        return render(request, v, "login.html", 429, problem="locked")
    stored = owner.password_hash if owner is not None else None
    if not password_matches(stored, form.get("password", "")):
        if owner is not None:
            await v.ctx.store.run(
                v.owners.record_failure,
                owner.id,
                settings.console_max_failures,
                settings.console_lockout_s,
            )
        return render(request, v, "login.html", 401, problem="bad_credentials")
    assert owner is not None
    response = redirect("/console/totp")
    start_session(response, v, owner.id, "totp", SIGN_IN_TTL)
    return response


@router.get("/totp")
async def totp_page(request: Request) -> Response:
    v = await visit(request)
    if v.session is None or v.session.stage != "totp":
        return redirect("/console/login")
    return render(request, v, "totp.html")


@router.post("/totp")
async def totp(request: Request) -> Response:
    v = await visit(request)
    form = await checked_form(request, v)
    if v.session is None or v.session.stage != "totp" or v.owner is None:
        return redirect("/console/login")
    owner, settings = v.owner, v.ctx.settings
    if owner.locked_until is not None and owner.locked_until > utcnow():
        return render(request, v, "totp.html", 429, problem="locked")
    secret = v.owners.totp_secret(owner)
    step = totp_step(secret, form.get("code", ""), owner.totp_last_step)
    if step is None:
        await v.ctx.store.run(
            v.owners.record_failure, owner.id, settings.console_max_failures,
            settings.console_lockout_s,
        )  # fmt: skip
        return render(request, v, "totp.html", 401, problem="bad_code")
    await v.ctx.store.run(v.owners.record_sign_in, owner.id, step)
    response = redirect("/console/")
    start_session(response, v, owner.id, "full", timedelta(hours=settings.console_session_hours))
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    v = await visit(request)
    await checked_form(request, v)
    if v.session is not None:
        await v.ctx.store.run(v.owners.end_session, v.session.id)
    response = redirect("/console/login")
    response.delete_cookie(cookie_name(v.ctx), path="/")
    return response


@router.post("/language")
async def language(request: Request) -> Response:
    v = await signed_in(request)
    form = await checked_form(request, v)
    chosen = form.get("language", "en")
    if chosen in LANGUAGES and v.owner is not None:
        await v.ctx.store.run(v.owners.set_language, v.owner.id, chosen)
    return redirect(form.get("back", "/console/") if form.get("back", "").startswith(
        "/console/") else "/console/")  # fmt: skip


# ---- pages -----------------------------------------------------------------------------------


@router.get("/")
async def home(request: Request) -> Response:
    v = await signed_in(request)
    assert v.owner is not None
    shops = await v.ctx.store.run(v.owners.shops_of, v.owner.id)
    if len(shops) == 1:
        return redirect(f"/console/shops/{shops[0].id}")
    return render(request, v, "shops.html")


@router.get("/shops/{shop_id}")
async def overview(request: Request, shop_id: str) -> Response:
    v = await signed_in(request)
    shop = await owned_shop(v, shop_id)
    zone = ZoneInfo(v.ctx.settings.console_time_zone)
    midnight = datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    month_start = midnight - timedelta(days=29)
    today = await v.ctx.store.run(v.owners.cash_takings, shop_id, midnight)
    today += await v.ctx.store.run(v.owners.takings, shop_id, midnight)
    month = await v.ctx.store.run(v.owners.cash_takings, shop_id, month_start)
    month += await v.ctx.store.run(v.owners.takings, shop_id, month_start)
    parked = await v.ctx.store.run(v.ctx.store.parked, shop_id)
    return render(
        request, v, "overview.html", shop=shop, page="overview",
        periods=[("today", today), ("last_30_days", month)], open_parked=len(parked),
    )  # fmt: skip


@router.get("/shops/{shop_id}/payments")
async def payments(request: Request, shop_id: str) -> Response:
    v = await signed_in(request)
    shop = await owned_shop(v, shop_id)
    return await _payments_page(request, v, shop)


async def _payments_page(
    request: Request, v: Visit, shop: Row[Any], status: int = 200, problem: str | None = None
) -> Response:
    rows = await v.ctx.store.run(v.owners.payments, shop.id)
    limit = await v.ctx.store.run(v.owners.refund_limit, shop.id)
    # Above the tills' limit only the owner refunds; a fresh refund id per form, so that a
    # form sent twice refunds once.
    refundable = {
        p.payment_id: str(uuid.uuid4())
        for p, _ in rows
        if p.provider == Provider.PAYSTACK.value
        and p.state == PaymentState.PAID.value
        and limit is not None
        and p.amount_minor > limit
    }
    return render(
        request, v, "payments.html", status, shop=shop, page="payments", payments=rows,
        refundable=refundable, problem_text=problem,
    )  # fmt: skip


@router.post("/shops/{shop_id}/payments/{payment_id}/refund")
async def owner_refund(request: Request, shop_id: str, payment_id: str) -> Response:
    """A refund above the tills' limit, by the owner, through the tills' refund path."""
    v = await signed_in(request)
    form = await checked_form(request, v)
    shop = await owned_shop(v, shop_id)
    assert v.owner is not None
    t = translator(v.language)
    payment = await v.ctx.store.run(v.ctx.store.payment, payment_id)
    if payment is None or payment.shop_id != shop_id:
        raise Refused(404, "not_found")
    amount_minor = minor_units(form.get("amount", ""))
    try:
        refund_id = uuid.UUID(form.get("refund_id", ""))
    except ValueError:
        raise Refused(422, "not_found") from None
    if amount_minor is None:
        return await _payments_page(request, v, shop, 422, t["bad_amount"])
    asked = RelayRefundRequest(
        refund_id=refund_id, amount_minor=amount_minor, currency=payment.currency,
        reason=form.get("reason", "").strip()[:200] or None,
    )  # fmt: skip
    # The idempotency row names who asked: the owner's id where a till's would be.
    caller = Till(v.owner.id, shop_id, v.actor)
    body = asked.model_dump_json().encode()
    reply = await refund_payment(
        v.ctx, caller, payment_id, asked, body, str(refund_id), owner=v.actor
    )
    if reply.status_code != 200:
        detail = json.loads(bytes(reply.body))["detail"]
        return await _payments_page(request, v, shop, reply.status_code, str(detail))
    return redirect(f"/console/shops/{shop_id}/payments?done=1")


def minor_units(text: str) -> int | None:
    """ "1,500" or "1500.50" (the shop's currency, two decimals) -> minor units; None if not
    a positive amount."""
    whole, _, cents = text.strip().replace(",", "").partition(".")
    if not whole.isdigit() or len(cents) > 2 or (cents and not cents.isdigit()):
        return None
    amount = int(whole) * 100 + int(cents.ljust(2, "0") or 0)
    return amount if amount > 0 else None


@router.get("/shops/{shop_id}/parked")
async def parked(request: Request, shop_id: str) -> Response:
    v = await signed_in(request)
    shop = await owned_shop(v, shop_id)
    items = await v.ctx.store.run(v.ctx.store.parked, shop_id)
    return render(
        request, v, "parked.html", shop=shop, page="parked",
        items=[(item, scrub(json.dumps(item.summary, default=str))) for item in items],
    )  # fmt: skip


@router.post("/shops/{shop_id}/parked/{parked_id}/replay")
async def replay(request: Request, shop_id: str, parked_id: int) -> Response:
    v = await signed_in(request)
    form = await checked_form(request, v)
    await owned_shop(v, shop_id)
    item = await v.ctx.store.run(v.ctx.store.parked_item, parked_id)
    if item is None or item.shop_id != shop_id:
        raise Refused(404, "not_found")
    to_shop = form.get("to_shop") or None
    if to_shop == shop_id:
        to_shop = None
    if to_shop is not None:
        await owned_shop(v, to_shop)  # only to another shop of the same owner
    try:
        await replay_parked(request.app, v.ctx.store, parked_id, to_shop, v.actor)
    except OwnerActionRefused as exc:
        raise Refused(409, str(exc)) from None
    return redirect(f"/console/shops/{shop_id}/parked?done=1")


@router.get("/shops/{shop_id}/tills")
async def tills(request: Request, shop_id: str) -> Response:
    v = await signed_in(request)
    shop = await owned_shop(v, shop_id)
    return await _tills_page(request, v, shop)


async def _tills_page(
    request: Request, v: Visit, shop: Row[Any], code: str | None = None
) -> Response:
    rows = await v.ctx.store.run(v.owners.tills_overview, shop.id)
    qr = None
    if code is not None:
        link = f"duka://pair?relay={quote(v.ctx.settings.public_base_url, safe='')}&code={code}"
        # segno draws the SVG from our own link: markup safe to inline.
        qr = Markup(segno.make(link, error="m").svg_inline(scale=5, border=2))
    return render(
        request, v, "tills.html", shop=shop, page="tills", tills=rows, code=code, qr=qr,
        minutes=v.ctx.settings.pairing_code_ttl_s // 60,
    )  # fmt: skip


@router.post("/shops/{shop_id}/tills/pair")
async def pair_till(request: Request, shop_id: str) -> Response:
    v = await signed_in(request)
    await checked_form(request, v)
    shop = await owned_shop(v, shop_id)
    code = await v.ctx.store.run(
        v.ctx.store.create_pairing_code, shop_id, v.ctx.settings.pairing_code_ttl_s, v.actor
    )
    return await _tills_page(request, v, shop, code)


@router.post("/shops/{shop_id}/tills/{till_id}/revoke")
async def revoke(request: Request, shop_id: str, till_id: str) -> Response:
    v = await signed_in(request)
    await checked_form(request, v)
    await owned_shop(v, shop_id)
    if not await v.ctx.store.run(revoke_till, v.ctx, shop_id, till_id, v.actor):
        raise Refused(404, "not_found")
    return redirect(f"/console/shops/{shop_id}/tills?done=1")


@router.get("/shops/{shop_id}/etims")
async def etims(request: Request, shop_id: str) -> Response:
    v = await signed_in(request)
    shop = await owned_shop(v, shop_id)
    overview = await v.ctx.store.run(etims_overview, v.ctx.store, shop_id)
    return render(request, v, "etims.html", shop=shop, page="etims", etims=overview)


@router.get("/shops/{shop_id}/providers")
async def providers(request: Request, shop_id: str) -> Response:
    v = await signed_in(request)
    shop = await owned_shop(v, shop_id)
    return await _providers_page(request, v, shop)


async def _providers_page(
    request: Request, v: Visit, shop: Row[Any], status: int = 200, problem: str | None = None
) -> Response:
    stored = await v.ctx.store.run(v.owners.has_credentials, shop.id)
    rows = [
        {
            "provider": p.value,
            "title": title,
            "test_mode": test_mode_of(shop, p),
            "test_set": (p.value, "test") in stored,
            "live_set": (p.value, "live") in stored,
            "instructions": TEST_INSTRUCTIONS.get(p.value),
            "fields": credential_fields(p.value),
        }
        for p, title in CONSOLE_PROVIDERS.items()
    ]
    limit = await v.ctx.store.run(v.owners.refund_limit, shop.id)
    return render(
        request, v, "providers.html", status, shop=shop, page="providers", providers=rows,
        refund_limit="" if limit is None else f"{limit // 100}", problem_text=problem,
    )  # fmt: skip


@router.post("/shops/{shop_id}/providers/{provider}/mode")
async def provider_mode(request: Request, shop_id: str, provider: str) -> Response:
    v = await signed_in(request)
    form = await checked_form(request, v)
    shop = await owned_shop(v, shop_id)
    if provider not in {p.value for p in CONSOLE_PROVIDERS} or form.get("mode") not in (
        "test",
        "live",
    ):
        raise Refused(404, "not_found")
    try:
        await v.ctx.store.run(
            set_test_mode, v.ctx, shop_id, Provider(provider), form["mode"] == "test", v.actor
        )
    except OwnerActionRefused as exc:
        return await _providers_page(request, v, shop, 409, str(exc))
    return redirect(f"/console/shops/{shop_id}/providers?done=1")


@router.post("/shops/{shop_id}/providers/{provider}/credentials")
async def provider_credentials(request: Request, shop_id: str, provider: str) -> Response:
    """Fields left empty keep what is stored (the form never holds a stored value, so the
    owner can change one key without typing the others again)."""
    v = await signed_in(request)
    form = await checked_form(request, v)
    shop = await owned_shop(v, shop_id)
    mode = form.get("mode")
    if provider not in {p.value for p in CONSOLE_PROVIDERS} or mode not in ("test", "live"):
        raise Refused(404, "not_found")
    stored = await v.ctx.store.run(v.ctx.store.credentials, shop_id, provider, mode)
    secrets, base_url = stored if stored is not None else ({}, None)
    given = {n: form[n].strip() for n in credential_fields(provider) if form.get(n, "").strip()}
    t = translator(v.language)
    try:
        await v.ctx.store.run(
            store_credentials, v.ctx.store, shop_id, provider, mode, secrets | given, base_url,
            v.actor,
        )  # fmt: skip
    except MissingCredentials as exc:
        missing = ", ".join(t[f"field_{name}"] for name in exc.fields)
        return await _providers_page(request, v, shop, 422, f"{t['fields_missing']}: {missing}")
    except KeyOfTheOtherMode:
        return await _providers_page(request, v, shop, 422, t[f"key_not_{mode}"])
    return redirect(f"/console/shops/{shop_id}/providers?done=1")


@router.post("/shops/{shop_id}/refund-limit")
async def refund_limit(request: Request, shop_id: str) -> Response:
    v = await signed_in(request)
    form = await checked_form(request, v)
    await owned_shop(v, shop_id)
    text = form.get("limit", "").strip().replace(",", "")
    if text and not text.isdigit():
        raise Refused(422, "not_found")
    limit = int(text) * 100 if text else None  # whole shillings / naira on the form
    await v.ctx.store.run(v.owners.set_refund_limit, shop_id, limit, v.actor)
    return redirect(f"/console/shops/{shop_id}/providers?done=1")


@router.get("/shops/{shop_id}/audit")
async def audit(request: Request, shop_id: str) -> Response:
    v = await signed_in(request)
    shop = await owned_shop(v, shop_id)
    entries = await v.ctx.store.run(v.owners.audit, shop_id)
    return render(
        request, v, "audit.html", shop=shop, page="audit",
        entries=[(e, scrub(json.dumps(e.detail, default=str))) for e in entries],
    )  # fmt: skip


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")

    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, _exc: SignInNeeded) -> Response:
        if request.method in ("GET", "HEAD"):
            return redirect("/console/login")
        # An owner action without an owner's session (a till token, a script): refused.
        v = await visit(request)
        return render(request, v, "error.html", 403, message=translator(v.language)["forbidden"])

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        v = await visit(request)
        t = translator(v.language)
        return render(request, v, "error.html", exc.status, message=t.get(exc.message, exc.message))
