"""Mobile numbers, checked and normalised in one place (via `phonenumbers`) for the relay and the
till: M-Pesa wants 2547XXXXXXXX / 2541XXXXXXXX; the till stores the same number in E.164."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_COUNTRY_NAMES = {"KE": "Kenyan", "NG": "Nigerian", "UG": "Ugandan", "TZ": "Tanzanian"}
_MAX_INPUT = 40


class InvalidPhone(ValueError):
    """The text is not a mobile number of the expected country; str() is for the cashier and
    never repeats what was typed (it may be someone's number, one digit off)."""


def normalise_msisdn(text: str, region: str = "KE") -> str:
    """'0712 345 678', '+254-712-345678', '254712345678', '0110123456' -> '254712345678'.

    Only mobile numbers of `region` are accepted: an M-Pesa prompt cannot reach a landline or
    a foreign number.
    """
    country = _COUNTRY_NAMES.get(region.upper(), region.upper())
    problem = InvalidPhone(
        f"That is not a {country} mobile number. "
        "Type it as 07XX XXX XXX, 01XX XXX XXX or +254 7XX XXX XXX."
        if region.upper() == "KE"
        else f"That is not a {country} mobile number."
    )
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_INPUT:
        raise problem
    try:
        number = phonenumbers.parse(text, region.upper())
    except NumberParseException:
        raise problem from None
    if (
        number.country_code != phonenumbers.country_code_for_region(region.upper())
        or not phonenumbers.is_valid_number_for_region(number, region.upper())
        or phonenumbers.number_type(number) not in _MOBILE_TYPES
    ):
        raise problem
    return f"{number.country_code}{number.national_number}"


def mask_msisdn(msisdn: str) -> str:
    """'254712345678' -> '2547****678': enough for a cashier to recognise, useless to others."""
    digits = "".join(ch for ch in msisdn if ch.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:4]}{'*' * (len(digits) - 7)}{digits[-3:]}"


HASHED = "hashed"
_HEX = frozenset("0123456789abcdefABCDEF")


def mask_payer(value: str | None) -> str | None:
    """What may be shown or streamed of a payer. Daraja's C2B sends the MSISDN masked or, since
    2025, as a SHA-256 hex digest: a hash of a 2547... number is reversed by trying them all, so
    it is shown as "hashed". A full number is masked; a masked one or a name is kept (capped)."""
    if value is None:
        return None
    compact = value.replace(" ", "")
    if not compact:
        return None
    if len(compact) >= 32 and set(compact) <= _HEX:
        return HASHED
    if compact.lstrip("+").isdigit():
        return mask_msisdn(compact)
    return value.strip()[:64]
