"""EAN-13 check digits and the in-store barcodes a shop scale prints.

A scale label is an EAN-13 in the "restricted circulation" prefixes 20-29: prefix (2) + item
code (5) + weight in grams or price in minor units (5) + check digit. Which prefix carries
which layout is the shop's configuration (scales differ), so it is data here, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pos_app.core.errors import InvalidBarcode
from pos_app.core.money import Money, currency
from pos_app.core.quantities import Quantity, Unit


def ean13_check_digit(first12: str) -> int:
    """The 13th digit for 12 digits: weights 1,3,1,3... from the left, then to the next 10."""
    if len(first12) != 12 or not first12.isascii() or not first12.isdigit():
        raise InvalidBarcode(f"{first12!r}: an EAN-13 check digit needs exactly 12 digits.")
    weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - weighted % 10) % 10


def is_valid_ean13(code: str) -> bool:
    code = code.strip()
    if len(code) != 13 or not code.isascii() or not code.isdigit():
        return False
    return ean13_check_digit(code[:12]) == int(code[12])


class Embedded(StrEnum):
    WEIGHT_GRAMS = "weight"
    PRICE_MINOR = "price"


@dataclass(frozen=True, slots=True)
class ScaleLayout:
    prefix: str  # two digits, 20-29
    embeds: Embedded

    def __post_init__(self) -> None:
        if len(self.prefix) != 2 or not self.prefix.isdigit() or self.prefix[0] != "2":
            raise InvalidBarcode(f"Scale prefix {self.prefix!r} must be two digits, 20 to 29.")


@dataclass(frozen=True, slots=True)
class ScaleReading:
    """What a scale label says: the item's code and either its weight or its price."""

    item_code: str
    weight: Quantity | None = None
    price: Money | None = None


@dataclass(frozen=True, slots=True)
class ScaleBarcodeRules:
    layouts: tuple[ScaleLayout, ...]
    currency: str  # of embedded prices

    def __post_init__(self) -> None:
        prefixes = [layout.prefix for layout in self.layouts]
        if len(set(prefixes)) != len(prefixes):
            raise InvalidBarcode("Each scale prefix can have only one layout.")
        currency(self.currency)

    def parse(self, code: str) -> ScaleReading | None:
        """The reading of a scale label; None for a barcode that is not one (a product's
        own EAN, looked up in the catalogue instead). A scale label with a wrong check digit
        or a zero weight/price raises InvalidBarcode: rescan, never guess."""
        code = code.strip()
        if len(code) != 13 or not code.isascii() or not code.isdigit():
            return None
        layout = next((x for x in self.layouts if x.prefix == code[:2]), None)
        if layout is None:
            return None
        if not is_valid_ean13(code):
            raise InvalidBarcode(f"Scale label {code} has a wrong check digit: scan it again.")
        item_code, value = code[2:7], int(code[7:12])
        if value == 0:
            raise InvalidBarcode(f"Scale label {code} carries no {layout.embeds}.")
        if layout.embeds is Embedded.WEIGHT_GRAMS:
            return ScaleReading(item_code, weight=Quantity(value, Unit.KG))
        return ScaleReading(item_code, price=Money(value, self.currency))
