"""Orders and their lines: VAT-inclusive prices, each line in a tax class, priced line by line
by core.pricing (discounts beside the price, VAT per band)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from pos_app.core.discounts import Discount
from pos_app.core.errors import InvalidAmount, InvalidDiscount, InvalidOrder
from pos_app.core.money import Money
from pos_app.core.pricing import CartLine, PricedCart, price_cart
from pos_app.core.quantities import MAX_QUANTITY, Quantity, line_gross
from pos_app.core.tax import KENYA, TaxSummary, TaxTable

__all__ = ["MAX_QUANTITY", "Order", "OrderLine", "OrderStatus"]


class OrderStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


@dataclass(frozen=True, slots=True)
class OrderLine:
    """What the cashier rang up. `quantity` is a count of pieces or, for weighed and measured
    goods, a Quantity; `tax_class` None means the product's class (or the shop's default)."""

    name: str
    unit_price: Money
    quantity: int | Quantity = 1
    product_id: str | None = None
    tax_class: str | None = None
    discount: Discount | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidOrder("Every line needs a product name.")
        if not isinstance(self.quantity, Quantity):
            if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
                raise InvalidOrder("A quantity is a whole number.")
            if not 0 < self.quantity <= MAX_QUANTITY:
                raise InvalidOrder(f"A quantity must be between 1 and {MAX_QUANTITY:,}.")
        if self.unit_price.minor <= 0:
            raise InvalidAmount(f"The price of {self.name!r} must be more than zero.")

    @property
    def amount(self) -> Quantity:
        """The quantity in thousandths of its unit (pieces are whole thousands)."""
        if isinstance(self.quantity, Quantity):
            return self.quantity
        return Quantity.each(self.quantity)

    @property
    def total(self) -> Money:
        """Price times quantity, before any discount."""
        return line_gross(self.unit_price, self.amount)

    def cart_line(self, default_class: str) -> CartLine:
        return CartLine(
            self.name, self.unit_price, self.amount, self.tax_class or default_class,
            self.discount,
        )


@dataclass(frozen=True, slots=True)
class Order:
    """A draft order: what the cashier rang up, priced, before the ledger stores it."""

    lines: tuple[OrderLine, ...]
    priced: PricedCart

    @classmethod
    def of(
        cls,
        lines: Sequence[OrderLine],
        table: TaxTable = KENYA,
        cart_discount: Discount | None = None,
    ) -> Order:
        """Lines without a class are in the table's default (standard) class."""
        default = table.default_class.code
        priced = price_cart([line.cart_line(default) for line in lines], table, cart_discount)
        if priced.gross.is_zero:
            raise InvalidOrder("This sale comes to nothing: check the weights and prices.")
        if priced.total.is_zero:
            raise InvalidDiscount("The discounts leave nothing to pay: a sale is never free.")
        return cls(tuple(lines), priced)

    @property
    def currency(self) -> str:
        return self.priced.taxes.currency

    @property
    def taxes(self) -> TaxSummary:
        return self.priced.taxes

    @property
    def total(self) -> Money:
        """What the buyer pays: after discounts, VAT included."""
        return self.priced.total

    @property
    def discount(self) -> Money:
        return self.priced.discount

    @property
    def vat(self) -> Money:
        return self.priced.taxes.tax

    @property
    def net(self) -> Money:
        return self.priced.taxes.taxable
