"""Read an M-Pesa confirmation SMS that a cashier typed or pasted (the manual-proof path).

Three published forms (see tests/providers/samples/sms_examples.txt):
- payer to a paybill: "UJ22T8IYOU Confirmed. KSH1.00 sent to SHOP for account ACC on 2/10/26
  at 6:11 PM ...";
- payer to a till (Buy Goods): "TJK6H7T3GA Confirmed. Ksh70.00 paid to SHOP. on 20/10/24 at
  4:21 PM...";
- merchant's own phone: "QAI1S35S7Z Confirmed.on 18/1/22 at 3:57 PMKsh40.00 received from
  2547XXXXXXXX NAME. New Account balance ...".
Dates are day/month/two-digit-year in Nairobi time. The text proves nothing by itself: a
supervisor approves it, and the relay's C2B records confirm it when they arrive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

from sync.providers.wire import NAIROBI

Direction = Literal["sent", "paid", "received"]
MAX_SMS_LENGTH = 1000

_RECEIPT = re.compile(r"^\s*([A-Z0-9]{10}|[A-Z0-9]{9})\s+Confirmed\b", re.IGNORECASE)
_AMOUNT = r"(?:KSH|KES)\s?(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"
_WHEN = (
    r"on\s+(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{2}|\d{4})\s+at\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[AP]M)"
)
_FORMS: tuple[tuple[Direction, re.Pattern[str]], ...] = (
    (
        "sent",
        re.compile(
            _AMOUNT + r"\s+sent\s+to\s+(?P<party>[^\n]{1,120}?)"
            r"(?:\s+for\s+account\s+(?P<account>[^\n]{1,60}?))?\.?\s+" + _WHEN,
            re.IGNORECASE,
        ),
    ),
    (
        "paid",
        re.compile(
            _AMOUNT + r"\s+paid\s+to\s+(?P<party>[^\n]{1,120}?)\.?\s+" + _WHEN, re.IGNORECASE
        ),
    ),
    (
        "received",
        re.compile(
            _WHEN + r"\s*" + _AMOUNT + r"\s+received\s+from\s+(?P<party>[^\n]{1,120}?)"
            r"(?:\.\s|\.?$)",
            re.IGNORECASE,
        ),
    ),
    (
        "received",
        re.compile(
            r"received\s+" + _AMOUNT + r"\s+from\s+(?P<party>[^\n]{1,120}?)\.?\s+" + _WHEN,
            re.IGNORECASE,
        ),
    ),
)


class SmsNotRecognised(ValueError):
    """The text is not an M-Pesa confirmation we can read; str() is for the cashier."""


@dataclass(frozen=True, slots=True)
class MpesaSms:
    receipt: str
    amount_minor: int
    currency: str
    when: datetime  # aware, UTC
    counterparty: str
    account: str | None
    direction: Direction


def parse_mpesa_sms(text: str) -> MpesaSms:
    """Receipt, amount, time and counterparty from an M-Pesa confirmation SMS, or
    SmsNotRecognised saying what is missing."""
    if not isinstance(text, str) or not text.strip():
        raise SmsNotRecognised("Paste the whole M-Pesa message; it is empty.")
    if len(text) > MAX_SMS_LENGTH:
        raise SmsNotRecognised("That is too long to be one M-Pesa message.")
    flat = " ".join(text.split())
    receipt = _RECEIPT.match(flat)
    if receipt is None:
        raise SmsNotRecognised(
            "This does not start like an M-Pesa confirmation (a 10-character code, then "
            "'Confirmed'). Paste the whole message."
        )
    for direction, pattern in _FORMS:
        found = pattern.search(flat, receipt.end())
        if found is not None:
            account = found.groupdict().get("account")
            return MpesaSms(
                receipt=receipt.group(1).upper(),
                amount_minor=_amount_minor(found.group("amount")),
                currency="KES",
                when=_when(found),
                counterparty=found.group("party").strip().rstrip("."),
                account=account.strip() if account else None,
                direction=direction,
            )
    raise SmsNotRecognised(
        "Could not find the amount, the other party and the date in this M-Pesa message. "
        "Check it was pasted whole, or type the receipt code instead."
    )


def _amount_minor(text: str) -> int:
    return int(Decimal(text.replace(",", "")) * 100)


def _when(found: re.Match[str]) -> datetime:
    year = int(found.group("year"))
    hour = int(found.group("hour"))
    if not 1 <= hour <= 12:
        raise SmsNotRecognised(f"The time in the message ({hour}:..) is not a valid clock time.")
    hour = hour % 12 + (12 if found.group("ampm").upper() == "PM" else 0)
    try:
        local = datetime(
            year + 2000 if year < 100 else year,
            int(found.group("month")),
            int(found.group("day")),
            hour,
            int(found.group("minute")),
            tzinfo=NAIROBI,
        )
    except ValueError:
        raise SmsNotRecognised("The date in the message is not a real date.") from None
    return local.astimezone(UTC)
