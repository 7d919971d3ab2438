"""Minor units at our boundary, major-unit decimals on some providers' wires: exact
conversions with Decimal, never float.

ISO_MINOR_DIGITS is the ISO 4217 exponent of each currency the providers here take. The till
keeps the same fact in pos_app.core.money, which the relay may not import.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

ISO_MINOR_DIGITS: dict[str, int] = {
    "KES": 2,
    "NGN": 2,
    "GHS": 2,
    "ZAR": 2,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "TZS": 2,
    "MWK": 2,
    "ZMW": 2,
    "UGX": 0,
    "RWF": 0,
    "XOF": 0,
    "XAF": 0,
}

_DECIMAL_TEXT = re.compile(r"[0-9]{1,15}(\.[0-9]{1,12})?")
_TOO_LARGE = Decimal(10) ** 15  # no sale is a quadrillion; 1E+300 is not an amount


def currency_code(value: Any) -> str | None:
    """A known ISO code (any case, surrounding space ignored) in upper case; else None."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    return code if code in ISO_MINOR_DIGITS else None


def minor_to_major(amount_minor: int, currency: str) -> Decimal:
    """15050 KES -> Decimal('150.50'); 5000 UGX -> Decimal('5000')."""
    digits = ISO_MINOR_DIGITS[currency]
    return Decimal(amount_minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))


def major_to_minor(value: Any, currency: str) -> int | None:
    """A major-unit amount (JSON number, Decimal or numeric text) -> exact minor units; None when
    it is not a plain non-negative number or holds a fraction of the currency's minor unit."""
    digits = ISO_MINOR_DIGITS.get(currency)
    if digits is None or isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        # json's floats print back as the shortest text that was on the wire.
        if not math.isfinite(value):
            return None
        value = repr(value)
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        text = value.strip()
        if not _DECIMAL_TEXT.fullmatch(text):
            return None
        value = Decimal(text)
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value < _TOO_LARGE:
        return None
    try:
        minor = value.scaleb(digits)
        if minor != minor.to_integral_value():
            return None
        return int(minor)
    except InvalidOperation:
        return None
