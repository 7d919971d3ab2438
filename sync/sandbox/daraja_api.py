"""The Daraja endpoints the clients use, with Daraja's paths, reply shapes and error codes."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import secrets
from datetime import datetime
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, ValidationError

from sync.providers.daraja import (
    C2B_REGISTER_PATH,
    C2B_REGISTER_V1_PATH,
    C2B_SIMULATE_PATH,
    OAUTH_PATH,
    STK_PUSH_PATH,
    STK_QUERY_PATH,
    TRANSACTION_STATUS_PATH,
    stk_password,
)
from sync.providers.daraja_pull import PULL_QUERY_PATH, PULL_REGISTER_PATH, PULL_STAMP
from sync.providers.wire import NAIROBI, nairobi_stamp
from sync.sandbox.scripts import RESULT_DESCRIPTIONS, Delivery, ScriptedOutcome
from sync.sandbox.state import SandboxState, StkPayment, monotonic, now, random_code

router = APIRouter()

_MSISDN = re.compile(r"^254(7|1)\d{8}$")
_LOCAL_NUMBER = re.compile(r"^0(7|1)\d{8}$")  # Pull's NominatedNumber, as in its sample
_STAMP = re.compile(r"^\d{14}$")
_FORBIDDEN_URL_WORDS = ("mpesa", "m-pesa", "safaricom", "sql", "query", "exec", "cmd")


class _DarajaBody(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class StkPushBody(_DarajaBody):
    BusinessShortCode: str
    Password: str
    Timestamp: str
    TransactionType: str
    Amount: str
    PartyA: str
    PartyB: str
    PhoneNumber: str
    CallBackURL: str
    AccountReference: str
    TransactionDesc: str


class StkQueryBody(_DarajaBody):
    BusinessShortCode: str
    Password: str
    Timestamp: str
    CheckoutRequestID: str


class C2BRegisterBody(_DarajaBody):
    ShortCode: str
    ResponseType: str
    ConfirmationURL: str
    ValidationURL: str


class C2BSimulateBody(_DarajaBody):
    ShortCode: str
    CommandID: str
    Amount: str
    Msisdn: str
    BillRefNumber: str | None = None


class TransactionStatusBody(_DarajaBody):
    Initiator: str
    SecurityCredential: str
    CommandID: str
    TransactionID: str
    PartyA: str
    IdentifierType: str
    ResultURL: str
    QueueTimeOutURL: str
    Remarks: str = ""
    Occasion: str = ""


class PullRegisterBody(_DarajaBody):
    ShortCode: str
    RequestType: str
    NominatedNumber: str
    CallBackURL: str


class PullQueryBody(_DarajaBody):
    ShortCode: str
    StartDate: str
    EndDate: str
    OffSetValue: str = "0"


PULL_PAGE = 100  # rows per Pull Transactions page


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {
            "requestId": f"{secrets.token_hex(2)}-{secrets.token_hex(8)}",
            "errorCode": code,
            "errorMessage": message,
        },
        status_code=status,
    )


def _bad_request(field: str) -> JSONResponse:
    return _error(400, "400.002.02", f"Bad Request - Invalid {field}")


def _token_error(request: Request) -> JSONResponse | None:
    """Each consumer key has one valid token: the newest (as Daraja documents)."""
    auth = request.headers.get("authorization", "")
    token = auth.removeprefix("Bearer ").strip()
    if not auth.startswith("Bearer ") or token not in _state(request).tokens.values():
        return _error(404, "404.001.03", "Invalid Access Token")
    return None


B = TypeVar("B", bound=_DarajaBody)


async def _body(request: Request, model: type[B]) -> B | JSONResponse:
    """The body as `model`, sent with the app's current token; else Daraja's refusal."""
    if (refused := _token_error(request)) is not None:
        return refused
    try:
        raw = json.loads(await request.body())
        return model.model_validate(raw)
    except (ValueError, RecursionError):
        return _bad_request("JSON")
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else "request"
        return _bad_request(field)


def _password_ok(state: SandboxState, shortcode: str, password: str, stamp: str) -> bool:
    expected = stk_password(shortcode, state.config.daraja_passkey, stamp)
    return secrets.compare_digest(expected, password)


@router.get(OAUTH_PATH)
async def oauth(request: Request) -> JSONResponse:
    state = _state(request)
    if request.query_params.get("grant_type") != "client_credentials":
        return _error(400, "400.008.02", "Invalid grant type passed")
    auth = request.headers.get("authorization", "")
    try:
        key, _, secret = base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
    except ValueError:
        key = secret = ""
    config = state.config
    if not (
        auth.startswith("Basic ")
        and secrets.compare_digest(key, config.daraja_consumer_key)
        and secrets.compare_digest(secret, config.daraja_consumer_secret)
    ):
        return _error(400, "400.008.01", "Invalid Authentication passed")
    token = secrets.token_urlsafe(21)
    state.tokens[key] = token  # the previous token of this app stops working
    return JSONResponse({"access_token": token, "expires_in": str(config.token_lifetime_s)})


@router.post(STK_PUSH_PATH)
async def stk_push(request: Request) -> JSONResponse:
    state = _state(request)
    body = await _body(request, StkPushBody)
    if isinstance(body, JSONResponse):
        return body
    if body.BusinessShortCode != state.config.daraja_shortcode:
        return _bad_request("BusinessShortCode")
    if not _STAMP.match(body.Timestamp):
        return _bad_request("Timestamp")
    if not _password_ok(state, body.BusinessShortCode, body.Password, body.Timestamp):
        return _error(500, "500.001.1001", "Wrong credentials")
    if body.TransactionType not in ("CustomerPayBillOnline", "CustomerBuyGoodsOnline"):
        return _bad_request("TransactionType")
    if not body.Amount.isdigit() or int(body.Amount) < 1:
        return _bad_request("Amount")
    if not _MSISDN.match(body.PhoneNumber) or not _MSISDN.match(body.PartyA):
        return _bad_request("PhoneNumber")
    if not body.CallBackURL.startswith(("http://", "https://")):
        return _bad_request("CallBackURL")
    if not 0 < len(body.AccountReference) <= 12:
        return _bad_request("AccountReference")
    amount = int(body.Amount)
    outcome = state.script.for_stk(body.PhoneNumber, amount * 100, body.AccountReference)
    local = now().astimezone(NAIROBI)
    payment = StkPayment(
        merchant_request_id=f"{secrets.token_hex(2)}-{secrets.token_hex(2)}-"
        f"{secrets.token_hex(12)}",
        checkout_request_id=f"ws_CO_{local:%d%m%Y%H%M%S}{local.microsecond // 1000:03d}"
        f"{body.PhoneNumber[3:]}{secrets.randbelow(100):02d}",
        phone=body.PhoneNumber,
        amount=amount,
        account_reference=body.AccountReference,
        callback_url=body.CallBackURL,
        outcome=outcome,
        final_at=monotonic() + _delay(state, outcome),
        receipt=random_code(10),
    )
    state.stk[payment.checkout_request_id] = payment
    state.later(_deliver_stk_callback(state, payment))
    message = "Success. Request accepted for processing"
    return JSONResponse(
        {
            "MerchantRequestID": payment.merchant_request_id,
            "CheckoutRequestID": payment.checkout_request_id,
            "ResponseCode": "0",
            "ResponseDescription": message,
            "CustomerMessage": message,
        }
    )


def _delay(state: SandboxState, outcome: ScriptedOutcome) -> float:
    return state.config.callback_delay_s if outcome.delay_s is None else outcome.delay_s


def stk_callback_body(payment: StkPayment) -> dict[str, Any]:
    code = payment.outcome.result_code
    callback: dict[str, Any] = {
        "MerchantRequestID": payment.merchant_request_id,
        "CheckoutRequestID": payment.checkout_request_id,
        "ResultCode": int(code) if code.isdigit() else code,
        "ResultDesc": RESULT_DESCRIPTIONS.get(code, "The service request failed."),
    }
    if payment.outcome.paid:
        moment = (payment.completed_at or now()).astimezone(NAIROBI)
        callback["CallbackMetadata"] = {
            "Item": [
                {"Name": "Amount", "Value": payment.amount},
                {"Name": "MpesaReceiptNumber", "Value": payment.receipt},
                {"Name": "Balance"},
                {"Name": "TransactionDate", "Value": int(f"{moment:%Y%m%d%H%M%S}")},
                {"Name": "PhoneNumber", "Value": int(payment.phone)},
            ]
        }
    return {"Body": {"stkCallback": callback}}


async def _deliver_stk_callback(state: SandboxState, payment: StkPayment) -> None:
    config = state.config
    await asyncio.sleep(max(payment.final_at - monotonic(), 0.0))
    payment.completed_at = now()
    delivery = payment.outcome.delivery
    if delivery is Delivery.NONE:
        return
    if delivery is Delivery.LATE:
        await asyncio.sleep(config.late_callback_delay_s)
    raw = json.dumps(stk_callback_body(payment)).encode()
    await state.post("stk_callback", payment.callback_url, raw)
    if delivery is Delivery.TWICE:
        await asyncio.sleep(config.duplicate_gap_s)
        await state.post("stk_callback", payment.callback_url, raw)


@router.post(STK_QUERY_PATH)
async def stk_query(request: Request) -> JSONResponse:
    state = _state(request)
    body = await _body(request, StkQueryBody)
    if isinstance(body, JSONResponse):
        return body
    if body.BusinessShortCode != state.config.daraja_shortcode:
        return _bad_request("BusinessShortCode")
    if not _password_ok(state, body.BusinessShortCode, body.Password, body.Timestamp):
        return _error(500, "500.001.1001", "Wrong credentials")
    payment = state.stk.get(body.CheckoutRequestID)
    if payment is None:
        return _bad_request("CheckoutRequestID")
    if monotonic() < payment.final_at:
        return _error(500, "500.001.1001", "The transaction is being processed")
    code = payment.outcome.result_code
    return JSONResponse(
        {
            "ResponseCode": "0",
            "ResponseDescription": "The service request has been accepted successfully",
            "MerchantRequestID": payment.merchant_request_id,
            "CheckoutRequestID": payment.checkout_request_id,
            "ResultCode": code,
            "ResultDesc": RESULT_DESCRIPTIONS.get(code, "The service request failed."),
        }
    )


@router.post(C2B_REGISTER_PATH)
@router.post(C2B_REGISTER_V1_PATH)
async def c2b_register(request: Request) -> JSONResponse:
    state = _state(request)
    body = await _body(request, C2BRegisterBody)
    if isinstance(body, JSONResponse):
        return body
    if body.ShortCode != state.config.daraja_shortcode:
        return _bad_request("ShortCode")
    if body.ResponseType not in ("Completed", "Cancelled"):
        return _bad_request("ResponseType")
    for name, url in (
        ("ConfirmationURL", body.ConfirmationURL),
        ("ValidationURL", body.ValidationURL),
    ):
        lowered = url.lower()
        if not lowered.startswith(("http://", "https://")) or any(
            word in lowered for word in _FORBIDDEN_URL_WORDS
        ):
            return _bad_request(name)
    state.c2b_urls[body.ShortCode] = {
        "confirmation": body.ConfirmationURL,
        "validation": body.ValidationURL,
        "response_type": body.ResponseType,
    }
    return JSONResponse(
        {
            "OriginatorCoversationID": _conversation_id(),
            "ResponseCode": "0",
            "ResponseDescription": "Success",
        }
    )


@router.post(C2B_SIMULATE_PATH)
async def c2b_simulate(request: Request) -> JSONResponse:
    state = _state(request)
    body = await _body(request, C2BSimulateBody)
    if isinstance(body, JSONResponse):
        return body
    urls = state.c2b_urls.get(body.ShortCode)
    if urls is None:
        return _bad_request("ShortCode")
    if not body.Amount.isdigit() or int(body.Amount) < 1:
        return _bad_request("Amount")
    if not _MSISDN.match(body.Msisdn):
        return _bad_request("Msisdn")
    local = now().astimezone(NAIROBI)
    notice = {
        "TransactionType": "Pay Bill" if body.CommandID == "CustomerPayBillOnline" else "Buy Goods",
        "TransID": random_code(10),
        "TransTime": nairobi_stamp(local),
        "TransAmount": f"{int(body.Amount)}.00",
        "BusinessShortCode": body.ShortCode,
        "BillRefNumber": body.BillRefNumber or "",
        "InvoiceNumber": "",
        "OrgAccountBalance": "",
        "ThirdPartyTransID": "",
        "MSISDN": f"{body.Msisdn[:4]} ***** {body.Msisdn[-3:]}",
        "FirstName": "SANDBOX",
        "MiddleName": "",
        "LastName": "",
    }
    state.c2b[notice["TransID"]] = notice
    state.c2b_payers[notice["TransID"]] = body.Msisdn
    state.later(_deliver_c2b(state, urls, notice))
    return JSONResponse(
        {
            "OriginatorCoversationID": _conversation_id(),
            "ResponseCode": "0",
            "ResponseDescription": "Accept the service request successfully.",
        }
    )


async def _deliver_c2b(state: SandboxState, urls: dict[str, str], notice: dict[str, str]) -> None:
    """Validation first (when enabled); a refusal stops it, and so does silence when the URLs
    were registered with ResponseType "Cancelled"."""
    await asyncio.sleep(state.config.callback_delay_s)
    raw = json.dumps(notice).encode()
    if state.config.c2b_validation:
        reply = await state.post("c2b_validation", urls["validation"], raw)
        if reply is None or reply.status_code != 200:
            if urls["response_type"] == "Cancelled":
                return
        else:
            try:
                verdict = reply.json()
            except ValueError:
                verdict = {}
            if not isinstance(verdict, dict) or str(verdict.get("ResultCode")) != "0":
                return
    await state.post("c2b_confirmation", urls["confirmation"], raw)


@router.post(TRANSACTION_STATUS_PATH)
async def transaction_status(request: Request) -> JSONResponse:
    """Accepted at once; the result goes to the ResultURL later, as Daraja does. It knows the
    C2B payments this sandbox made (by TransID, for the shortcode that received them)."""
    state = _state(request)
    body = await _body(request, TransactionStatusBody)
    if isinstance(body, JSONResponse):
        return body
    config = state.config
    if body.Initiator != config.daraja_initiator or not secrets.compare_digest(
        body.SecurityCredential, config.daraja_security_credential
    ):
        return _error(400, "400.002.02", "Bad Request - Invalid Initiator or SecurityCredential")
    if body.CommandID != "TransactionStatusQuery":
        return _bad_request("CommandID")
    conversation = f"AG_{now():%Y%m%d}_{secrets.token_hex(10)}"
    originator = _conversation_id()
    notice = state.c2b.get(body.TransactionID.upper())
    if notice is not None and notice["BusinessShortCode"] != body.PartyA:
        notice = None
    state.later(_deliver_status(state, body.ResultURL, conversation, originator, notice))
    return JSONResponse(
        {
            "OriginatorConversationID": originator,
            "ConversationID": conversation,
            "ResponseCode": "0",
            "ResponseDescription": "Accept the service request successfully.",
        }
    )


async def _deliver_status(
    state: SandboxState,
    url: str,
    conversation: str,
    originator: str,
    notice: dict[str, str] | None,
) -> None:
    await asyncio.sleep(state.config.callback_delay_s)
    if notice is None:
        result: dict[str, Any] = {
            "Result": {
                "ConversationID": conversation,
                "OriginatorConversationID": originator,
                "ResultType": 0,
                "ResultCode": 2001,
                "ResultDesc": "The transaction receipt number is invalid.",
            }
        }
    else:
        result = transaction_status_result(
            notice["TransID"],
            int(notice["TransAmount"].removesuffix(".00")) * 100,
            notice["BusinessShortCode"],
            debit_party=f"{notice['MSISDN']} - {notice['FirstName']}",
            finalised=notice["TransTime"],
            conversation=conversation,
            originator=originator,
        )
    await state.post("transaction_status_result", url, json.dumps(result).encode())


def transaction_status_result(
    receipt: str,
    amount_minor: int,
    short_code: str,
    *,
    debit_party: str = "2547******149 - SANDBOX",
    finalised: str | None = None,
    conversation: str | None = None,
    originator: str | None = None,
) -> dict[str, Any]:
    """The body Daraja posts to a ResultURL when it knows the payment (ResultCode 0)."""
    stamp = finalised or nairobi_stamp(now().astimezone(NAIROBI))
    params = {
        "ReceiptNo": receipt,
        "Amount": f"{amount_minor / 100:g}",
        "TransactionStatus": "Completed",
        "DebitPartyName": debit_party,
        "CreditPartyName": f"{short_code} - Sandbox shop",
        "FinalisedTime": stamp,
        "InitiatedTime": stamp,
    }
    return {
        "Result": {
            "ConversationID": conversation or f"AG_{now():%Y%m%d}_{secrets.token_hex(10)}",
            "OriginatorConversationID": originator or _conversation_id(),
            "ResultType": 0,
            "ResultCode": 0,
            "ResultDesc": "The service request is processed successfully.",
            "ResultParameters": {
                "ResultParameter": [{"Key": k, "Value": v} for k, v in params.items()]
            },
            "TransactionID": receipt,
        }
    }


@router.post(PULL_REGISTER_PATH)
async def pull_register(request: Request) -> JSONResponse:
    state = _state(request)
    body = await _body(request, PullRegisterBody)
    if isinstance(body, JSONResponse):
        return body
    if body.ShortCode != state.config.daraja_shortcode:
        return _bad_request("ShortCode")
    if body.RequestType != "Pull":
        return _bad_request("RequestType")
    if not _LOCAL_NUMBER.match(body.NominatedNumber):
        return _bad_request("NominatedNumber")
    state.pull_registered.add(body.ShortCode)
    return JSONResponse(
        {
            "ResponseRefID": _conversation_id(),
            "ResponseStatus": "1000",
            "ShortCode": body.ShortCode,
            "ResponseDescription": f"Shortcode {body.ShortCode} Registered Successfully",
        }
    )


@router.post(PULL_QUERY_PATH)
async def pull_query(request: Request) -> JSONResponse:
    """The C2B payments this sandbox made to the shortcode in the window (Nairobi time), in
    the order they were made, a page from OffSetValue on."""
    state = _state(request)
    body = await _body(request, PullQueryBody)
    if isinstance(body, JSONResponse):
        return body
    if body.ShortCode not in state.pull_registered:
        return _error(400, "400.002.02", "Bad Request - ShortCode not registered for Pull")
    try:
        start = datetime.strptime(body.StartDate, PULL_STAMP).replace(tzinfo=NAIROBI)
        end = datetime.strptime(body.EndDate, PULL_STAMP).replace(tzinfo=NAIROBI)
    except ValueError:
        return _bad_request("StartDate")
    if not body.OffSetValue.isdigit():
        return _bad_request("OffSetValue")
    offset = int(body.OffSetValue)
    rows = [
        pull_row(notice, state.c2b_payers.get(trans_id, notice["MSISDN"]))
        for trans_id, notice in state.c2b.items()
        if notice["BusinessShortCode"] == body.ShortCode and start <= _notice_time(notice) <= end
    ]
    return JSONResponse(
        {
            "ResponseRefID": _conversation_id(),
            "ResponseCode": "1000",
            "ResponseMessage": "Success",
            "Response": [rows[offset : offset + PULL_PAGE]],
        }
    )


def _notice_time(notice: dict[str, str]) -> datetime:
    return datetime.strptime(notice["TransTime"], "%Y%m%d%H%M%S").replace(tzinfo=NAIROBI)


def pull_row(notice: dict[str, str], msisdn: str) -> dict[str, Any]:
    """A C2B payment as Pull Transactions lists it."""
    paybill = notice["TransactionType"] == "Pay Bill"
    return {
        "transactionId": notice["TransID"],
        "trxDate": _notice_time(notice).isoformat(timespec="seconds"),
        "msisdn": int(msisdn) if msisdn.isdigit() else msisdn,
        "sender": notice["FirstName"],
        "transactiontype": "c2b-pay-bill-debit" if paybill else "c2b-buy-goods-debit",
        "billreference": notice["BillRefNumber"],
        "amount": notice["TransAmount"].removesuffix(".00"),
        "organizationname": "Sandbox shop",
    }


def _conversation_id() -> str:
    return f"{secrets.token_hex(2)}-{secrets.token_hex(2)}-{secrets.token_hex(15)}"
