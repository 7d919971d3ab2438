"""Normalising phone numbers and payment references before they are blind-indexed."""

from __future__ import annotations

import re
from typing import Final

import phonenumbers

from pos_app.core.errors import InvalidInput

REGION_OF_CURRENCY: Final = {
    "KES": "KE",
    "NGN": "NG",
    "GHS": "GH",
    "ZAR": "ZA",
    "UGX": "UG",
    "TZS": "TZ",
    "RWF": "RW",
    "XOF": "SN",
}


def normalize_phone(text: str, region: str = "KE") -> str:
    """E.164 form ("+254712345678") of a phone number typed any usual way."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidInput("That is not a phone number.") from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidInput("That is not a phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_NOT_REFERENCE = re.compile(r"[\s\-_.]")


def normalize_reference(text: str) -> str:
    """A receipt / transfer reference without spaces or separators, in upper case."""
    cleaned = _NOT_REFERENCE.sub("", str(text)).upper()
    if len(cleaned) < 4:
        raise InvalidInput("A payment reference needs at least 4 letters or digits.")
    return cleaned
