"""The Flutterwave v3 endpoints the client uses, the hosted payment page, and signed
charge.completed webhooks (sent for failures too, as Flutterwave does)."""

from __future__ import annotations

import asyncio
import html
import json
import secrets
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, ValidationError

from sync.providers.amounts import ISO_MINOR_DIGITS, major_to_minor
from sync.providers.flutterwave import (
    SIGNATURE_HEADER,
    TX_REF_PATTERN,
    VERIF_HASH_HEADER,
    sign,
)
from sync.providers.testmode import (
    FLUTTERWAVE_DECLINED_CARDS,
    FLUTTERWAVE_TEST_CARD,
    TEST_INSTRUCTIONS,
)
from sync.sandbox.scripts import Delivery, ScriptedOutcome
from sync.sandbox.state import (
    FlutterwaveCharge,
    FlutterwaveLink,
    SandboxState,
    card_digits,
    form_fields,
    now,
    random_code,
)

router = APIRouter()

_TEST_CARD = card_digits(FLUTTERWAVE_TEST_CARD)
_DECLINE_REASONS = dict(
    zip(
        map(card_digits, FLUTTERWAVE_DECLINED_CARDS),
        ("Insufficient funds", "Fraudulent transaction", "Declined", "Incorrect PIN"),
        strict=True,
    )
)


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": "error", "message": message, "data": None}, status_code=status)


def _key_error(request: Request) -> JSONResponse | None:
    expected = f"Bearer {_state(request).config.flutterwave_secret_key}"
    if not secrets.compare_digest(request.headers.get("authorization", ""), expected):
        return _error(401, "Invalid authorization key")
    return None


class _Customer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    email: str | None = None


class PaymentsBody(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    tx_ref: str | None = None
    amount: str | None = None
    currency: str | None = None
    redirect_url: str | None = None
    customer: _Customer | None = None
    payment_options: str | None = None


class RefundBody(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    amount: str | None = None
    comments: str | None = None


def _number(amount: Decimal) -> int | float:
    """A major-unit amount as the JSON number Flutterwave writes (100, 338.63)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _iso(moment: Any) -> str:
    return str(moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"))


def charge_data(charge: FlutterwaveCharge) -> dict[str, Any]:
    """The `data` object of verify and of the v3 charge.completed webhook."""
    return {
        "id": charge.id,
        "tx_ref": charge.tx_ref,
        "flw_ref": charge.flw_ref,
        "device_fingerprint": "N/A",
        "amount": _number(charge.amount),
        "currency": charge.currency,
        "charged_amount": _number(charge.amount),
        "app_fee": 0,
        "merchant_fee": 0,
        "processor_response": charge.processor_response,
        "auth_model": "PIN",
        "ip": "127.0.0.1",
        "narration": "CARD Transaction ",
        "status": charge.status,
        "payment_type": "card",
        "created_at": _iso(charge.created_at),
        "account_id": 1,
        "card": {
            "first_6digits": "553188",
            "last_4digits": "2950",
            "issuer": "SANDBOX",
            "country": "NG",
            "type": "MASTERCARD",
            "expiry": "09/32",
        },
        "meta": None,
        "amount_settled": _number(charge.amount) if charge.status == "successful" else 0,
        "customer": {
            "id": 1,
            "name": "Sandbox Customer",
            "phone_number": "N/A",
            "email": charge.email,
            "created_at": _iso(charge.created_at),
        },
    }


@router.post("/v3/payments")
async def create_payment(request: Request) -> JSONResponse:
    state = _state(request)
    if (refused := _key_error(request)) is not None:
        return refused
    try:
        body = PaymentsBody.model_validate_json(await request.body())
    except ValidationError:
        return _error(400, "Invalid request body")
    if not body.tx_ref or not TX_REF_PATTERN.match(body.tx_ref):
        return _error(400, "tx_ref is required")
    if body.customer is None or not body.customer.email or "@" not in body.customer.email:
        return _error(400, "customer.email is required")
    currency = (body.currency or "NGN").upper()  # Flutterwave's default when omitted
    if currency not in state.config.flutterwave_currencies:
        return _error(400, "Invalid currency provided")
    minor = major_to_minor(body.amount, currency)
    if not minor:
        return _error(400, "Invalid amount")
    link = FlutterwaveLink(
        token=f"flwlnk-{secrets.token_hex(13)}",
        tx_ref=body.tx_ref,
        amount=Decimal(minor).scaleb(-ISO_MINOR_DIGITS[currency]),
        currency=currency,
        email=body.customer.email,
        redirect_url=body.redirect_url,
        payment_options=body.payment_options or "card",
        created_at=now(),
    )
    state.flutterwave_links[link.token] = link
    scripted = state.script.explicit(None, minor, link.tx_ref, link.email)
    if scripted is not None:
        state.later(_settle_later(state, link, scripted))
    base = str(request.base_url).rstrip("/")
    return JSONResponse(
        {
            "status": "success",
            "message": "Hosted Link",
            "data": {"link": f"{base}/flutterwave/hosted/pay/{link.token}"},
        }
    )


def _verified(charge: FlutterwaveCharge | None) -> JSONResponse:
    if charge is None:
        return _error(400, "No transaction was found for this id")
    return JSONResponse(
        {
            "status": "success",
            "message": "Transaction fetched successfully",
            "data": charge_data(charge),
        }
    )


@router.get("/v3/transactions/{transaction_id}/verify")
async def verify(request: Request, transaction_id: str) -> JSONResponse:
    if (refused := _key_error(request)) is not None:
        return refused
    charges = _state(request).flutterwave_charges
    return _verified(charges.get(int(transaction_id)) if transaction_id.isdigit() else None)


@router.get("/v3/transactions/verify_by_reference")
async def verify_by_reference(request: Request, tx_ref: str = "") -> JSONResponse:
    if (refused := _key_error(request)) is not None:
        return refused
    attempts = [c for c in _state(request).flutterwave_charges.values() if c.tx_ref == tx_ref]
    # The successful attempt when there is one, else the newest.
    attempts.sort(key=lambda c: (c.status == "successful", c.id))
    return _verified(attempts[-1] if attempts else None)


@router.post("/v3/transactions/{transaction_id}/refund")
async def refund(request: Request, transaction_id: str) -> JSONResponse:
    state = _state(request)
    if (refused := _key_error(request)) is not None:
        return refused
    try:
        body = RefundBody.model_validate_json(await request.body() or b"{}")
    except ValidationError:
        return _error(400, "Invalid request body")
    charge = (
        state.flutterwave_charges.get(int(transaction_id)) if transaction_id.isdigit() else None
    )
    if charge is None:
        return _error(400, "No transaction was found for this id")
    if charge.status != "successful":
        return _error(400, "Only successful transactions can be refunded")
    remaining = charge.amount - charge.refunded
    if remaining <= 0:
        return _error(400, "Transaction has been fully refunded")
    if body.amount is None:
        amount = remaining
    else:
        minor = major_to_minor(body.amount, charge.currency)
        if not minor:
            return _error(400, "Invalid amount")
        amount = Decimal(minor).scaleb(-ISO_MINOR_DIGITS[charge.currency])
    if amount > remaining:
        return _error(400, "Refund amount cannot be more than the transaction amount")
    charge.refunded += amount
    return JSONResponse(
        {
            "status": "success",
            "message": "Transaction refund initiated",
            "data": {
                "id": state.next_id(),
                "account_id": 1,
                "tx_id": charge.id,
                "flw_ref": f"URF_{random_code(13, '0123456789')}",
                "wallet_id": 1,
                "amount_refunded": _number(amount),
                "status": "completed",
                "destination": "payment_source",
                "meta": {"source": "availablebalance"},
                "created_at": _iso(now()),
            },
        }
    )


# ---------------------------------------------------------------------------- hosted page

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox Flutterwave checkout</title>
<style>body{{font-family:sans-serif;max-width:28em;margin:2em auto}}
.test{{background:#fde68a;padding:.5em}} button{{font-size:1.2em;margin:.3em}}</style></head>
<body><p class="test">SANDBOX - no real money. {banner}</p>
<h1>Pay {amount}</h1><p>Reference <code>{tx_ref}</code> ({options})</p>
{body}</body></html>"""


def _page(link: FlutterwaveLink, body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(
        _PAGE.format(
            banner=html.escape(" ".join(TEST_INSTRUCTIONS["flutterwave"].lines)),
            amount=html.escape(f"{link.currency} {link.amount:,}"),
            tx_ref=html.escape(link.tx_ref),
            options=html.escape(link.payment_options),
            body=body,
        ),
        status_code=status_code,
    )


def _forms(token: str, note: str = "") -> str:
    code = html.escape(token)
    return (
        f"{note}"
        f'<form method="post" action="/flutterwave/hosted/pay/{code}/pay">'
        f'<label>Card <input name="card" value="{FLUTTERWAVE_TEST_CARD}"></label>'
        f'<button id="pay" type="submit">Pay</button></form>'
        f'<form method="post" action="/flutterwave/hosted/pay/{code}/decline">'
        f'<button id="decline" type="submit">Decline</button></form>'
    )


def _result(link: FlutterwaveLink, charge: FlutterwaveCharge) -> str:
    text = "Payment successful." if charge.status == "successful" else "Payment failed."
    back = ""
    if link.redirect_url:
        query = urlencode(
            {"status": charge.status, "tx_ref": link.tx_ref, "transaction_id": charge.id}
        )
        joiner = "&" if "?" in link.redirect_url else "?"
        back = f'<p><a href="{html.escape(link.redirect_url + joiner + query)}">Back</a></p>'
    return (
        f'<p id="result" data-status="{charge.status}" data-transaction-id="{charge.id}">'
        f"{text} {html.escape(charge.processor_response)}</p>{back}"
    )


@router.get("/flutterwave/hosted/pay/{token}", response_class=HTMLResponse)
async def hosted_page(request: Request, token: str) -> HTMLResponse:
    link = _state(request).flutterwave_links.get(token)
    if link is None:
        return HTMLResponse("<p>This payment link does not exist.</p>", status_code=404)
    if link.settled:
        return _page(link, '<p id="result" data-status="successful">Already paid.</p>')
    return _page(link, _forms(token))


@router.post("/flutterwave/hosted/pay/{token}/pay", response_class=HTMLResponse)
async def hosted_pay(request: Request, token: str) -> HTMLResponse:
    form = form_fields(await request.body())
    return _attempt(request, token, card_digits(form.get("card", FLUTTERWAVE_TEST_CARD)))


@router.post("/flutterwave/hosted/pay/{token}/decline", response_class=HTMLResponse)
async def hosted_decline(request: Request, token: str) -> HTMLResponse:
    return _attempt(request, token, card_digits(FLUTTERWAVE_DECLINED_CARDS[0]))


def _attempt(request: Request, token: str, card: str) -> HTMLResponse:
    state = _state(request)
    link = state.flutterwave_links.get(token)
    if link is None:
        return HTMLResponse("<p>This payment link does not exist.</p>", status_code=404)
    if link.settled:
        return _page(link, '<p id="result" data-status="successful">Already paid.</p>')
    if card == _TEST_CARD:
        reason = None
    else:
        reason = _DECLINE_REASONS.get(card, "Use a Flutterwave test card in test mode")
    scripted = state.script.explicit(None, _minor(link), link.tx_ref, link.email)
    delivery = scripted.delivery if scripted is not None else Delivery.ONCE
    charge = settle(state, link, reason, delivery)
    # A failed attempt leaves the page open for another try, as on Flutterwave.
    body = _result(link, charge) + ("" if link.settled else _forms(token))
    return _page(link, body)


# ---------------------------------------------------------------------------- settling


def _minor(link: FlutterwaveLink) -> int:
    return int(link.amount.scaleb(ISO_MINOR_DIGITS[link.currency]))


def settle(
    state: SandboxState, link: FlutterwaveLink, decline_reason: str | None, delivery: Delivery
) -> FlutterwaveCharge:
    """One attempt on the link; charge.completed goes out whether it succeeded or not."""
    charge = FlutterwaveCharge(
        id=state.next_id(),
        tx_ref=link.tx_ref,
        flw_ref=f"FLW-MOCK-{secrets.token_hex(16)}",
        amount=link.amount,
        currency=link.currency,
        email=link.email,
        status="failed" if decline_reason else "successful",
        processor_response=decline_reason or "Approved by Financial Institution",
        created_at=now(),
    )
    state.flutterwave_charges[charge.id] = charge
    link.settled = decline_reason is None
    if state.config.flutterwave_webhook_url and delivery is not Delivery.NONE:
        state.later(_send_webhook(state, charge, delivery))
    return charge


async def _settle_later(
    state: SandboxState, link: FlutterwaveLink, outcome: ScriptedOutcome
) -> None:
    delay = state.config.callback_delay_s if outcome.delay_s is None else outcome.delay_s
    await asyncio.sleep(delay)
    if not link.settled:
        settle(state, link, None if outcome.paid else "Declined", outcome.delivery)


async def _send_webhook(state: SandboxState, charge: FlutterwaveCharge, delivery: Delivery) -> None:
    url = state.config.flutterwave_webhook_url
    assert url is not None
    if delivery is Delivery.LATE:
        await asyncio.sleep(state.config.late_callback_delay_s)
    body = {"event": "charge.completed", "event.type": "CARD_TRANSACTION"}
    raw = json.dumps({**body, "data": charge_data(charge)}).encode()
    secret = state.config.flutterwave_secret_hash
    if state.config.flutterwave_signature == "hmac":
        headers = {SIGNATURE_HEADER: sign(raw, secret)}
    else:
        headers = {VERIF_HASH_HEADER: secret}
    await state.post("flutterwave_webhook", url, raw, headers)
    if delivery is Delivery.TWICE:
        await asyncio.sleep(state.config.duplicate_gap_s)
        await state.post("flutterwave_webhook", url, raw, headers)
