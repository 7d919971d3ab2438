"""M-Pesa Daraja Pull Transactions: reconciliation of C2B payments whose confirmation callback
never reached the relay.

Daraja keeps a shortcode's C2B transactions for about 48 hours; once the shortcode is
registered for Pull (register), a query lists those made in a window, a page at a time
(OffSetValue). The reply comes over the authenticated API (the shop's own OAuth token), so a
row is Daraja's word, not a claim. Shapes follow Safaricom's portal page for the API (see
docs/hosting.md, "Pull Transactions", for where sources disagree). The reply is parsed
strictly: a malformed reply is an error, never money.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

import httpx
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from sync.providers.base import ProviderError
from sync.providers.daraja import DarajaClient, api_error, check_callback_url, network_error
from sync.providers.phones import InvalidPhone, normalise_msisdn
from sync.providers.wire import NAIROBI, json_or_empty, major_to_minor

PULL_REGISTER_PATH = "/pulltransactions/v1/register"
PULL_QUERY_PATH = "/pulltransactions/v1/query"
PULL_STAMP = "%Y-%m-%d %H:%M:%S"  # StartDate / EndDate, Nairobi time
PULL_KEPT_FOR = timedelta(hours=48)  # Daraja answers for the last 48 hours only
# "1000" is what the portal's samples show for success; "0" is every other Daraja API's.
SUCCESS_CODES = frozenset({"0", "1000"})
MAX_PAGES = 20  # a shop's window is minutes long; more pages than this is a runaway loop


def _minor(value: Any) -> int:
    amount = major_to_minor(value)
    if amount is None:
        raise ValueError("not an amount in shillings")
    return amount


def _moment(value: Any) -> datetime:
    """ISO 8601 with an offset, or Daraja's plain "YYYY-MM-DD HH:MM:SS" in Nairobi time."""
    if not isinstance(value, str):
        raise ValueError("not a date and time")
    parsed = datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=NAIROBI)


def _text(value: Any) -> Any:
    """Daraja sends msisdn (and sometimes amounts) as numbers."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _receipt(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


Receipt = Annotated[str, BeforeValidator(_receipt), StringConstraints(pattern=r"^[A-Z0-9]{8,12}$")]
Text = Annotated[str, BeforeValidator(_text), StringConstraints(max_length=200)]


class PulledTransaction(BaseModel):
    """One C2B payment Daraja reports for the shortcode."""

    model_config = ConfigDict(frozen=True, extra="ignore", strict=False)

    transaction_id: Receipt = Field(alias="transactionId")
    occurred_at: Annotated[datetime, BeforeValidator(_moment)] = Field(alias="trxDate")
    msisdn: Text = Field(alias="msisdn")
    sender: Text = Field(default="", alias="sender")
    transaction_type: Text = Field(default="", alias="transactiontype")
    bill_reference: Annotated[str | None, BeforeValidator(_text)] = Field(
        default=None, alias="billreference"
    )
    amount_minor: Annotated[int, BeforeValidator(_minor)] = Field(alias="amount")
    organization_name: Text = Field(default="", alias="organizationname")
    currency: str = "KES"


class PullQueryReply(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    response_ref_id: str = Field(alias="ResponseRefID")
    response_code: Annotated[str, BeforeValidator(_text)] = Field(alias="ResponseCode")
    response_message: str = Field(default="", alias="ResponseMessage")
    # a list holding one list of rows; an empty window comes as [] or [[]]
    response: list[list[PulledTransaction]] = Field(default_factory=list, alias="Response")

    @property
    def transactions(self) -> list[PulledTransaction]:
        return [row for page in self.response for row in page]


class PullRegistration(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    response_ref_id: str = Field(alias="ResponseRefID")
    # the portal's sample says ResponseStatus; some clients read ResponseCode
    response_code: Annotated[str, BeforeValidator(_text)] = Field(alias="ResponseStatus")
    description: str = Field(default="", alias="ResponseDescription")

    @model_validator(mode="before")
    @classmethod
    def _either_code(cls, data: Any) -> Any:
        if isinstance(data, dict) and "ResponseStatus" not in data and "ResponseCode" in data:
            return {**data, "ResponseStatus": data["ResponseCode"]}
        return data


def pull_stamp(moment: datetime) -> str:
    """A window bound as Daraja takes it: Nairobi time, to the second."""
    return moment.astimezone(NAIROBI).strftime(PULL_STAMP)


def _malformed(operation: str, exc: ValidationError) -> ProviderError:
    where = ".".join(str(p) for p in exc.errors()[0]["loc"]) if exc.errors() else "reply"
    return ProviderError(
        "daraja_bad_pull_reply",
        "M-Pesa sent a reply the relay cannot read; nothing was recorded. It asks again later.",
        retryable=True,
        detail=f"{operation}: malformed at {where}",
    )


async def _post(client: DarajaClient, path: str, body: dict[str, Any]) -> httpx.Response:
    try:
        return await client.authorised("POST", path, body, idempotent=True)
    except httpx.TransportError as exc:
        raise network_error(exc) from None


async def register_pull(
    client: DarajaClient, nominated_number: str, callback_url: str
) -> PullRegistration:
    """Register the shop's shortcode for Pull. `nominated_number` is the Safaricom number of
    the business' contact that Daraja names for the shortcode; it is sent in the local form
    (07XXXXXXXX) of the published request sample."""
    try:
        nominated = "0" + normalise_msisdn(nominated_number, "KE")[3:]
    except InvalidPhone as exc:
        raise ProviderError("invalid_phone", str(exc)) from None
    check_callback_url(callback_url)
    body = {
        "ShortCode": client.config.shortcode,
        "RequestType": "Pull",
        "NominatedNumber": nominated,
        "CallBackURL": callback_url,
    }
    response = await _post(client, PULL_REGISTER_PATH, body)
    if response.status_code != 200:
        raise api_error(response, "pull_register")
    try:
        registration = PullRegistration.model_validate(json_or_empty(response))
    except ValidationError as exc:
        raise _malformed("pull_register", exc) from None
    if registration.response_code not in SUCCESS_CODES:
        raise ProviderError(
            "daraja_pull_refused",
            "M-Pesa did not register the shortcode for Pull Transactions "
            f"({registration.description[:120] or 'code ' + registration.response_code}). "
            "Owner: ask Safaricom to enable the Pull API for it.",
            detail=f"pull_register: code {registration.response_code}",
        )
    return registration


async def query_pull(
    client: DarajaClient, start: datetime, end: datetime, offset: int = 0
) -> PullQueryReply:
    """One page of the shortcode's C2B transactions between `start` and `end`."""
    body = {
        "ShortCode": client.config.shortcode,
        "StartDate": pull_stamp(start),
        "EndDate": pull_stamp(end),
        "OffSetValue": str(offset),
    }
    response = await _post(client, PULL_QUERY_PATH, body)
    if response.status_code != 200:
        raise api_error(response, "pull_query")
    try:
        reply = PullQueryReply.model_validate(json_or_empty(response))
    except ValidationError as exc:
        raise _malformed("pull_query", exc) from None
    if reply.response_code not in SUCCESS_CODES:
        raise ProviderError(
            "daraja_pull_refused",
            "M-Pesa refused the Pull Transactions query. Owner: check that the shortcode is "
            "registered for Pull.",
            detail=f"pull_query: code {reply.response_code} {reply.response_message[:120]}",
        )
    return reply


async def pull_window(
    client: DarajaClient, start: datetime, end: datetime
) -> list[PulledTransaction]:
    """Every transaction of the window, page after page until an empty one."""
    found: list[PulledTransaction] = []
    for _page in range(MAX_PAGES):
        rows = (await query_pull(client, start, end, len(found))).transactions
        if not rows:
            return found
        found.extend(rows)
    raise ProviderError(
        "daraja_pull_runaway",
        "M-Pesa kept sending more Pull Transactions pages; nothing was recorded.",
        detail=f"more than {MAX_PAGES} pages",
    )
