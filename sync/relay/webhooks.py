"""Provider webhooks: store raw first, then deduplicate, verify and number, in one transaction.

Daraja's paths carry the shop's secret token (sync.relay.webhook_paths). The hosted-page
providers (Paystack, Flutterwave, Stripe) post to `/{provider}/{shop_id}`; the provider's
client (sync.providers, through the interface) checks the signature with each of the shop's
secrets and parses the body, and every outcome is verified through the provider's API
(PaymentChecker) before a till hears of it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection, Row, update

from sync.protocol import (
    LINK_PROVIDERS,
    MAX_INT64,
    PaymentChannel,
    PaymentState,
    Provider,
)
from sync.providers.base import (
    PaymentOutcome,
    ProviderNotification,
    ProviderPayloadError,
    WebhookSignatureError,
)
from sync.providers.daraja import (
    c2b_validation_reply,
    parse_c2b,
    parse_stk_callback,
    parse_transaction_status_result,
)
from sync.providers.phones import mask_payer
from sync.relay.c2b_confirmed import c2b_dedup_key, confirmed_c2b
from sync.relay.config import PAYSTACK_WEBHOOK_IPS
from sync.relay.context import RelayContext, relay
from sync.relay.observability import WEBHOOKS
from sync.relay.outcomes import OUTCOME_STATUS
from sync.relay.store import schema as t
from sync.relay.store.store import (
    Decision,
    EventDraft,
    Ignored,
    ParkDraft,
    Pending,
    RawWebhook,
    Store,
    utcnow,
)
from sync.relay.webhook_paths import RETURN_PATH, WEBHOOK_PREFIX

log = logging.getLogger(__name__)
P = TypeVar("P")  # what a provider callback parses into
router = APIRouter(prefix=WEBHOOK_PREFIX)
pages = APIRouter()  # for the customer's browser, not for providers
KEPT_HEADERS = (
    "content-type",
    "user-agent",
    "x-forwarded-for",
    "x-paystack-signature",
    "verif-hash",
    "flutterwave-signature",
    "stripe-signature",
)
# Providers that publish the addresses their webhooks come from (checked when ip_allowlist).
WEBHOOK_SOURCES: dict[Provider, tuple[str, ...]] = {Provider.PAYSTACK: PAYSTACK_WEBHOOK_IPS}
# Hosted-page outcomes the relay acts on; anything else (refunds, transfers, a Stripe session
# completed but still unpaid) is only stored.
_FINAL = frozenset(OUTCOME_STATUS)
# Payment states after which a success on the same page is money with no sale behind it.
_GAVE_UP = frozenset(
    {PaymentState.FAILED.value, PaymentState.CANCELLED.value, PaymentState.EXPIRED.value}
)
DARAJA_ACK = b'{"ResultCode":0,"ResultDesc":"Accepted"}'


def _json(status: int, body: dict[str, Any]) -> Response:
    return Response(json.dumps(body), status_code=status, media_type="application/json")


class Refusal(Exception):
    """A webhook answered with an error status; it is still stored raw with this verdict."""

    def __init__(self, raw: RawWebhook, status: int, verdict: str, detail: str) -> None:
        super().__init__(detail)
        self.raw, self.status, self.verdict, self.detail = raw, status, verdict, detail


async def _receive(
    request: Request,
    ctx: RelayContext,
    provider: str,
    kind: str,
    shop_id: str | None,
    allowed: Callable[[str | None], bool],
) -> RawWebhook:
    """Read the body and the facts worth keeping; refuse what is not JSON from an allowed IP."""
    body = await request.body()
    headers = {k: v for k, v in request.headers.items() if k in KEPT_HEADERS}
    raw = RawWebhook(provider, kind, shop_id, ctx.client_ip(request), headers, body)
    if not allowed(raw.source_ip):
        raise Refusal(raw, 403, "rejected", "source IP not in the provider's list")
    content_type = request.headers.get("content-type", "")
    if not content_type.split(";")[0].strip().lower().endswith("json"):
        raise Refusal(raw, 415, "rejected", "content type is not JSON")
    return raw


def _malformed(raw: RawWebhook, exc: ProviderPayloadError) -> Refusal:
    return Refusal(raw, 400, "malformed", exc.detail or "malformed body")


async def _refused(ctx: RelayContext, refusal: Refusal) -> Response:
    raw = refusal.raw
    await ctx.store.run(ctx.store.reject_webhook, raw, refusal.verdict, refusal.detail)
    WEBHOOKS.labels(raw.provider, raw.kind, refusal.verdict).inc()
    log.info("webhook %s/%s refused: %s", raw.provider, raw.kind, refusal.detail)
    return _json(refusal.status, {"detail": refusal.detail})


def _anyone(_ip: str | None) -> bool:
    return True


def _shop_by_token(ctx: RelayContext, token: str) -> Row[Any] | None:
    return ctx.store.shop_by_webhook_token(token) if len(token) == 48 else None


async def _receive_daraja(
    request: Request, token: str, kind: str, parse: Callable[[bytes], P]
) -> tuple[Row[Any], RawWebhook, P] | Response:
    """The shop the URL token names, the raw callback and what `parse` reads in it; or the
    refusal (unknown token, source, content type, malformed body)."""
    ctx = relay(request)
    shop = await ctx.store.run(_shop_by_token, ctx, token)
    if shop is None:
        return _json(404, {"detail": "unknown shop"})
    try:
        settings = ctx.settings
        guarded = settings.ip_allowlist or (
            settings.ip_allowlist is None and not shop.mpesa_test_mode
        )
        allowed = settings.from_safaricom if guarded else _anyone
        raw = await _receive(request, ctx, "mpesa", kind, shop.id, allowed)
        try:
            parsed = parse(raw.body)
        except ProviderPayloadError as exc:
            raise _malformed(raw, exc) from None
        if not 0 <= (getattr(parsed, "amount_minor", None) or 0) <= MAX_INT64:
            raise Refusal(raw, 400, "malformed", "amount out of range")
        return shop, raw, parsed
    except Refusal as refusal:
        return await _refused(ctx, refusal)


# ------------------------------------------------------------------------------ M-Pesa STK


@router.post("/mobile/{token}/stk")
@router.post("/mobile/{token}/stk/{payment_id}")
async def mpesa_stk(request: Request, token: str, payment_id: str | None = None) -> Response:
    received = await _receive_daraja(request, token, "stk_callback", parse_stk_callback)
    if isinstance(received, Response):
        return received
    shop, raw, callback = received
    ctx = relay(request)

    def decide(conn: Connection) -> Decision:
        if payment_id is not None:
            payment = ctx.store.payment_in(conn, shop.id, payment_id)
        else:
            payment = ctx.store.payment_by_checkout(conn, shop.id, callback.checkout_request_id)
        summary = {
            "checkout_request_id": callback.checkout_request_id,
            "result_code": callback.result_code,
            "amount_minor": callback.amount_minor,
            "receipt": callback.receipt_number,
        }
        if payment is None or (
            payment.checkout_request_id not in (None, callback.checkout_request_id)
        ):
            return ParkDraft(
                "unknown_reference", f"mpesa:stk:{callback.checkout_request_id}", summary
            )
        if payment.state != PaymentState.PENDING.value:  # final, or never started (error)
            return Ignored("duplicate")
        if payment.checkout_request_id is None and ctx.store.payment_by_checkout(
            conn, shop.id, callback.checkout_request_id
        ):
            # The relay died before saving this push's id, and the callback names another
            # payment's push: not this payment's outcome.
            return ParkDraft(
                "unknown_reference", f"mpesa:stk:{callback.checkout_request_id}", summary
            )
        if callback.amount_minor not in (None, payment.amount_minor):
            return ParkDraft(
                "amount_mismatch",
                f"mpesa:stk:{callback.checkout_request_id}",
                {**summary, "expected_minor": payment.amount_minor},
            )
        # Daraja signs nothing, so the callback is a claim: the checker asks STK Query (for the
        # push the relay started, on the shop's shortcode) before any till hears an outcome.
        return Pending(
            payment.payment_id,
            checkout_request_id=callback.checkout_request_id,
            receipt=callback.receipt_number,
        )

    return await _ingest(ctx, raw, decide, DARAJA_ACK)


# ------------------------------------------------------------------------------ M-Pesa C2B


@router.post("/mobile/{token}/c2b/validate")
async def mpesa_c2b_validation(request: Request, token: str) -> Response:
    received = await _receive_daraja(request, token, "c2b_validation", parse_c2b)
    if isinstance(received, Response):
        return received
    _shop, raw, _payment = received
    # The payment is not made yet; it becomes one with the confirmation. Accept: the till
    # matches the account reference, and refusing a customer's money helps nobody.
    reply = json.dumps(c2b_validation_reply(True)).encode()
    return await _ingest(relay(request), raw, lambda _conn: Ignored("validation"), reply)


@router.post("/mobile/{token}/c2b/confirm")
async def mpesa_c2b_confirmation(request: Request, token: str) -> Response:
    received = await _receive_daraja(request, token, "c2b_confirmation", parse_c2b)
    if isinstance(received, Response):
        return received
    shop, raw, payment = received
    ctx = relay(request)
    test_mode = bool(shop.mpesa_test_mode)
    shortcodes = await ctx.store.run(ctx.credentials.mpesa_shortcodes, shop.id, test_mode)
    dedup_key = c2b_dedup_key(payment.trans_id)

    def decide(conn: Connection) -> Decision:
        if shortcodes and payment.short_code not in shortcodes:
            return ParkDraft(
                "shortcode_mismatch",
                dedup_key,
                {
                    "trans_id": payment.trans_id,
                    "short_code": payment.short_code,
                    "amount_minor": payment.amount_minor,
                    "bill_ref": payment.bill_ref,
                },
            )
        # Daraja signs nothing: this is a claim until the Transaction Status API, asked by the
        # relay off this acknowledgement path, confirms it (PaymentChecker).
        claimed = ctx.store.claim_c2b(
            conn,
            shop_id=shop.id,
            trans_id=payment.trans_id[:32],
            test_mode=test_mode,
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            short_code=payment.short_code[:16],
            bill_ref=(payment.bill_ref or None) and payment.bill_ref[:120],
            payer=mask_payer(payment.msisdn_masked),
            transaction_type=(payment.transaction_type or None) and payment.transaction_type[:32],
            trans_time=payment.trans_time,
        )
        return Ignored("claimed" if claimed else "duplicate")

    return await _ingest(ctx, raw, decide, DARAJA_ACK)


@router.post("/mobile/{token}/status/{request_id}")
@router.post("/mobile/{token}/status/{request_id}/timeout")
async def mpesa_transaction_status(request: Request, token: str, request_id: str) -> Response:
    """Daraja's answer to a Transaction Status query the relay made about a C2B claim. Only
    the answer to the query last asked counts: its URL carries an unguessable request id."""
    timed_out = request.url.path.endswith("/timeout")
    parse = parse_transaction_status_result
    received = await _receive_daraja(request, token, "transaction_status", parse)
    if isinstance(received, Response):
        return received
    shop, raw, result = received
    ctx = relay(request)

    def decide(conn: Connection) -> Decision:
        claims = t.c2b_claims.c
        claim = ctx.store.c2b_claim_by_request(conn, shop.id, request_id)
        if claim is None or claim.state != "claimed":
            return Ignored("ignored")
        if timed_out:
            return Ignored("timeout")  # the checker asks again when the claim is due
        dedup_key = c2b_dedup_key(claim.trans_id)
        summary = {
            "trans_id": claim.trans_id,
            "amount_minor": claim.amount_minor,
            "bill_ref": claim.bill_ref,
            "result_code": result.result_code,
            "confirmed_amount_minor": result.amount_minor,
            "status": result.status,
        }
        settle = update(t.c2b_claims).where(claims.id == claim.id)
        if not result.found or result.receipt != claim.trans_id:
            conn.execute(settle.values(state="refused", next_check_at=None))
            return ParkDraft("c2b_not_confirmed", dedup_key, summary)
        if (
            result.amount_minor != claim.amount_minor
            or (result.status or "").lower() != "completed"
            or not _credits(result.credit_party, claim.short_code)
        ):
            conn.execute(settle.values(state="refused", next_check_at=None))
            return ParkDraft("amount_mismatch", dedup_key, summary)
        return confirmed_c2b(ctx.store, conn, claim)

    return await _ingest(ctx, raw, decide, DARAJA_ACK)


def _credits(credit_party: str | None, short_code: str) -> bool:
    """Daraja names the receiving party "600000 - Shop name"; absent, the query (made with the
    shop's own credentials, for its shortcode) already implies it."""
    return credit_party is None or credit_party.split(" ")[0] == short_code


# ------------------------------------------------------------------------------ hosted pages


@router.post("/{provider}/{shop_id}")
async def hosted_page_webhook(request: Request, provider: str, shop_id: str) -> Response:
    """Paystack, Flutterwave and Stripe, one shop each: the first of the shop's secrets (test,
    then live) whose signature matches says the mode; nothing is trusted before a verify."""
    ctx = relay(request)
    known = provider in {p.value for p in LINK_PROVIDERS} and len(shop_id) == 36
    which = Provider(provider) if known else None
    clients = await ctx.store.run(ctx.credentials.webhook_clients, shop_id, which) if which else []
    if which is None or not clients:
        return _json(404, {"detail": "unknown shop"})
    try:
        sources = WEBHOOK_SOURCES.get(which)
        allowed = (lambda ip: ip in sources) if sources and ctx.settings.ip_allowlist else _anyone
        raw = await _receive(request, ctx, which.value, "webhook", shop_id, allowed)
        verified = None
        for test_mode, client in clients:
            try:
                verified = test_mode, client.parse_webhook(raw.body, request.headers)
            except WebhookSignatureError:
                continue
            except ProviderPayloadError as exc:
                raise _malformed(raw, exc) from None
            break
        if verified is None:
            raise Refusal(raw, 401, "rejected", "bad or missing signature")
    except Refusal as refusal:
        return await _refused(ctx, refusal)
    test_mode, notes = verified
    acted = [n for n in notes if n.outcome in _FINAL and n.account_reference]
    if not acted:
        return await _ingest(ctx, raw, lambda _conn: Ignored("ignored"), b"{}")
    note = acted[0]  # each of these providers sends one event per delivery

    def decide(conn: Connection) -> Decision:
        return _hosted_decision(ctx.store, conn, shop_id, which, note, test_mode)

    return await _ingest(ctx, raw, decide, b"{}")


def _hosted_decision(
    store: Store,
    conn: Connection,
    shop_id: str,
    provider: Provider,
    note: ProviderNotification,
    test_mode: bool,
) -> Decision:
    summary = {
        "event": note.kind,
        "reference": note.account_reference,
        "provider_reference": note.provider_reference,
        "outcome": note.outcome.value,
        "amount_minor": note.amount_minor,
        "currency": note.currency,
        "test_mode": test_mode,
    }
    dedup_key = f"{provider.value}:{note.dedupe_key}"[:200]
    assert note.account_reference, "only notes that name a payment are acted on"
    payment = store.payment_by_reference(conn, shop_id, provider.value, note.account_reference)
    if payment is None:
        return ParkDraft("unknown_reference", dedup_key, summary)
    if payment.state != PaymentState.PENDING.value:
        if note.outcome is PaymentOutcome.PAID and payment.state in _GAVE_UP:
            # A page left open after a decline or its expiry was paid after all: money in, no
            # sale. A supervisor decides (refund or sell); the till is not told "paid".
            return ParkDraft("paid_after_final", dedup_key, {**summary, "state": payment.state})
        return Ignored("duplicate")
    if test_mode != payment.test_mode:
        return ParkDraft("mode_mismatch", dedup_key, {**summary, "state": payment.state})
    if note.outcome is PaymentOutcome.PAID:
        # Never trusted as is: the checker verifies through the API before a till hears it.
        return Pending(payment.payment_id, provider_reference=note.provider_reference)
    # A signed decline or expiry gives nothing away, and the verify cannot always tell it (a
    # failed Stripe bank debit leaves the session "complete, unpaid"): reported as it comes.
    return EventDraft(
        dedup_key=f"payment:{payment.payment_id}",
        provider=provider,
        channel=PaymentChannel(provider.value),
        status=OUTCOME_STATUS[note.outcome],
        occurred_at=note.occurred_at or utcnow(),
        test_mode=payment.test_mode,
        payment_id=payment.payment_id,
        reference=payment.reference,
        currency=payment.currency,
        result_code=note.result_code and note.result_code[:32],
        message=(note.message or note.kind)[:200],
    )


@pages.get(RETURN_PATH, include_in_schema=False)
async def hosted_page_return() -> HTMLResponse:
    """Where the checkout page sends the customer: the till, not this page, shows the
    outcome (the relay has verified nothing yet when the browser arrives)."""
    return HTMLResponse(
        "<!doctype html><meta charset=utf-8><title>Duka</title>"
        "<p>Thank you. The till shows whether the payment went through."
        "<p>Asante. Angalia kwenye kaunta kama malipo yamekamilika."
    )


async def _ingest(ctx: RelayContext, raw: RawWebhook, decide: Any, reply: bytes) -> Response:
    try:
        result = await ctx.store.ingest_async(raw, decide)
    except Exception:
        # Not durably stored: the provider must hear a failure and deliver again.
        WEBHOOKS.labels(raw.provider, raw.kind, "not_stored").inc()
        log.exception("webhook %s/%s not stored", raw.provider, raw.kind)
        return _json(503, {"detail": "not stored; deliver again"})
    WEBHOOKS.labels(raw.provider, raw.kind, result.verdict).inc()
    if result.seq is not None and raw.shop_id is not None:
        ctx.wake(raw.shop_id)
    elif result.verdict in ("pending", "claimed") and ctx.checker is not None:
        ctx.checker.kick()
    elif result.verdict == "parked":
        log.info("webhook %s/%s parked (raw id %s)", raw.provider, raw.kind, result.raw_id)
    return Response(reply, media_type="application/json")
