"""The Stripe endpoints the client uses (form-encoded requests, Idempotency-Key replay, Stripe's
error shape), a hosted Checkout page, and webhooks signed with Stripe-Signature."""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

import stripe
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from sync.providers.amounts import ISO_MINOR_DIGITS
from sync.providers.stripe_checkout import SIGNATURE_HEADER, from_stripe_amount
from sync.providers.testmode import STRIPE_DECLINED_CARDS, STRIPE_TEST_CARD, TEST_INSTRUCTIONS
from sync.sandbox.scripts import Delivery, ScriptedOutcome
from sync.sandbox.state import (
    SandboxState,
    StripeCheckoutSession,
    card_digits,
    form_fields,
)

router = APIRouter()

API_VERSION = "2026-10-28.endive"
DEFAULT_LIFETIME_S = 24 * 60 * 60
_LINE_ITEM = re.compile(r"^line_items\[(\d+)\]\[(.+)\]$")
_TEST_CARD = card_digits(STRIPE_TEST_CARD)
_DECLINES = dict(
    zip(
        map(card_digits, STRIPE_DECLINED_CARDS),
        (
            "generic_decline",
            "insufficient_funds",
            "expired_card",
            "incorrect_cvc",
            "processing_error",
        ),
        strict=True,
    )
)


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def _error(
    status: int, message: str, kind: str = "invalid_request_error", **extra: Any
) -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "message": message, **extra}}, status_code=status)


def _key_error(request: Request) -> JSONResponse | None:
    expected = f"Bearer {_state(request).config.stripe_secret_key}"
    if not secrets.compare_digest(request.headers.get("authorization", ""), expected):
        return _error(401, "Invalid API Key provided.")
    return None


async def _idempotent(
    request: Request, fields: dict[str, str], work: Callable[[], JSONResponse]
) -> JSONResponse:
    """Stripe stores the first reply per Idempotency-Key and replays it; the same key with
    other parameters is an idempotency_error."""
    state = _state(request)
    key = request.headers.get("idempotency-key")
    fingerprint = hashlib.sha256(
        (request.url.path + json.dumps(fields, sort_keys=True)).encode()
    ).hexdigest()
    if key and key in state.stripe_idempotency:
        stored_print, status, body = state.stripe_idempotency[key]
        if stored_print != fingerprint:
            return _error(
                400,
                "Keys for idempotent requests can only be used with the same parameters they "
                "were first used with.",
                kind="idempotency_error",
            )
        return JSONResponse(body, status_code=status, headers={"Idempotent-Replayed": "true"})
    response: JSONResponse = work()
    if key and response.status_code != 400:  # nothing is stored when validation failed
        state.stripe_idempotency[key] = (
            fingerprint,
            response.status_code,
            json.loads(bytes(response.body)),
        )
    return response


def session_object(session: StripeCheckoutSession, base: str) -> dict[str, Any]:
    """The Checkout Session object, in the published shape."""
    return {
        "id": session.id,
        "object": "checkout.session",
        "amount_subtotal": session.amount_total,
        "amount_total": session.amount_total,
        "cancel_url": session.cancel_url,
        "client_reference_id": session.client_reference_id,
        "created": session.created,
        "currency": session.currency,
        "customer": None,
        "customer_details": {"email": session.customer_email or "sandbox@example.com"}
        if session.status == "complete"
        else None,
        "customer_email": session.customer_email,
        "expires_at": session.expires_at,
        "livemode": False,
        "metadata": session.metadata,
        "mode": "payment",
        "payment_intent": session.payment_intent,
        "payment_link": None,
        "payment_method_types": ["card"],
        "payment_status": session.payment_status,
        "status": session.status,
        "success_url": session.success_url,
        "ui_mode": "hosted_page",
        "url": f"{base}/stripe/checkout/{session.id}" if session.status == "open" else None,
    }


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.post("/v1/checkout/sessions")
async def create_session(request: Request) -> JSONResponse:
    state = _state(request)
    if (refused := _key_error(request)) is not None:
        return refused
    fields = form_fields(await request.body())
    return await _idempotent(request, fields, lambda: _create(request, state, fields))


def _create(request: Request, state: SandboxState, fields: dict[str, str]) -> JSONResponse:
    if fields.get("mode") != "payment":
        return _error(400, "This sandbox only takes mode=payment.", param="mode")
    if not fields.get("success_url"):
        return _error(400, "Missing required param: success_url.", param="success_url")
    items: dict[int, dict[str, str]] = {}
    for name, value in fields.items():
        if match := _LINE_ITEM.match(name):
            items.setdefault(int(match.group(1)), {})[match.group(2)] = value
    if not items:
        return _error(400, "Missing required param: line_items.", param="line_items")
    currencies = {item.get("price_data][currency", "") for item in items.values()}
    currency = currencies.pop() if len(currencies) == 1 else ""
    if currency.upper() not in ISO_MINOR_DIGITS:
        return _error(400, f"Invalid currency: {currency}.", param="currency")
    total = 0
    for item in items.values():
        amount, quantity = item.get("price_data][unit_amount", ""), item.get("quantity", "")
        if not amount.isdigit() or not quantity.isdigit() or int(quantity) < 1:
            return _error(400, "Invalid line item amount or quantity.", param="line_items")
        total += int(amount) * int(quantity)
    if from_stripe_amount(total, currency.upper()) is None:
        return _error(400, "Invalid amount for this currency.", param="unit_amount")
    created = int(time.time())
    expires = fields.get("expires_at", "")
    session = StripeCheckoutSession(
        id=f"cs_test_{secrets.token_urlsafe(40).replace('-', 'a').replace('_', 'b')}",
        amount_total=total,
        currency=currency,
        client_reference_id=fields.get("client_reference_id") or None,
        metadata={k[9:-1]: v for k, v in fields.items() if k.startswith("metadata[")},
        success_url=fields["success_url"],
        cancel_url=fields.get("cancel_url"),
        customer_email=fields.get("customer_email"),
        created=created,
        expires_at=int(expires) if expires.isdigit() else created + DEFAULT_LIFETIME_S,
    )
    state.stripe_sessions[session.id] = session
    references = (session.client_reference_id, session.customer_email)
    scripted = state.script.explicit(None, _minor(session), *references)
    if scripted is not None:
        state.later(_settle_later(state, session, scripted, _base(request)))
    return JSONResponse(session_object(session, _base(request)))


def _missing(kind: str, ident: str) -> JSONResponse:
    return _error(404, f"No such {kind}: '{ident}'", code="resource_missing", param="id")


@router.get("/v1/checkout/sessions/{session_id}")
async def retrieve_session(request: Request, session_id: str) -> JSONResponse:
    if (refused := _key_error(request)) is not None:
        return refused
    session = _state(request).stripe_sessions.get(session_id)
    if session is None:
        return _missing("checkout.session", session_id)
    return JSONResponse(session_object(session, _base(request)))


@router.post("/v1/checkout/sessions/{session_id}/expire")
async def expire_session(request: Request, session_id: str) -> JSONResponse:
    state = _state(request)
    if (refused := _key_error(request)) is not None:
        return refused
    session = state.stripe_sessions.get(session_id)
    if session is None:
        return _missing("checkout.session", session_id)
    if session.status != "open":
        return _error(400, "Only Checkout Sessions with a status in [open] can be expired.")
    session.status = "expired"
    if state.config.stripe_webhook_url:
        state.later(
            _send_events(
                state, session, ["checkout.session.expired"], Delivery.ONCE, _base(request)
            )
        )
    return JSONResponse(session_object(session, _base(request)))


@router.post("/v1/refunds")
async def create_refund(request: Request) -> JSONResponse:
    state = _state(request)
    if (refused := _key_error(request)) is not None:
        return refused
    fields = form_fields(await request.body())
    return await _idempotent(request, fields, lambda: _refund(state, fields))


def _refund(state: SandboxState, fields: dict[str, str]) -> JSONResponse:
    intent = fields.get("payment_intent", "")
    session = next(
        (s for s in state.stripe_sessions.values() if intent and s.payment_intent == intent), None
    )
    if session is None:
        return _missing("payment_intent", intent)
    if session.payment_status != "paid":
        return _error(
            400,
            f"This PaymentIntent ({intent}) does not have a successful charge to refund.",
            code="charge_not_refundable",
        )
    remaining = session.amount_total - session.refunded
    if remaining <= 0:
        return _error(
            400, f"Charge for {intent} has already been refunded.", code="charge_already_refunded"
        )
    wanted = fields.get("amount")
    amount = remaining if wanted is None else int(wanted) if wanted.isdigit() else 0
    if amount <= 0 or amount > remaining:
        return _error(
            400,
            "Refund amount is greater than unrefunded amount on charge.",
            code="amount_too_large",
            param="amount",
        )
    session.refunded += amount
    return JSONResponse(
        {
            "id": f"re_{secrets.token_hex(12)}",
            "object": "refund",
            "amount": amount,
            "balance_transaction": f"txn_{secrets.token_hex(12)}",
            "charge": f"ch_{intent[3:]}",
            "created": int(time.time()),
            "currency": session.currency,
            "metadata": {},
            "payment_intent": intent,
            "reason": fields.get("reason"),
            "receipt_number": None,
            "status": "succeeded",
        }
    )


# ---------------------------------------------------------------------------- hosted page

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox Stripe Checkout</title>
<style>body{{font-family:sans-serif;max-width:28em;margin:2em auto}}
.test{{background:#fde68a;padding:.5em}} button{{font-size:1.2em;margin:.3em}}</style></head>
<body><p class="test">SANDBOX - no real money. {banner}</p>
<h1>Pay {amount}</h1>{body}</body></html>"""


def _page(session: StripeCheckoutSession, body: str) -> HTMLResponse:
    currency = session.currency.upper()
    minor = _minor(session)
    digits = ISO_MINOR_DIGITS[currency]
    shown = f"{minor:,}" if digits == 0 else f"{minor // 100:,}.{minor % 100:02d}"
    return HTMLResponse(
        _PAGE.format(
            banner=html.escape(" ".join(TEST_INSTRUCTIONS["stripe"].lines)),
            amount=html.escape(f"{currency} {shown}"),
            body=body,
        )
    )


def _forms(session_id: str, note: str = "") -> str:
    code = html.escape(session_id)
    decline = STRIPE_DECLINED_CARDS[0]
    return (
        f"{note}"
        f'<form method="post" action="/stripe/checkout/{code}/pay">'
        f'<label>Card <input name="card" value="{STRIPE_TEST_CARD}"></label>'
        f'<button id="pay" type="submit">Pay</button></form>'
        f'<form method="post" action="/stripe/checkout/{code}/pay">'
        f'<input type="hidden" name="card" value="{decline}">'
        f'<button id="decline" type="submit">Decline</button></form>'
    )


def _status_body(session: StripeCheckoutSession) -> str:
    text = {"complete": "Payment successful.", "expired": "This checkout has expired."}
    back = ""
    if session.status == "complete":
        back = f'<p><a href="{html.escape(session.success_url)}">Back to the shop</a></p>'
    return (
        f'<p id="result" data-status="{session.status}" data-payment-status='
        f'"{session.payment_status}">{text.get(session.status, session.status)}</p>{back}'
    )


@router.get("/stripe/checkout/{session_id}", response_class=HTMLResponse)
async def checkout_page(request: Request, session_id: str) -> HTMLResponse:
    session = _state(request).stripe_sessions.get(session_id)
    if session is None:
        return HTMLResponse("<p>This checkout does not exist.</p>", status_code=404)
    if session.status != "open":
        return _page(session, _status_body(session))
    return _page(session, _forms(session_id))


@router.post("/stripe/checkout/{session_id}/pay", response_class=HTMLResponse)
async def checkout_pay(request: Request, session_id: str) -> HTMLResponse:
    state = _state(request)
    session = state.stripe_sessions.get(session_id)
    if session is None:
        return HTMLResponse("<p>This checkout does not exist.</p>", status_code=404)
    if session.status != "open":
        return _page(session, _status_body(session))
    card = card_digits(form_fields(await request.body()).get("card", ""))
    if card != _TEST_CARD:
        # Stripe keeps the session open after a decline: the customer may try another card.
        code = _DECLINES.get(card, "card_declined")
        note = f'<p id="declined" data-decline-code="{code}">Your card was declined.</p>'
        return _page(session, _forms(session_id, note))
    references = (session.client_reference_id, session.customer_email)
    scripted = state.script.explicit(None, _minor(session), *references)
    delivery = scripted.delivery if scripted is not None else Delivery.ONCE
    settle(state, session, ScriptedOutcome(delivery=delivery), _base(request))
    return _page(session, _status_body(session))


# ---------------------------------------------------------------------------- settling


def _minor(session: StripeCheckoutSession) -> int:
    minor = from_stripe_amount(session.amount_total, session.currency.upper())
    assert minor is not None  # checked when the session was made
    return minor


def settle(
    state: SandboxState, session: StripeCheckoutSession, outcome: ScriptedOutcome, base: str
) -> None:
    """Card paid: completed + paid. A scripted failure plays a delayed method that fails:
    completed (unpaid), then async_payment_failed."""
    session.status = "complete"
    session.payment_intent = f"pi_{secrets.token_hex(12)}"
    if outcome.paid:
        session.payment_status = "paid"
        events = ["checkout.session.completed"]
    else:
        events = ["checkout.session.completed", "checkout.session.async_payment_failed"]
    if state.config.stripe_webhook_url and outcome.delivery is not Delivery.NONE:
        state.later(_send_events(state, session, events, outcome.delivery, base))


async def _settle_later(
    state: SandboxState, session: StripeCheckoutSession, outcome: ScriptedOutcome, base: str
) -> None:
    delay = state.config.callback_delay_s if outcome.delay_s is None else outcome.delay_s
    await asyncio.sleep(delay)
    if session.status == "open":
        settle(state, session, outcome, base)


async def _send_events(
    state: SandboxState,
    session: StripeCheckoutSession,
    types: list[str],
    delivery: Delivery,
    base: str,
) -> None:
    url = state.config.stripe_webhook_url
    assert url is not None
    if delivery is Delivery.LATE:
        await asyncio.sleep(state.config.late_callback_delay_s)
    snapshot = session_object(session, base)
    for event_type in types:
        payload = json.dumps(
            {
                "id": f"evt_{secrets.token_hex(12)}",
                "object": "event",
                "api_version": API_VERSION,
                "created": int(time.time()),
                "data": {"object": snapshot},
                "livemode": False,
                "pending_webhooks": 1,
                "request": {"id": None, "idempotency_key": None},
                "type": event_type,
            }
        )
        for _ in range(2 if delivery is Delivery.TWICE else 1):
            # Each delivery is signed anew (Stripe signs every retry with a fresh t).
            signature = stripe.WebhookSignature.generate_signature_header(
                payload, state.config.stripe_webhook_secret
            )
            await state.post("stripe_webhook", url, payload.encode(), {SIGNATURE_HEADER: signature})
            if delivery is Delivery.TWICE:
                await asyncio.sleep(state.config.duplicate_gap_s)
