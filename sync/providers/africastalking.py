"""Africa's Talking SMS: one text to one number, sent once (docs/sms.md).

POST {base}/version1/messaging, form fields username / to / message / from, headers apiKey and
Accept: application/json; the reply's SMSMessageData.Recipients[] says, per number, status,
statusCode, messageId and cost. The relay alone holds the username and API key.

A text costs the shop money and reaches a person's phone, so it is never resent by the
plumbing: a request that may have reached Africa's Talking without an answer is `SmsUnknown`
(like Daraja's STK push, the caller records it and does not try again blindly). Only a
connection that never opened (`SmsNotSent`) may be tried again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import httpx

from sync.providers.http import ProviderHttp
from sync.providers.wire import as_text, json_or_empty, nothing_was_sent

LIVE_BASE_URL: Final = "https://api.africastalking.com"
SANDBOX_BASE_URL: Final = "https://api.sandbox.africastalking.com"
SANDBOX_USERNAME: Final = "sandbox"  # Africa's Talking's sandbox app is always called this
MESSAGING_PATH: Final = "/version1/messaging"
# Recipient statusCodes that mean the message was taken for delivery (Processed, Sent, Queued)
ACCEPTED_CODES: Final = frozenset({100, 101, 102})
# Recipient statusCodes in the owner's words (the rest say only the provider's status name)
_REASONS: Final = {
    401: "Africa's Talking held the message for a risk check",
    402: "the sender ID is not registered for this account",
    403: "the phone number is not valid",
    404: "that kind of number cannot receive this message",
    405: "the SMS account has no credit left",
    406: "the customer has blocked messages from this sender",
    407: "Africa's Talking could not route the message",
    409: "the customer's line refuses promotional messages (Do Not Disturb)",
    500: "Africa's Talking had an internal error",
    501: "the mobile network's gateway failed",
    502: "the mobile network refused the message",
}


@dataclass(frozen=True)
class SmsConfig:
    username: str
    api_key: str
    sender_id: str | None = None  # `from`: a registered short code or alphanumeric
    base_url: str | None = None  # None: the sandbox host for the sandbox app, else live
    timeout_s: float = 20.0
    retry_backoff_s: float = 0.5

    def __post_init__(self) -> None:
        if self.base_url is None:
            host = SANDBOX_BASE_URL if self.username == SANDBOX_USERNAME else LIVE_BASE_URL
            object.__setattr__(self, "base_url", host)

    def __repr__(self) -> str:  # the API key never reaches a log line
        return f"SmsConfig(username={self.username!r}, base_url={self.base_url!r})"


@dataclass(frozen=True)
class SmsSent:
    message_id: str
    cost: str | None  # "KES 0.8000", as Africa's Talking says it
    status: str


@dataclass(frozen=True)
class SmsFailed:
    """Africa's Talking answered and did not take the message: sending the same again would
    fail the same way."""

    code: str
    reason: str  # for the cashier and the owner; never the number or the text


@dataclass(frozen=True)
class SmsNotSent:
    """Nothing reached Africa's Talking (no connection, or it refused the request before
    reading it: 429, 5xx): the same message may be tried later."""

    reason: str


@dataclass(frozen=True)
class SmsUnknown:
    """The request may have reached Africa's Talking and no usable answer came back: it may
    have been sent. Never resent blindly (the customer would get it twice, paid twice)."""

    reason: str


SmsOutcome = SmsSent | SmsFailed | SmsNotSent | SmsUnknown


class SmsClient(ProviderHttp):
    def __init__(self, config: SmsConfig, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(config, http)
        self.config = config

    async def send(self, to: str, message: str) -> SmsOutcome:
        """One message to one number in E.164 ("+254712345678"), sent at most once."""
        form = {"username": self.config.username, "to": to, "message": message}
        if self.config.sender_id:
            form["from"] = self.config.sender_id
        headers = {"apiKey": self.config.api_key, "Accept": "application/json"}
        try:
            response = await self._send(
                "POST", MESSAGING_PATH, idempotent=False, data=form, headers=headers
            )
        except httpx.TransportError as exc:
            if nothing_was_sent(exc):
                return SmsNotSent(f"could not reach Africa's Talking ({type(exc).__name__})")
            return SmsUnknown(f"no answer from Africa's Talking ({type(exc).__name__})")
        return read_reply(response)


def read_reply(response: httpx.Response) -> SmsOutcome:
    """What one reply of /version1/messaging says about the one recipient sent."""
    status = response.status_code
    if status in (401, 403):
        return SmsFailed("at_unauthorised", "Africa's Talking refused the username or API key")
    if status == 429:
        return SmsNotSent("Africa's Talking asked us to slow down")
    if status >= 500:
        # a gateway may fail after the message went out: do not send it again
        return SmsUnknown(f"Africa's Talking answered HTTP {status}")
    data = json_or_empty(response).get("SMSMessageData")
    if not isinstance(data, dict):
        if 400 <= status < 500:  # a plain-text refusal of the request ("Invalid sender ID")
            return SmsFailed(f"at_http_{status}", "Africa's Talking refused the request")
        return SmsUnknown("Africa's Talking's answer could not be read")
    recipients = data.get("Recipients")
    first = recipients[0] if isinstance(recipients, list) and recipients else None
    if not isinstance(first, dict):
        # no recipient at all: the number was not accepted ("Invalid Phone Number" message)
        return SmsFailed("at_no_recipient", "Africa's Talking did not accept the phone number")
    name = as_text(first.get("status")) or "unknown"
    code_text = as_text(first.get("statusCode"))
    if code_text is None or not code_text.isdigit():
        return SmsUnknown("Africa's Talking's answer has no status code")
    code = int(code_text)
    if code in ACCEPTED_CODES:
        message_id = as_text(first.get("messageId"))
        if message_id is None:
            return SmsUnknown("Africa's Talking's answer has no message id")
        return SmsSent(message_id, as_text(first.get("cost")), name)
    return SmsFailed(str(code), _REASONS.get(code, f"Africa's Talking said {name[:40]}"))
