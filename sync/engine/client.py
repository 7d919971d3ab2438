"""RelayClient: the relay's terminal API (docs/relay-api.md) over httpx, with failures sorted
into what a retry can fix (network, 5xx, 429) and what it cannot (other 4xx)."""

from __future__ import annotations

import ipaddress
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from sync.protocol import (
    API_PREFIX,
    IDEMPOTENCY_HEADER,
    MAX_PULL_LIMIT,
    MAX_PULL_WAIT_S,
    C2BClaimRequest,
    C2BClaimView,
    C2BReceivedList,
    OutboxEvent,
    OwnEventsResponse,
    PairRequest,
    PairResponse,
    PaymentLinkRequest,
    PaystackLinkRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    RefundView,
    RelayPaymentView,
    RelayRefundRequest,
    SeqGap,
    StkPushRequest,
    TerminalSettings,
)

M = TypeVar("M", bound=BaseModel)
C2B_CLAIMS_PATH = "/terminal/c2b/claims"
C2B_RECEIVED_PATH = "/terminal/c2b/received"


class RelayError(Exception):
    """Base of relay failures; messages never hold the token."""


class InsecureRelayUrl(RelayError, ValueError):
    pass


class RelayUnavailable(RelayError):
    """Network trouble, a 5xx or a 429: the same request may be retried later."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class RelayRefused(RelayError):
    """A 4xx: resending the same request will fail the same way."""

    def __init__(self, status: int, detail: str, code: str | None = None) -> None:
        super().__init__(f"relay refused the request ({status}): {detail}")
        self.status = status
        self.detail = detail
        self.code = code


class RelayUnauthorized(RelayRefused):
    """401: the terminal token is missing, unknown or revoked; pair the till again."""


class C2BTaken(RelayRefused):
    """409 to a C2B claim: the relay gave the payment to another till (`holder` says which and
    how), so this till must not count it."""

    def __init__(self, holder: C2BClaimView) -> None:
        super().__init__(409, f"the payment is with till {holder.till_name}")
        self.holder = holder


class SeqGapError(RelayError):
    def __init__(self, expected_till_seq: int) -> None:
        super().__init__(f"relay expects till_seq {expected_till_seq} next")
        self.expected_till_seq = expected_till_seq


def require_secure_url(url: str) -> str:
    """The relay address without a trailing slash; https, or plain http to a loopback host."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise InsecureRelayUrl(
            f"{url!r} is not a web address. Type the relay's address, e.g. https://relay.example.com"
        )
    if parts.scheme == "http" and not _is_loopback(host):
        raise InsecureRelayUrl(
            "The till talks to the relay only over https (the address must start with "
            "https://): a plain http address would send payment data and the till's token "
            "unencrypted. Plain http is allowed only for a relay on this computer (127.0.0.1)."
        )
    return url.strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _detail(response: httpx.Response) -> tuple[str, str | None]:
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or "error", None
    if isinstance(body, dict):
        detail = body.get("detail")
        code = body.get("code")
        text = detail if isinstance(detail, str) else str(detail)[:300]
        return text, code if isinstance(code, str) else None
    return str(body)[:300], None


class RelayClient:
    """One httpx connection pool to one relay. Thread-safe (httpx.Client is)."""

    def __init__(
        self,
        relay_url: str,
        token: str | None,
        *,
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.relay_url = require_secure_url(relay_url)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.timeout_s = timeout_s
        self._http = httpx.Client(
            base_url=self.relay_url + API_PREFIX,
            headers=headers,
            timeout=timeout_s,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RelayClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- terminal API ------------------------------------------------------------------------

    def pair(self, pairing_code: str, till_name: str) -> PairResponse:
        body = PairRequest(pairing_code=pairing_code, till_name=till_name)
        return self._call("POST", "/terminal/pair", PairResponse, json=body)

    def push(self, events: list[OutboxEvent]) -> PushResponse:
        return self._call("POST", "/terminal/events", PushResponse, json=PushRequest(events=events))

    def own_events(self, after: int, limit: int = MAX_PULL_LIMIT) -> OwnEventsResponse:
        """This till's own pushed events after `after` (rebuilding a lost ledger)."""
        return self._call(
            "GET",
            "/terminal/own-events",
            OwnEventsResponse,
            params={"after": after, "limit": max(1, min(MAX_PULL_LIMIT, limit))},
        )

    def pull(self, after: str | None, wait_s: float, limit: int = MAX_PULL_LIMIT) -> PullResponse:
        wait = max(0.0, min(float(MAX_PULL_WAIT_S), wait_s))
        params: dict[str, Any] = {"wait": wait, "limit": max(1, min(MAX_PULL_LIMIT, limit))}
        if after is not None:
            params["after"] = after
        return self._call(
            "GET", "/terminal/events", PullResponse, params=params, timeout=wait + self.timeout_s
        )

    def start_stk_push(self, request: StkPushRequest) -> RelayPaymentView:
        return self._call(
            "POST",
            "/terminal/payments/mpesa-stk",
            RelayPaymentView,
            json=request,
            headers={IDEMPOTENCY_HEADER: str(request.payment_id)},
        )

    def start_paystack_link(self, request: PaystackLinkRequest) -> RelayPaymentView:
        return self._call(
            "POST",
            "/terminal/payments/paystack-link",
            RelayPaymentView,
            json=request,
            headers={IDEMPOTENCY_HEADER: str(request.payment_id)},
        )

    def start_payment_link(self, request: PaymentLinkRequest) -> RelayPaymentView:
        return self._call(
            "POST",
            "/terminal/payments/link",
            RelayPaymentView,
            json=request,
            headers={IDEMPOTENCY_HEADER: str(request.payment_id)},
        )

    def refund(self, payment_id: str, request: RelayRefundRequest) -> RefundView:
        return self._call(
            "POST",
            f"/terminal/payments/{payment_id}/refund",
            RefundView,
            json=request,
            headers={IDEMPOTENCY_HEADER: str(request.refund_id)},
        )

    def payment(self, payment_id: str) -> RelayPaymentView:
        return self._call("GET", f"/terminal/payments/{payment_id}", RelayPaymentView)

    def settings(self) -> TerminalSettings:
        return self._call("GET", "/terminal/settings", TerminalSettings)

    def c2b_received(self, reference: str) -> C2BReceivedList:
        """C2B payments Daraja reported for an account reference, and whether confirmed."""
        return self._call(
            "GET", C2B_RECEIVED_PATH, C2BReceivedList, params={"reference": reference}
        )

    def claim_c2b(self, request: C2BClaimRequest) -> C2BClaimView:
        """Ask for an unmatched C2B payment (a supervisor's match); raises C2BTaken when
        another till of the shop has it. Asking again is harmless."""
        return self._call("POST", C2B_CLAIMS_PATH, C2BClaimView, json=request)

    # ---- plumbing ----------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        json: BaseModel | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> M:
        content = json.model_dump_json().encode() if json is not None else None
        all_headers = {"Content-Type": "application/json"} if content is not None else {}
        all_headers.update(headers or {})
        try:
            response = self._http.request(
                method,
                path,
                content=content,
                params=params,
                headers=all_headers,
                timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.HTTPError as exc:
            # str(exc) of a transport error names the URL at most, never headers
            raise RelayUnavailable(f"relay unreachable: {type(exc).__name__}: {exc}") from None
        except RuntimeError:
            # httpx's answer when the pool was closed under us (engine stopping, re-pairing)
            raise RelayUnavailable("relay connection closed") from None
        status = response.status_code
        if status == 409 and path == "/terminal/events":
            try:
                raise SeqGapError(SeqGap.model_validate(response.json()).expected_till_seq)
            except (ValueError, ValidationError):
                pass
        if status == 409 and path == C2B_CLAIMS_PATH:
            try:
                raise C2BTaken(C2BClaimView.model_validate_json(response.content))
            except ValidationError:
                pass
        if status == 429 or status >= 500:
            detail, _ = _detail(response)
            raise RelayUnavailable(
                f"relay busy or failing ({status}): {detail}", _retry_after(response)
            )
        if status == 401:
            raise RelayUnauthorized(status, "this till is not paired with the relay (or unpaired)")
        if status >= 400:
            detail, code = _detail(response)
            raise RelayRefused(status, detail, code)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            # a reply we cannot read is the relay's fault, not the request's: retry later
            raise RelayUnavailable(f"unreadable relay reply: {exc.error_count()} errors") from None
