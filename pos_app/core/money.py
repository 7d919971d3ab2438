"""Money as an integer count of minor units plus an ISO 4217 code. Never float."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from pos_app.core.errors import (
    CurrencyMismatch,
    FractionOfMinorUnit,
    InvalidAmount,
    InvalidMoneyText,
    UnknownCurrency,
)


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    exponent: int
    name: str


CURRENCIES: Final[dict[str, Currency]] = {
    c.code: c
    for c in (
        Currency("KES", 2, "Kenyan shilling"),
        Currency("NGN", 2, "Nigerian naira"),
        Currency("GHS", 2, "Ghanaian cedi"),
        Currency("ZAR", 2, "South African rand"),
        Currency("USD", 2, "US dollar"),
        Currency("UGX", 0, "Ugandan shilling"),
        Currency("TZS", 2, "Tanzanian shilling"),
        Currency("RWF", 0, "Rwandan franc"),
        Currency("XOF", 0, "West African CFA franc"),
        Currency("EUR", 2, "Euro"),
        Currency("GBP", 2, "Pound sterling"),
    )
}

BPS_DENOMINATOR: Final = 10_000


def currency(code: str) -> Currency:
    """The currency for an ISO code; UnknownCurrency otherwise."""
    try:
        return CURRENCIES[code]
    except (KeyError, TypeError):
        raise UnknownCurrency(str(code)) from None


def _is_int(value: object) -> bool:
    # bool is an int subclass; True as an amount is a bug, not one shilling cent
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True, order=False)
class Money:
    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not _is_int(self.minor):
            raise InvalidAmount(
                f"An amount must be a whole number of minor units, not {type(self.minor).__name__}."
            )
        currency(self.currency)

    # --- construction ---------------------------------------------------------------------
    @classmethod
    def zero(cls, code: str) -> Money:
        return cls(0, code)

    @classmethod
    def parse(cls, text: str, code: str) -> Money:
        """Read what a cashier typed ("1,250.50") into minor units of `code`."""
        return cls(parse_minor(text, code), code)

    # --- arithmetic -----------------------------------------------------------------------
    def _check(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.minor + self._check(other).minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.minor - self._check(other).minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not _is_int(factor):
            raise TypeError("Money can only be multiplied by an integer (a quantity)")
        return Money(self.minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.minor < self._check(other).minor

    def __le__(self, other: Money) -> bool:
        return self.minor <= self._check(other).minor

    def __gt__(self, other: Money) -> bool:
        return self.minor > self._check(other).minor

    def __ge__(self, other: Money) -> bool:
        return self.minor >= self._check(other).minor

    @property
    def is_positive(self) -> bool:
        return self.minor > 0

    @property
    def is_zero(self) -> bool:
        return self.minor == 0

    def require_positive(self, what: str = "The amount") -> Money:
        if self.minor <= 0:
            raise InvalidAmount(f"{what} must be more than zero (got {self.format()}).")
        return self

    # --- splitting ------------------------------------------------------------------------
    def allocate(self, ratios: Sequence[int]) -> list[Money]:
        """Split by integer ratios; leftover minor units go to the largest remainders first."""
        if not ratios or any(not _is_int(r) or r < 0 for r in ratios) or sum(ratios) == 0:
            raise InvalidAmount("Ratios must be non-negative integers with a positive sum.")
        total = sum(ratios)
        sign = -1 if self.minor < 0 else 1
        amount = abs(self.minor)
        shares = [amount * r // total for r in ratios]
        remainders = [amount * r % total for r in ratios]
        leftover = amount - sum(shares)
        for i in sorted(range(len(ratios)), key=lambda i: (-remainders[i], i))[:leftover]:
            shares[i] += 1
        return [Money(sign * s, self.currency) for s in shares]

    def vat_inclusive(self, rate_bps: int) -> tuple[Money, Money]:
        """(net, vat) of a VAT-inclusive gross amount; vat rounded half up to the minor unit."""
        if not _is_int(rate_bps) or rate_bps < 0:
            raise InvalidAmount("A VAT rate is a non-negative number of basis points.")
        vat = _round_half_up(self.minor * rate_bps, BPS_DENOMINATOR + rate_bps)
        return Money(self.minor - vat, self.currency), Money(vat, self.currency)

    # --- display --------------------------------------------------------------------------
    def format(self, with_code: bool = True) -> str:
        exp = currency(self.currency).exponent
        sign = "-" if self.minor < 0 else ""
        whole, frac = divmod(abs(self.minor), 10**exp)
        text = f"{whole:,}" + (f".{frac:0{exp}d}" if exp else "")
        return f"{self.currency} {sign}{text}" if with_code else f"{sign}{text}"

    def __str__(self) -> str:
        return self.format()


def _round_half_up(numerator: int, denominator: int) -> int:
    sign = -1 if numerator < 0 else 1
    q, r = divmod(abs(numerator), denominator)
    return sign * (q + (1 if 2 * r >= denominator else 0))


def total(amounts: Iterable[Money], code: str) -> Money:
    """Sum of amounts, all in `code` (an empty sum is zero of `code`)."""
    result = Money.zero(code)
    for amount in amounts:
        result = result + amount
    return result


_NUMBER = re.compile(r"^(?P<sign>-?)(?P<whole>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<frac>\d*))?$")


def parse_minor(text: str, code: str) -> int:
    """Minor units of `code` in a decimal string with optional thousands commas."""
    exp = currency(code).exponent
    cleaned = str(text).strip().replace(" ", "").replace("\u00a0", "")
    for prefix in (code, code.lower()):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
    match = _NUMBER.match(cleaned)
    if not cleaned or match is None or (match["whole"] is None and not match["frac"]):
        raise InvalidMoneyText(f"{text!r} is not an amount. Type digits, e.g. 1,250.50.")
    frac = (match["frac"] or "").rstrip("0")
    if len(frac) > exp:
        smallest = "1" if exp == 0 else "0." + "0" * (exp - 1) + "1"
        raise FractionOfMinorUnit(
            f"{text!r} has more decimals than {code} allows: the smallest amount is {smallest}."
        )
    whole = int((match["whole"] or "0").replace(",", ""))
    minor: int = whole * 10**exp + (int(frac.ljust(exp, "0")) if exp else 0)
    return -minor if match["sign"] else minor
