"""M-Pesa Daraja (Safaricom): OAuth, STK push and query, C2B, and the bodies Daraja posts to us.

All that is known of Daraja lives here; see docs/providers.md and the published samples copied
under tests/providers/samples (stk_*, c2b_*, ...). Facts that shape the code:
- a new OAuth token invalidates the previous one for the same app, so one client (on the relay)
  owns the token for each consumer key, and refreshes it before it expires;
- an STK push has no idempotency: it is sent once and never resent automatically;
- result codes decide the outcome (their meanings live in sync.providers.mpesa_codes);
  ResultDesc text changes over the years and is only shown;
- callbacks are unsigned, loosely typed and delivered once.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

import httpx

from sync.providers.base import (
    PaymentInitiation,
    PaymentOutcome,
    PaymentRequest,
    ProviderError,
    ProviderNotification,
    ProviderPayloadError,
    ProviderStatus,
    register_provider,
)
from sync.providers.http import HttpProviderClient, overloaded, unreachable
from sync.providers.mpesa_codes import describe_result, normalise_result_code
from sync.providers.phones import InvalidPhone, mask_msisdn, normalise_msisdn
from sync.providers.wire import (
    as_text,
    json_or_empty,
    load_json_object,
    major_to_minor,
    nairobi_stamp,
    nothing_was_sent,
    parse_nairobi_stamp,
)

log = logging.getLogger(__name__)

SANDBOX_URL = "https://sandbox.safaricom.co.ke"
PRODUCTION_URL = "https://api.safaricom.co.ke"
SANDBOX_PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"

OAUTH_PATH = "/oauth/v1/generate"
STK_PUSH_PATH = "/mpesa/stkpush/v1/processrequest"
STK_QUERY_PATH = "/mpesa/stkpushquery/v1/query"
C2B_REGISTER_PATH = "/mpesa/c2b/v2/registerurl"
C2B_REGISTER_V1_PATH = "/mpesa/c2b/v1/registerurl"  # older clients still use it; same body
C2B_SIMULATE_PATH = "/mpesa/c2b/v2/simulate"
TRANSACTION_STATUS_PATH = "/mpesa/transactionstatus/v1/query"

MAX_AMOUNT_MINOR = 250_000_00
MIN_AMOUNT_MINOR = 1_00
MAX_ACCOUNT_REFERENCE = 12
MAX_TRANSACTION_DESC = 13
TOKEN_REFRESH_MARGIN_S = 60.0

ERROR_INVALID_TOKEN = "404.001.03"
ERROR_IN_PROCESS = "500.001.1001"
ERROR_BAD_REQUEST = "400.002.02"

# Safaricom refuses callback URLs containing these words (case-insensitive).
_FORBIDDEN_URL_WORDS = ("m-pesa", "mpesa", "safaricom", "sql", "query", "exec", "cmd")


@dataclass(frozen=True)
class DarajaConfig:
    consumer_key: str = field(repr=False)
    consumer_secret: str = field(repr=False)
    shortcode: str
    passkey: str = field(repr=False)
    till_number: str | None = None  # set => Buy Goods (CustomerBuyGoodsOnline, PartyB = till)
    base_url: str | None = None  # None => sandbox host in test mode, production otherwise
    test_mode: bool = False
    timeout_s: float = 10.0
    retry_backoff_s: float = 0.5
    # Only for Transaction Status: the API operator's name and the credential the Daraja
    # portal encrypts with Safaricom's certificate.
    initiator: str | None = None
    security_credential: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.base_url is None:
            object.__setattr__(self, "base_url", SANDBOX_URL if self.test_mode else PRODUCTION_URL)
        object.__setattr__(self, "base_url", str(self.base_url).rstrip("/"))
        for name in ("shortcode", "till_number"):  # numbers in some settings files
            if isinstance(getattr(self, name), int):
                object.__setattr__(self, name, str(getattr(self, name)))
        for name in ("consumer_key", "consumer_secret", "shortcode", "passkey"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"DarajaConfig.{name} is missing")

    @property
    def transaction_type(self) -> str:
        return "CustomerBuyGoodsOnline" if self.till_number else "CustomerPayBillOnline"

    @property
    def party_b(self) -> str:
        return self.till_number or self.shortcode


# ---------------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class StkPushAccepted:
    merchant_request_id: str
    checkout_request_id: str
    customer_message: str


@dataclass(frozen=True, slots=True)
class StkQueryResult:
    outcome: PaymentOutcome
    result_code: str | None
    message: str
    checkout_request_id: str = ""
    merchant_request_id: str | None = None


@dataclass(frozen=True, slots=True)
class StkCallback:
    merchant_request_id: str
    checkout_request_id: str
    result_code: str
    outcome: PaymentOutcome
    amount_minor: int | None
    receipt_number: str | None
    transaction_time: datetime | None
    phone: str | None
    message: str


@dataclass(frozen=True, slots=True)
class C2BPayment:
    trans_id: str
    trans_time: datetime
    amount_minor: int
    short_code: str
    bill_ref: str
    msisdn_masked: str
    first_name: str
    transaction_type: str
    currency: str = "KES"


@dataclass(frozen=True, slots=True)
class C2BRegistration:
    response_code: str
    description: str
    originator_conversation_id: str | None


@dataclass(frozen=True, slots=True)
class TransactionStatusAccepted:
    conversation_id: str
    originator_conversation_id: str
    description: str


@dataclass(frozen=True, slots=True)
class TransactionStatusResult:
    """The asynchronous answer Daraja POSTs to the ResultURL of a Transaction Status query."""

    result_code: str
    found: bool  # Daraja knows the transaction (result code 0)
    message: str
    conversation_id: str | None
    originator_conversation_id: str | None
    receipt: str | None
    amount_minor: int | None
    status: str | None  # TransactionStatus, e.g. "Completed"
    debit_party: str | None
    credit_party: str | None
    finalised_at: datetime | None


class C2BRejectCode(StrEnum):
    INVALID_MSISDN = "C2B00011"
    INVALID_ACCOUNT = "C2B00012"
    INVALID_AMOUNT = "C2B00013"
    INVALID_KYC = "C2B00014"
    INVALID_SHORTCODE = "C2B00015"
    OTHER = "C2B00016"


# ---------------------------------------------------------------------------------- parsing


def parse_stk_callback(body: bytes | str | Mapping[str, Any]) -> StkCallback:
    """Parse the body Daraja POSTs to the CallBackURL. Metadata items are read by Name; an item
    without a usable Value gives None. Raises ProviderPayloadError, nothing else."""
    data = load_json_object(body, "STK callback")
    envelope = data.get("Body")
    callback = envelope.get("stkCallback") if isinstance(envelope, dict) else None
    if not isinstance(callback, dict):
        raise ProviderPayloadError("STK callback: no Body.stkCallback object")
    merchant_id = as_text(callback.get("MerchantRequestID"))
    checkout_id = as_text(callback.get("CheckoutRequestID"))
    code = normalise_result_code(callback.get("ResultCode"))
    if checkout_id is None or merchant_id is None:
        raise ProviderPayloadError("STK callback: MerchantRequestID/CheckoutRequestID missing")
    if code is None:
        raise ProviderPayloadError("STK callback: ResultCode missing")
    items = _metadata_items(callback.get("CallbackMetadata"))
    receipt = as_text(items.get("MpesaReceiptNumber"))
    return StkCallback(
        merchant_request_id=merchant_id,
        checkout_request_id=checkout_id,
        result_code=code,
        outcome=describe_result(code).outcome,
        amount_minor=major_to_minor(items.get("Amount")),
        receipt_number=receipt.upper() if receipt else None,
        transaction_time=parse_nairobi_stamp(items.get("TransactionDate")),
        phone=as_text(items.get("PhoneNumber")),
        message=as_text(callback.get("ResultDesc")) or "",
    )


def _metadata_items(metadata: Any) -> dict[str, Any]:
    items = metadata.get("Item") if isinstance(metadata, dict) else None
    if isinstance(items, dict):  # a single item has been seen unwrapped from its list
        items = [items]
    found: dict[str, Any] = {}
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("Name"), str):
                found.setdefault(item["Name"], item.get("Value"))
    return found


def parse_c2b(body: bytes | str | Mapping[str, Any]) -> C2BPayment:
    """Parse a C2B confirmation or validation body (every value a string, MSISDN masked)."""
    data = load_json_object(body, "C2B notification")
    trans_id = as_text(data.get("TransID"))
    if trans_id is None:
        raise ProviderPayloadError("C2B notification: TransID missing")
    trans_time = parse_nairobi_stamp(data.get("TransTime"))
    if trans_time is None:
        raise ProviderPayloadError("C2B notification: TransTime missing or not YYYYMMDDHHmmss")
    amount = major_to_minor(data.get("TransAmount"))
    if amount is None:
        raise ProviderPayloadError("C2B notification: TransAmount missing or not an amount")
    short_code = as_text(data.get("BusinessShortCode"))
    if short_code is None:
        raise ProviderPayloadError("C2B notification: BusinessShortCode missing")
    return C2BPayment(
        trans_id=trans_id.upper(),
        trans_time=trans_time,
        amount_minor=amount,
        short_code=short_code,
        bill_ref=as_text(data.get("BillRefNumber")) or "",
        msisdn_masked=as_text(data.get("MSISDN")) or "",
        first_name=as_text(data.get("FirstName")) or "",
        transaction_type=as_text(data.get("TransactionType")) or "",
    )


def parse_transaction_status_result(
    body: bytes | str | Mapping[str, Any],
) -> TransactionStatusResult:
    """Parse a Transaction Status result. Parameters are read by Key; the first of a repeated
    key wins (Daraja has been seen sending DebitPartyName twice)."""
    data = load_json_object(body, "Transaction status result")
    result = data.get("Result")
    if not isinstance(result, dict):
        raise ProviderPayloadError("Transaction status result: no Result object")
    code = normalise_result_code(result.get("ResultCode"))
    if code is None:
        raise ProviderPayloadError("Transaction status result: ResultCode missing")
    container = result.get("ResultParameters")
    entries = container.get("ResultParameter") if isinstance(container, dict) else None
    if isinstance(entries, dict):
        entries = [entries]
    params: dict[str, Any] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("Key"), str):
            params.setdefault(entry["Key"], entry.get("Value"))
    receipt = as_text(params.get("ReceiptNo"))
    return TransactionStatusResult(
        result_code=code,
        found=code == "0",
        message=as_text(result.get("ResultDesc")) or "",
        conversation_id=as_text(result.get("ConversationID")),
        originator_conversation_id=as_text(result.get("OriginatorConversationID")),
        receipt=receipt.upper() if receipt else None,
        amount_minor=major_to_minor(params.get("Amount")),
        status=as_text(params.get("TransactionStatus")),
        debit_party=as_text(params.get("DebitPartyName")),
        credit_party=as_text(params.get("CreditPartyName")),
        finalised_at=parse_nairobi_stamp(params.get("FinalisedTime")),
    )


def c2b_validation_reply(accept: bool, code: str = C2BRejectCode.OTHER) -> dict[str, str]:
    """The body to answer a C2B validation request with (within about 8 seconds)."""
    if accept:
        return {"ResultCode": "0", "ResultDesc": "Accepted"}
    if code not in set(C2BRejectCode):
        raise ValueError(f"not a C2B reject code: {code!r}")
    return {"ResultCode": str(code), "ResultDesc": "Rejected"}


def stk_password(shortcode: str, passkey: str, timestamp: str) -> str:
    return base64.b64encode(f"{shortcode}{passkey}{timestamp}".encode()).decode()


def check_callback_url(url: str) -> None:
    lowered = url.lower()
    bad = [word for word in _FORBIDDEN_URL_WORDS if word in lowered]
    if not lowered.startswith(("https://", "http://")) or bad:
        raise ProviderError(
            "daraja_bad_callback_url",
            "The relay's callback address is not acceptable to M-Pesa"
            + (f" (it contains {bad[0]!r})" if bad else "")
            + ". Owner: change the relay's public URL.",
        )


# ---------------------------------------------------------------------------------- client


class DarajaClient(HttpProviderClient):
    """Async Daraja client. Share ONE instance per consumer key: each token it mints revokes
    the previous one for that app."""

    name: ClassVar[str] = "mpesa"

    def __init__(
        self,
        config: DarajaConfig,
        http: httpx.AsyncClient | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(config, http)
        self.config = config
        self._clock = clock
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._token_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"DarajaClient(shortcode={self.config.shortcode!r}, url={self.config.base_url!r})"

    # -------------------------------------------------------------------------- token

    async def get_token(self) -> str:
        """A valid access token, minted at most once at a time and ~60 s before expiry."""
        if self._token_is_fresh():
            assert self._token is not None
            return self._token
        async with self._token_lock:
            if self._token_is_fresh():  # another task refreshed it while we waited
                assert self._token is not None
                return self._token
            return await self._mint_token()

    def invalidate_token(self) -> None:
        self._token = None

    def _token_is_fresh(self) -> bool:
        return self._token is not None and self._clock() < self._token_expires_at

    async def _mint_token(self) -> str:
        basic = base64.b64encode(
            f"{self.config.consumer_key}:{self.config.consumer_secret}".encode()
        ).decode()
        response = await self._request(
            "GET",
            OAUTH_PATH,
            idempotent=True,
            params={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
        if response.status_code in (400, 401, 403):
            raise ProviderError(
                "daraja_auth_failed",
                "M-Pesa refused the shop's consumer key/secret. Owner: check MPESA_CONSUMER_KEY "
                "and MPESA_CONSUMER_SECRET, and that test mode matches the keys.",
                http_status=response.status_code,
            )
        if response.status_code != 200:
            raise api_error(response, "token")
        body = json_or_empty(response)
        token = as_text(body.get("access_token"))
        expires = as_text(body.get("expires_in"))
        try:
            lifetime = float(expires) if expires is not None else 0.0
        except ValueError:
            lifetime = 0.0
        if token is None or lifetime <= 0:
            raise ProviderError(
                "daraja_bad_token_reply",
                "M-Pesa sent an unusable login reply. Try again in a minute.",
                retryable=True,
                http_status=response.status_code,
            )
        self._token = token
        self._token_expires_at = self._clock() + max(lifetime - TOKEN_REFRESH_MARGIN_S, 0.0)
        return token

    # -------------------------------------------------------------------------- STK

    async def stk_push(
        self,
        phone: str,
        amount_minor: int,
        account_reference: str,
        description: str,
        callback_url: str,
    ) -> StkPushAccepted:
        """Send the payment prompt to the customer's phone. Sent ONCE: on a timeout the prompt
        may still arrive, so the caller must wait for the callback/query, not resend."""
        msisdn = _checked_phone(phone)
        shillings = _checked_amount(amount_minor)
        reference = account_reference.strip()
        if not reference or len(reference) > MAX_ACCOUNT_REFERENCE:
            raise ProviderError(
                "daraja_bad_account_reference",
                f"The M-Pesa account reference must be 1 to {MAX_ACCOUNT_REFERENCE} characters.",
                detail=f"account reference has {len(reference)} characters",
            )
        check_callback_url(callback_url)
        timestamp = nairobi_stamp()
        body = {
            "BusinessShortCode": self.config.shortcode,
            "Password": stk_password(self.config.shortcode, self.config.passkey, timestamp),
            "Timestamp": timestamp,
            "TransactionType": self.config.transaction_type,
            "Amount": shillings,
            "PartyA": msisdn,
            "PartyB": self.config.party_b,
            "PhoneNumber": msisdn,
            "CallBackURL": callback_url,
            "AccountReference": reference,
            "TransactionDesc": (description.strip() or reference)[:MAX_TRANSACTION_DESC],
        }
        log.info("STK push to %s for KES %d", mask_msisdn(msisdn), shillings)
        try:
            response = await self.authorised("POST", STK_PUSH_PATH, body, idempotent=False)
        except httpx.TransportError as exc:
            raise _push_transport_error(exc) from None
        reply = json_or_empty(response)
        if response.status_code == 200 and as_text(reply.get("ResponseCode")) == "0":
            merchant_id = as_text(reply.get("MerchantRequestID"))
            checkout_id = as_text(reply.get("CheckoutRequestID"))
            if merchant_id and checkout_id:
                return StkPushAccepted(
                    merchant_request_id=merchant_id,
                    checkout_request_id=checkout_id,
                    customer_message=as_text(reply.get("CustomerMessage")) or "",
                )
        if response.status_code in (500, 502, 504) and not _is_daraja_answer(response):
            # A gateway failure after the request left us: Safaricom may have sent the prompt.
            raise ProviderError(
                "daraja_push_unknown",
                "M-Pesa did not confirm the request: the customer may still get the prompt. Ask "
                "the customer and wait for the result before sending another prompt.",
                http_status=response.status_code,
                detail=f"stk_push: HTTP {response.status_code}",
            )
        raise api_error(response, "stk_push")

    async def stk_query(self, checkout_request_id: str) -> StkQueryResult:
        """Ask Daraja for the outcome of a push. "Being processed" comes back as PENDING."""
        if not isinstance(checkout_request_id, str) or not checkout_request_id.strip():
            raise ProviderError("daraja_bad_request", "No M-Pesa request id to ask about.")
        timestamp = nairobi_stamp()
        body = {
            "BusinessShortCode": self.config.shortcode,
            "Password": stk_password(self.config.shortcode, self.config.passkey, timestamp),
            "Timestamp": timestamp,
            "CheckoutRequestID": checkout_request_id,
        }
        try:
            response = await self.authorised("POST", STK_QUERY_PATH, body, idempotent=True)
        except httpx.TransportError as exc:
            raise network_error(exc) from None
        reply = json_or_empty(response)
        error_code = as_text(reply.get("errorCode"))
        if error_code == ERROR_IN_PROCESS:
            return StkQueryResult(
                outcome=PaymentOutcome.PENDING,
                result_code=None,
                message=as_text(reply.get("errorMessage")) or "The transaction is being processed",
                checkout_request_id=checkout_request_id,
            )
        result_code = normalise_result_code(reply.get("ResultCode"))
        if response.status_code == 200 and result_code is not None:
            return StkQueryResult(
                outcome=describe_result(result_code).outcome,
                result_code=result_code,
                message=as_text(reply.get("ResultDesc")) or "",
                checkout_request_id=as_text(reply.get("CheckoutRequestID")) or checkout_request_id,
                merchant_request_id=as_text(reply.get("MerchantRequestID")),
            )
        raise api_error(response, "stk_query")

    # -------------------------------------------------------------------------- C2B

    async def register_c2b_urls(
        self, confirmation_url: str, validation_url: str, response_type: str = "Completed"
    ) -> C2BRegistration:
        """Tell Daraja where to send paybill/till payments made from the SIM menu.
        `response_type` says what Daraja does when the validation URL does not answer."""
        if response_type not in ("Completed", "Cancelled"):
            raise ValueError("response_type must be 'Completed' or 'Cancelled'")
        check_callback_url(confirmation_url)
        check_callback_url(validation_url)
        body = {
            "ShortCode": self.config.shortcode,
            "ResponseType": response_type,
            "ConfirmationURL": confirmation_url,
            "ValidationURL": validation_url,
        }
        try:
            response = await self.authorised("POST", C2B_REGISTER_PATH, body, idempotent=False)
        except httpx.TransportError as exc:
            raise network_error(exc) from None
        reply = json_or_empty(response)
        if response.status_code == 200 and as_text(reply.get("ResponseCode")) == "0":
            return C2BRegistration(
                response_code="0",
                description=as_text(reply.get("ResponseDescription")) or "",
                # Daraja spells it "OriginatorCoversationID"; accept the corrected spelling too.
                originator_conversation_id=as_text(
                    reply.get("OriginatorCoversationID") or reply.get("OriginatorConversationID")
                ),
            )
        raise api_error(response, "c2b_register")

    async def simulate_c2b(
        self, amount_minor: int, msisdn: str, bill_ref: str | None = None
    ) -> str:
        """Sandbox only: make Daraja send a C2B payment to the registered URLs."""
        if not self.config.test_mode:
            raise ProviderError(
                "daraja_live_simulation",
                "C2B simulation exists only in test mode.",
            )
        body = {
            "ShortCode": self.config.shortcode,
            "CommandID": self.config.transaction_type,
            "Amount": _checked_amount(amount_minor),
            "Msisdn": _checked_phone(msisdn),
            "BillRefNumber": bill_ref if not self.config.till_number else None,
        }
        try:
            response = await self.authorised("POST", C2B_SIMULATE_PATH, body, idempotent=False)
        except httpx.TransportError as exc:
            raise network_error(exc) from None
        reply = json_or_empty(response)
        if response.status_code == 200 and as_text(reply.get("ResponseCode")) == "0":
            return as_text(reply.get("OriginatorCoversationID")) or ""
        raise api_error(response, "c2b_simulate")

    # -------------------------------------------------------------------------- lookup

    async def transaction_status(
        self, transaction_id: str, result_url: str, timeout_url: str, remarks: str = "Check"
    ) -> TransactionStatusAccepted:
        """Ask Daraja about a receipt code (e.g. one a cashier typed). The answer arrives later
        at `result_url` (parse it with parse_transaction_status_result). Read-only, so a lost
        reply may be asked again."""
        if not self.config.initiator or not self.config.security_credential:
            raise ProviderError(
                "daraja_no_initiator",
                "Checking receipt codes with M-Pesa needs the API initiator name and security "
                "credential. Owner: add them in the M-Pesa settings.",
            )
        receipt = transaction_id.strip().upper()
        if not (9 <= len(receipt) <= 12 and receipt.isascii() and receipt.isalnum()):
            raise ProviderError(
                "daraja_bad_receipt", "An M-Pesa receipt code is 10 letters and digits."
            )
        check_callback_url(result_url)
        check_callback_url(timeout_url)
        body = {
            "Initiator": self.config.initiator,
            "SecurityCredential": self.config.security_credential,
            "CommandID": "TransactionStatusQuery",
            "TransactionID": receipt,
            "PartyA": self.config.shortcode,
            "IdentifierType": "4",  # 4 = organisation shortcode
            "ResultURL": result_url,
            "QueueTimeOutURL": timeout_url,
            "Remarks": remarks[:100] or "Check",
            "Occasion": "",
        }
        try:
            response = await self.authorised(
                "POST", TRANSACTION_STATUS_PATH, body, idempotent=True
            )
        except httpx.TransportError as exc:
            raise network_error(exc) from None
        reply = json_or_empty(response)
        if response.status_code == 200 and as_text(reply.get("ResponseCode")) == "0":
            return TransactionStatusAccepted(
                conversation_id=as_text(reply.get("ConversationID")) or "",
                originator_conversation_id=as_text(reply.get("OriginatorConversationID")) or "",
                description=as_text(reply.get("ResponseDescription")) or "",
            )
        raise api_error(response, "transaction_status")

    # -------------------------------------------------------------------------- interface

    async def initialize_payment(self, request: PaymentRequest) -> PaymentInitiation:
        if request.currency.upper() != "KES":
            raise ProviderError(
                "daraja_currency", "M-Pesa (Daraja) takes Kenya shillings (KES) only."
            )
        if not request.phone:
            raise ProviderError(
                "daraja_missing_phone",
                "Type the customer's M-Pesa phone number to send the prompt.",
            )
        if not request.callback_url:
            raise ValueError("an STK push needs the relay's callback_url")
        accepted = await self.stk_push(
            request.phone,
            request.amount_minor,
            request.account_reference or request.reference,
            request.description,
            request.callback_url,
        )
        return PaymentInitiation(
            provider=self.name,
            reference=request.reference,
            provider_reference=accepted.checkout_request_id,
            customer_message=accepted.customer_message,
        )

    async def verify_payment(self, reference: str) -> ProviderStatus:
        result = await self.stk_query(reference)
        return ProviderStatus(
            provider=self.name,
            provider_reference=reference,
            outcome=result.outcome,
            message=result.message,
            result_code=result.result_code,
            currency="KES",
        )

    def parse_webhook(self, raw: bytes, headers: Mapping[str, str]) -> list[ProviderNotification]:
        """STK callbacks and C2B confirmations, told apart by shape. Daraja signs nothing: the
        relay must check its secret URL token and re-query before trusting."""
        data = load_json_object(raw, "Daraja callback")
        if "Body" in data:
            callback = parse_stk_callback(data)
            return [
                ProviderNotification(
                    provider=self.name,
                    kind="stk_callback",
                    dedupe_key=f"stk:{callback.checkout_request_id}",
                    outcome=callback.outcome,
                    provider_reference=callback.checkout_request_id,
                    result_code=callback.result_code,
                    amount_minor=callback.amount_minor,
                    currency="KES",
                    receipt=callback.receipt_number,
                    payer=mask_msisdn(callback.phone) if callback.phone else None,
                    occurred_at=callback.transaction_time,
                    message=callback.message,
                    raw=data,
                )
            ]
        payment = parse_c2b(data)
        return [
            ProviderNotification(
                provider=self.name,
                kind="c2b_confirmation",
                dedupe_key=f"c2b:{payment.trans_id}",
                outcome=PaymentOutcome.PAID,
                provider_reference=payment.trans_id,
                amount_minor=payment.amount_minor,
                currency="KES",
                receipt=payment.trans_id,
                account_reference=payment.bill_ref or None,
                payer=payment.msisdn_masked or None,
                occurred_at=payment.trans_time,
                raw=data,
            )
        ]

    # -------------------------------------------------------------------------- plumbing

    async def authorised(
        self, method: str, path: str, body: dict[str, Any], *, idempotent: bool
    ) -> httpx.Response:
        """Send with a bearer token; when Daraja says the token is invalid (another holder of
        the key minted a new one), refresh once and resend. The gateway rejected the first
        attempt before processing it, so the resend cannot double anything."""
        for attempt in (1, 2):
            token = await self.get_token()
            response = await self._request(
                method,
                path,
                idempotent=idempotent,
                json=body,
                headers={"Authorization": f"Bearer {token}"},
            )
            invalid_token = response.status_code in (401, 404) and (
                as_text(json_or_empty(response).get("errorCode")) == ERROR_INVALID_TOKEN
                or response.status_code == 401
            )
            if not invalid_token or attempt == 2:
                return response
            log.warning("Daraja rejected the access token; minting a new one")
            self.invalidate_token()
        raise AssertionError("unreachable: the loop returns on its second attempt")

    async def _request(
        self, method: str, path: str, *, idempotent: bool, **kwargs: Any
    ) -> httpx.Response:
        try:
            return await self._send(
                method, path, idempotent=idempotent, is_answer=_is_daraja_answer, **kwargs
            )
        except httpx.TransportError as exc:
            if path == OAUTH_PATH:
                raise network_error(exc) from None
            raise


def _is_daraja_answer(response: httpx.Response) -> bool:
    """Daraja answers "still being processed" with HTTP 500: that is news, not an outage."""
    return as_text(json_or_empty(response).get("errorCode")) == ERROR_IN_PROCESS


def _checked_phone(phone: str) -> str:
    try:
        return normalise_msisdn(phone, "KE")
    except InvalidPhone as exc:
        raise ProviderError("invalid_phone", str(exc)) from None


def _checked_amount(amount_minor: int) -> int:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise ProviderError("daraja_bad_amount", "The amount must be a whole number of cents.")
    if amount_minor % 100:
        raise ProviderError(
            "daraja_bad_amount",
            "M-Pesa takes whole shillings only: round the amount to the shilling.",
        )
    if amount_minor < MIN_AMOUNT_MINOR:
        raise ProviderError("daraja_bad_amount", "M-Pesa payments must be at least KES 1.")
    if amount_minor > MAX_AMOUNT_MINOR:
        raise ProviderError(
            "daraja_amount_over_limit",
            "M-Pesa allows at most KES 250,000 per payment. Split the payment or use another "
            "method.",
        )
    return amount_minor // 100


def _push_transport_error(exc: httpx.TransportError) -> ProviderError:
    if nothing_was_sent(exc):
        return ProviderError(
            "daraja_unreachable",
            "Could not reach M-Pesa; no prompt was sent. Check the internet connection and try "
            "again.",
            retryable=True,
            detail=type(exc).__name__,
        )
    return ProviderError(
        "daraja_push_unknown",
        "M-Pesa did not answer in time: the customer may still get the prompt. Ask the customer "
        "and wait for the result before sending another prompt.",
        retryable=False,
        detail=type(exc).__name__,
    )


def network_error(exc: httpx.TransportError) -> ProviderError:
    return unreachable("daraja", "M-Pesa", exc)


def api_error(response: httpx.Response, operation: str) -> ProviderError:
    """Turn a Daraja error reply ({requestId, errorCode, errorMessage} or a refusal) into a
    ProviderError keyed on the error code."""
    reply = json_or_empty(response)
    code = as_text(reply.get("errorCode")) or as_text(reply.get("ResponseCode")) or ""
    message = as_text(reply.get("errorMessage")) or as_text(reply.get("ResponseDescription"))
    message = (message or "")[:200]
    status = response.status_code
    detail = f"{operation}: HTTP {status} {code} {message}".strip()
    if code == ERROR_INVALID_TOKEN:
        return ProviderError(
            "daraja_token_rejected",
            "M-Pesa keeps rejecting the relay's login. Another system may be using the same "
            "consumer key; owner: give each system its own Daraja app.",
            retryable=True,
            http_status=status,
            detail=detail,
        )
    if code.startswith("400.002"):
        return ProviderError(
            "daraja_bad_request",
            f"M-Pesa refused the request ({message or 'bad request'}). Check the phone number "
            "and amount; owner: check the shortcode, till number and passkey.",
            http_status=status,
            detail=detail,
        )
    if code == ERROR_IN_PROCESS:
        return ProviderError(
            "daraja_not_started",
            "M-Pesa could not start the payment. Wait a minute and try again; if it keeps "
            "happening the shop's M-Pesa settings (shortcode/passkey) may be wrong.",
            http_status=status,
            detail=detail,
        )
    busy = overloaded("daraja", "M-Pesa", status, detail, ", or use the paybill/till")
    if busy is not None:
        return busy
    if status == 200 and code:
        return ProviderError(
            "daraja_refused",
            f"M-Pesa did not accept the request ({message or 'code ' + code}).",
            http_status=status,
            detail=detail,
        )
    return ProviderError(
        "daraja_error",
        "M-Pesa gave an unexpected answer. Try again; if it repeats, tell the owner.",
        retryable=status >= 500,
        http_status=status,
        detail=detail,
    )


register_provider(DarajaClient.name, DarajaClient)
