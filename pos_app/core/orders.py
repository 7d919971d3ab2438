"""Orders and their lines; prices are VAT-inclusive, the rate is per shop in basis points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from pos_app.core.errors import CurrencyMismatch, InvalidAmount, InvalidOrder
from pos_app.core.money import Money

DEFAULT_VAT_BPS: Final = 1600
MAX_QUANTITY: Final = 100_000


class OrderStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


@dataclass(frozen=True, slots=True)
class OrderLine:
    name: str
    unit_price: Money
    quantity: int = 1
    product_id: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidOrder("Every line needs a product name.")
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise InvalidOrder("A quantity is a whole number.")
        if not 0 < self.quantity <= MAX_QUANTITY:
            raise InvalidOrder(f"A quantity must be between 1 and {MAX_QUANTITY:,}.")
        if self.unit_price.minor <= 0:
            raise InvalidAmount(f"The price of {self.name!r} must be more than zero.")

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity


@dataclass(frozen=True, slots=True)
class Order:
    """A draft order: what the cashier rang up, before the ledger stores it."""

    lines: tuple[OrderLine, ...]
    currency: str
    vat_bps: int = DEFAULT_VAT_BPS

    @classmethod
    def of(cls, lines: Sequence[OrderLine], vat_bps: int = DEFAULT_VAT_BPS) -> Order:
        if not lines:
            raise InvalidOrder("An order needs at least one line.")
        code = lines[0].unit_price.currency
        for line in lines[1:]:
            if line.unit_price.currency != code:
                raise CurrencyMismatch(code, line.unit_price.currency)
        if isinstance(vat_bps, bool) or not isinstance(vat_bps, int) or not 0 <= vat_bps <= 10_000:
            raise InvalidOrder("The VAT rate must be between 0 and 10000 basis points.")
        return cls(tuple(lines), code, vat_bps)

    @property
    def total(self) -> Money:
        result = Money.zero(self.currency)
        for line in self.lines:
            result = result + line.total
        return result

    @property
    def vat(self) -> Money:
        return self.total.vat_inclusive(self.vat_bps)[1]

    @property
    def net(self) -> Money:
        return self.total.vat_inclusive(self.vat_bps)[0]
