"""Normalising payment references before they are blind-indexed, and the phone region of each
currency (phone numbers themselves: sync.providers.phones)."""

from __future__ import annotations

import re
from typing import Final

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


_NOT_REFERENCE = re.compile(r"[\s\-_.]")


def normalize_reference(text: str) -> str:
    """A receipt / transfer reference without spaces or separators, in upper case."""
    cleaned = _NOT_REFERENCE.sub("", str(text)).upper()
    if len(cleaned) < 4:
        raise InvalidInput("A payment reference needs at least 4 letters or digits.")
    return cleaned
