"""The Paystack endpoints the clients use, the hosted checkout page, and signed webhooks."""

from __future__ import annotations

import asyncio
import html
import json
import secrets
import string
from datetime import timedelta
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sync.providers.paystack import REFERENCE_PATTERN, SIGNATURE_HEADER, sign
from sync.providers.testmode import TEST_INSTRUCTIONS
from sync.providers.wire import minor_units
from sync.sandbox.scripts import Delivery, ScriptedOutcome
from sync.sandbox.state import PaystackTransaction, SandboxState, now

router = APIRouter()

# When Paystack expects the money back with the customer (its sample: about nine days).
REFUND_EXPECTED_AFTER = timedelta(days=9)


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


class _PaystackBody(BaseModel):
    # Paystack accepts numbers as strings and the other way round; so does the sandbox.
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class InitializeBody(_PaystackBody):
    email: str | None = None
    amount: int | str | None = None
    currency: str | None = None
    reference: str | None = None
    callback_url: str | None = None
    channels: list[str] | None = None
    metadata: Any = None


class RefundBody(_PaystackBody):
    transaction: str = Field(min_length=1)
    amount: int | str | None = None


B = TypeVar("B", bound=_PaystackBody)


async def _keyed_body(
    request: Request, model: type[B], unreadable: JSONResponse
) -> B | JSONResponse:
    """The body as `model`, sent with the secret key; else Paystack's refusal."""
    if (refused := _key_error(request)) is not None:
        return refused
    try:
        return model.model_validate_json(await request.body())
    except ValidationError:
        return unreadable


def _refuse(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"status": False, "message": message, **extra}, status_code=status)


def _key_error(request: Request) -> JSONResponse | None:
    expected = f"Bearer {_state(request).config.paystack_secret_key}"
    if not secrets.compare_digest(request.headers.get("authorization", ""), expected):
        return _refuse(401, "Invalid key")
    return None


def _iso(moment: Any) -> str | None:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z") if moment else None


def transaction_data(txn: PaystackTransaction) -> dict[str, Any]:
    """The `data` object of verify and of the charge.success webhook."""
    return {
        "id": txn.id,
        "domain": "test",
        "status": txn.status,
        "reference": txn.reference,
        "receipt_number": None,
        "amount": txn.amount,
        "message": None,
        "gateway_response": txn.gateway_response,
        "paid_at": _iso(txn.paid_at),
        "created_at": _iso(txn.created_at),
        "channel": "card",
        "currency": txn.currency,
        "ip_address": "127.0.0.1",
        "metadata": txn.metadata if txn.metadata is not None else "",
        "fees": None,
        "authorization": {
            "authorization_code": "AUTH_sandbox",
            "bin": "408408",
            "last4": "4081",
            "exp_month": "12",
            "exp_year": "2030",
            "channel": "card",
            "card_type": "visa ",
            "bank": "TEST BANK",
            "country_code": "NG",
            "brand": "visa",
            "reusable": True,
            "signature": "SIG_sandbox",
            "account_name": None,
        }
        if txn.status == "success"
        else {},
        "customer": {
            "id": 1,
            "first_name": None,
            "last_name": None,
            "email": txn.email,
            "customer_code": "CUS_sandbox",
            "phone": None,
            "metadata": None,
            "risk_action": "default",
        },
        "plan": None,
        "paidAt": _iso(txn.paid_at),
        "createdAt": _iso(txn.created_at),
        "requested_amount": txn.amount,
        "transaction_date": _iso(txn.created_at),
    }


@router.post("/transaction/initialize")
async def initialize(request: Request) -> JSONResponse:
    state = _state(request)
    body = await _keyed_body(request, InitializeBody, _refuse(400, "Invalid request body"))
    if isinstance(body, JSONResponse):
        return body
    if not body.email or "@" not in body.email:
        return _refuse(
            400,
            "Email Address is required",
            meta={"nextStep": "Provide all required params "},
            type="validation_error",
            code="missing_params",
        )
    amount = minor_units(body.amount)
    if not amount:
        return _refuse(400, "Invalid Amount Sent", type="validation_error", code="invalid_params")
    currency = (body.currency or state.config.paystack_default_currency).upper()
    if currency not in state.config.paystack_currencies:
        return _refuse(400, "Currency not supported by merchant", type="validation_error")
    reference = body.reference or secrets.token_hex(5)
    if not REFERENCE_PATTERN.match(reference):
        return _refuse(400, "Invalid transaction reference", type="validation_error")
    if reference in state.paystack:
        return _refuse(
            400,
            "Duplicate Transaction Reference",
            meta={"nextStep": "Try and create the Transaction or Charge with a new reference"},
            type="validation_error",
            code="duplicate_reference",
        )
    txn = PaystackTransaction(
        id=state.next_id(),
        reference=reference,
        access_code="".join(
            secrets.choice(string.ascii_lowercase + string.digits) for _ in range(15)
        ),
        amount=amount,
        currency=currency,
        email=body.email,
        callback_url=body.callback_url,
        metadata=body.metadata,
        channels=body.channels,
        created_at=now(),
    )
    state.paystack[reference] = txn
    scripted = state.script.explicit(None, amount, reference, body.email)
    if scripted is not None:
        state.later(_settle_later(state, txn, scripted))
    base = str(request.base_url).rstrip("/")
    return JSONResponse(
        {
            "status": True,
            "message": "Authorization URL created",
            "data": {
                "authorization_url": f"{base}/checkout/{txn.access_code}",
                "access_code": txn.access_code,
                "reference": txn.reference,
            },
        }
    )


@router.get("/transaction/verify/{reference}")
async def verify(request: Request, reference: str) -> JSONResponse:
    state = _state(request)
    if (refused := _key_error(request)) is not None:
        return refused
    txn = state.paystack.get(reference)
    if txn is None:
        return _refuse(400, "Transaction reference not found")
    return JSONResponse(
        {"status": True, "message": "Verification successful", "data": transaction_data(txn)}
    )


@router.post("/refund")
async def refund(request: Request) -> JSONResponse:
    state = _state(request)
    missing = _refuse(400, "Transaction reference is required", code="missing_params")
    body = await _keyed_body(request, RefundBody, missing)
    if isinstance(body, JSONResponse):
        return body
    wanted = body.transaction
    txn = state.paystack.get(wanted) or next(
        (t for t in state.paystack.values() if str(t.id) == wanted), None
    )
    if txn is None:
        return _refuse(404, "Transaction not found")
    if txn.status not in ("success", "reversed"):
        return _refuse(400, "Cannot refund a transaction that was not successful")
    remaining = txn.amount - txn.refunded
    amount = remaining if body.amount is None else minor_units(body.amount)
    if remaining <= 0:
        return _refuse(400, "Transaction has been fully reversed")
    if not amount or amount > remaining:
        return _refuse(400, "Refund amount cannot be more than the transaction amount")
    txn.refunded += amount
    if txn.refunded == txn.amount:
        txn.status = "reversed"
    created = now()
    # The shape of Paystack's documented Create Refund reply (data.transaction is a summary).
    return JSONResponse(
        {
            "status": True,
            "message": "Refund has been queued for processing",
            "data": {
                "transaction": {
                    "id": txn.id,
                    "domain": "test",
                    "reference": txn.reference,
                    "amount": txn.amount,
                    "paid_at": _iso(txn.paid_at),
                    "channel": "card",
                    "currency": txn.currency,
                    "authorization": {"exp_month": "12", "exp_year": "2030", "account_name": None},
                    "customer": {"international_format_phone": None},
                    "plan": {},
                    "subaccount": {"currency": None},
                    "split": {},
                    "order_id": None,
                    "paidAt": _iso(txn.paid_at),
                    "pos_transaction_data": None,
                    "source": None,
                    "fees_breakdown": None,
                },
                "integration": 1,
                "deducted_amount": 0,
                "channel": None,
                "merchant_note": f"Refund for transaction {txn.reference}",
                "customer_note": f"Refund for transaction {txn.reference}",
                "status": "pending",
                "refunded_by": "sandbox@example.com",
                "expected_at": _iso(created + REFUND_EXPECTED_AFTER),
                "currency": txn.currency,
                "domain": "test",
                "amount": amount,
                "fully_deducted": False,
                "id": state.next_id(),
                "createdAt": _iso(created),
                "updatedAt": _iso(created),
            },
        }
    )


# ---------------------------------------------------------------------------- checkout page

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox checkout</title>
<style>body{{font-family:sans-serif;max-width:28em;margin:2em auto}}
.test{{background:#fde68a;padding:.5em}} button{{font-size:1.2em;margin:.3em}}</style></head>
<body><p class="test">SANDBOX - no real money. {banner}</p>
<h1>Pay {amount}</h1><p>Reference <code>{reference}</code> for {email}</p>
{body}</body></html>"""


def _page(txn: PaystackTransaction, body: str) -> HTMLResponse:
    return HTMLResponse(
        _PAGE.format(
            banner=html.escape(" ".join(TEST_INSTRUCTIONS["paystack"].lines)),
            amount=html.escape(f"{txn.currency} {txn.amount // 100:,}.{txn.amount % 100:02d}"),
            reference=html.escape(txn.reference),
            email=html.escape(txn.email),
            body=body,
        )
    )


def _result_body(txn: PaystackTransaction) -> str:
    text = {"success": "Payment successful.", "failed": "Payment declined."}.get(
        txn.status, f"Status: {txn.status}."
    )
    link = ""
    if txn.callback_url:
        joiner = "&" if "?" in txn.callback_url else "?"
        target = f"{txn.callback_url}{joiner}trxref={txn.reference}&reference={txn.reference}"
        link = f'<p><a href="{html.escape(target)}">Back to the shop</a></p>'
    return f'<p id="result" data-status="{html.escape(txn.status)}">{text}</p>{link}'


@router.get("/checkout/{access_code}", response_class=HTMLResponse)
async def checkout_page(request: Request, access_code: str) -> HTMLResponse:
    txn = _state(request).by_access_code(access_code)
    if txn is None:
        return HTMLResponse("<p>This payment link does not exist.</p>", status_code=404)
    if txn.status != "abandoned":
        return _page(txn, _result_body(txn))
    code = html.escape(access_code)
    forms = (
        f'<form method="post" action="/checkout/{code}/pay"><button id="pay" type="submit">'
        f"Pay</button></form>"
        f'<form method="post" action="/checkout/{code}/decline"><button id="decline" '
        f'type="submit">Decline</button></form>'
    )
    return _page(txn, forms)


@router.post("/checkout/{access_code}/pay", response_class=HTMLResponse)
async def checkout_pay(request: Request, access_code: str) -> HTMLResponse:
    state = _state(request)
    txn = state.by_access_code(access_code)
    if txn is None:
        return HTMLResponse("<p>This payment link does not exist.</p>", status_code=404)
    if txn.status == "abandoned":
        scripted = state.script.explicit(None, txn.amount, txn.reference, txn.email)
        delivery = scripted.delivery if scripted is not None else Delivery.ONCE
        settle(state, txn, ScriptedOutcome(result_code="0", delivery=delivery))
    return _page(txn, _result_body(txn))


@router.post("/checkout/{access_code}/decline", response_class=HTMLResponse)
async def checkout_decline(request: Request, access_code: str) -> HTMLResponse:
    state = _state(request)
    txn = state.by_access_code(access_code)
    if txn is None:
        return HTMLResponse("<p>This payment link does not exist.</p>", status_code=404)
    if txn.status == "abandoned":
        settle(state, txn, ScriptedOutcome(result_code="1"))
    return _page(txn, _result_body(txn))


# ---------------------------------------------------------------------------- settling


def settle(state: SandboxState, txn: PaystackTransaction, outcome: ScriptedOutcome) -> None:
    """Finish a transaction. Paystack sends webhooks for successful charges only."""
    if outcome.paid:
        txn.status = "success"
        txn.gateway_response = "Successful"
        txn.paid_at = now()
        if state.config.paystack_webhook_url and outcome.delivery is not Delivery.NONE:
            state.later(_send_webhook(state, txn, outcome.delivery))
    else:
        txn.status = "failed"
        txn.gateway_response = "Declined"


async def _settle_later(
    state: SandboxState, txn: PaystackTransaction, outcome: ScriptedOutcome
) -> None:
    delay = state.config.callback_delay_s if outcome.delay_s is None else outcome.delay_s
    await asyncio.sleep(delay)
    if txn.status == "abandoned":
        settle(state, txn, outcome)


async def _send_webhook(state: SandboxState, txn: PaystackTransaction, delivery: Delivery) -> None:
    url = state.config.paystack_webhook_url
    assert url is not None
    if delivery is Delivery.LATE:
        await asyncio.sleep(state.config.late_callback_delay_s)
    raw = json.dumps({"event": "charge.success", "data": transaction_data(txn)}).encode()
    headers = {SIGNATURE_HEADER: sign(raw, state.config.paystack_secret_key)}
    await state.post("paystack_webhook", url, raw, headers)
    if delivery is Delivery.TWICE:
        await asyncio.sleep(state.config.duplicate_gap_s)
        await state.post("paystack_webhook", url, raw, headers)
