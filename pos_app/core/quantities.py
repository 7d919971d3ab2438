"""Quantities as integer thousandths of a unit, so weighed and measured goods stay exact."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from pos_app.core.errors import CurrencyMismatch, InvalidQuantity
from pos_app.core.money import Money
from pos_app.core.rounding import round_half_up

MAX_QUANTITY: Final = 100_000  # of one line, in units (pieces, kg, l)
PER_UNIT: Final = 1000  # thousandths: a gram of a kilo, a millilitre of a litre
MAX_THOUSANDTHS: Final = MAX_QUANTITY * PER_UNIT


class Unit(StrEnum):
    EACH = "each"
    KG = "kg"
    LITRE = "l"


# One decimal separator, dot or comma (both are typed in the region); no thousands separators.
_QUANTITY = re.compile(r"^(\d+)?(?:[.,](\d+))?$")


@dataclass(frozen=True, slots=True)
class Quantity:
    thousandths: int
    unit: Unit

    def __post_init__(self) -> None:
        if isinstance(self.thousandths, bool) or not isinstance(self.thousandths, int):
            raise InvalidQuantity("A quantity is a whole number of thousandths.")
        if not 0 < self.thousandths <= MAX_THOUSANDTHS:
            raise InvalidQuantity(f"A quantity must be more than 0 and at most {MAX_QUANTITY:,}.")
        if self.unit is Unit.EACH and self.thousandths % PER_UNIT:
            raise InvalidQuantity("Items sold by the piece are counted in whole pieces.")

    @classmethod
    def each(cls, count: int) -> Quantity:
        if isinstance(count, bool) or not isinstance(count, int):
            raise InvalidQuantity("A count of pieces is a whole number.")
        return cls(count * PER_UNIT, Unit.EACH)

    @classmethod
    def parse(cls, text: str, unit: Unit) -> Quantity:
        """What a cashier typed ("1.25", "0,5", "3") read exactly, never through a float."""
        cleaned = str(text).strip()
        match = _QUANTITY.match(cleaned)
        if not cleaned or match is None or (match[1] is None and match[2] is None):
            raise InvalidQuantity(f"{text!r} is not a quantity. Type digits, e.g. 1.25 or 0,5.")
        if len(cleaned) > 20:
            raise InvalidQuantity(f"{text!r} is too long to be a quantity.")
        value = Decimal(f"{match[1] or '0'}.{match[2] or '0'}").scaleb(3)
        if value != value.to_integral_value():
            if unit is Unit.EACH:
                raise InvalidQuantity(f"{text!r}: items sold by the piece take whole numbers.")
            raise InvalidQuantity(
                f"{text!r} has more than three decimals: the smallest step is 0.001 {unit}."
            )
        if unit is Unit.EACH and value % PER_UNIT:
            raise InvalidQuantity(f"{text!r}: items sold by the piece take whole numbers.")
        if value == 0:
            raise InvalidQuantity("A quantity must be more than zero.")
        if value > MAX_THOUSANDTHS:
            raise InvalidQuantity(
                f"{text!r} is more than the till sells at once ({MAX_QUANTITY:,})."
            )
        return cls(int(value), unit)

    def format(self) -> str:
        """ "3" for pieces, "1.25 kg" for weighed or measured goods (no trailing zeros)."""
        whole, frac = divmod(self.thousandths, PER_UNIT)
        if self.unit is Unit.EACH:
            return str(whole)
        text = f"{whole}.{frac:03d}".rstrip("0").rstrip(".")
        return f"{text} {self.unit}"

    def __str__(self) -> str:
        return self.format()


def line_gross(unit_price: Money, quantity: Quantity) -> Money:
    """Unit price times quantity, rounded once (core.rounding) to the minor unit."""
    minor = round_half_up(unit_price.minor * quantity.thousandths, PER_UNIT)
    return Money(minor, unit_price.currency)


def quantity_for_price(price: Money, unit_price: Money, unit: Unit) -> Quantity:
    """What `price` buys at `unit_price` a kilo or litre: the nearest thousandth (core.rounding),
    at least one. A price label printed by a scale that knows the same unit price therefore
    rings up a line of exactly the printed price (property-tested in tests/core)."""
    if unit is Unit.EACH:
        raise InvalidQuantity("Items sold by the piece are counted, not bought by the price.")
    if price.currency != unit_price.currency:
        raise CurrencyMismatch(price.currency, unit_price.currency)
    if price.minor <= 0 or unit_price.minor <= 0:
        raise InvalidQuantity("A price label and a price per unit are more than zero.")
    thousandths = round_half_up(price.minor * PER_UNIT, unit_price.minor)
    return Quantity(max(thousandths, 1), unit)
