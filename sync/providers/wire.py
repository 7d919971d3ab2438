"""Helpers for the loose payloads providers send and for talking HTTP to them safely.

Shared by the provider modules only; nothing here knows a particular provider.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from sync.providers.base import ProviderPayloadError

# Kenya has kept UTC+3 without daylight saving since 1942; a fixed offset spares Windows tills
# the tzdata package that zoneinfo would need there.
NAIROBI = timezone(timedelta(hours=3), "EAT")

_PLAIN_AMOUNT = re.compile(r"[0-9]{1,15}(\.[0-9]{1,6})?")
# Statuses after which resending an idempotent request is reasonable.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def load_json_object(
    body: bytes | str | Mapping[str, Any], what: str, *, exact: bool = False
) -> dict[str, Any]:
    """Decode a provider body into a dict, or raise ProviderPayloadError saying why not.
    `exact` reads fractional numbers as Decimal (for major-unit amounts)."""
    if isinstance(body, Mapping):
        return dict(body)
    if not isinstance(body, bytes | str):
        raise ProviderPayloadError(f"{what}: expected JSON bytes or an object")
    try:
        value = json.loads(body, parse_float=Decimal if exact else None)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ProviderPayloadError(f"{what}: body is not valid JSON") from exc
    if not isinstance(value, dict):
        raise ProviderPayloadError(f"{what}: body is JSON but not an object")
    return value


def as_text(value: Any) -> str | None:
    """A string or number as stripped text; None for missing, empty or structured values."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = int(value) if value.is_integer() else value
    if isinstance(value, int | float | str):
        text = str(value).strip()
        return text or None
    return None


def major_to_minor(value: Any) -> int | None:
    """'10.00', '10', 10 or 1.0 (major units, at most 2 decimals) -> minor units; else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not isinstance(value, int | float | str):
        return None
    text = str(value).strip().replace(",", "")
    if not _PLAIN_AMOUNT.fullmatch(text):  # no exponents, signs or words: "1e9" is not an amount
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    minor = amount * 100
    if minor != minor.to_integral_value():
        return None
    return int(minor)


def minor_units(value: Any) -> int | None:
    """An amount already in minor units (Paystack sends int or numeric string); else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() and value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 18:
            return int(text)
    return None


def parse_nairobi_stamp(value: Any) -> datetime | None:
    """Daraja's YYYYMMDDHHmmss (Nairobi time, string or number) -> aware UTC; else None."""
    text = as_text(value)
    if text is None or len(text) != 14 or not text.isascii() or not text.isdigit():
        return None
    try:
        local = datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return local.replace(tzinfo=NAIROBI).astimezone(UTC)


def nairobi_stamp(now: datetime | None = None) -> str:
    """The Timestamp Daraja wants: YYYYMMDDHHmmss in Nairobi time."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(NAIROBI).strftime("%Y%m%d%H%M%S")


def parse_iso_utc(value: Any) -> datetime | None:
    """An ISO 8601 time such as '2024-08-22T09:15:02.000Z' -> aware UTC; else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


def synthetic_email(reference: str, domain: str = "customers.invalid") -> str:
    """A stand-in e-mail for customers without one (providers that demand one), unique per sale
    and clearly not real."""
    local = re.sub(r"[^A-Za-z0-9]+", "-", reference).strip("-")[:60] or "customer"
    return f"sale-{local}@{domain}"


def json_or_empty(response: httpx.Response, *, exact: bool = False) -> dict[str, Any]:
    """A reply body as a dict, or {} when it is not a JSON object (error pages, empty bodies).
    `exact` reads fractional numbers as Decimal (for major-unit amounts)."""
    try:
        value = json.loads(response.content, parse_float=Decimal if exact else None)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def nothing_was_sent(exc: httpx.TransportError) -> bool:
    """True when the request certainly never reached the provider (connection not made)."""
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)


async def send(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    timeout_s: float,
    idempotent: bool,
    attempts: int = 3,
    backoff_s: float = 0.5,
    is_answer: Callable[[httpx.Response], bool] | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """Send one request; when `idempotent`, resend on network errors and 429/5xx with backoff.

    Non-idempotent requests are sent exactly once: a timeout there means "unknown", and the
    caller must find out what happened instead of asking again. `is_answer` marks replies
    that carry a 429/5xx status but are a real answer, not a transient failure.
    """
    tries = attempts if idempotent else 1
    for attempt in range(1, tries + 1):
        last = attempt == tries
        try:
            response = await http.request(method, url, timeout=timeout_s, **kwargs)
        except httpx.TransportError:
            if last:
                raise
        else:
            transient = response.status_code in RETRY_STATUSES and not (
                is_answer is not None and is_answer(response)
            )
            if last or not transient:
                return response
        await asyncio.sleep(backoff_s * 2 ** (attempt - 1))
    raise AssertionError("unreachable: the loop returns or raises on its last attempt")
