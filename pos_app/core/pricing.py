"""A cart priced line by line: gross from price and quantity, line and cart discounts, then
VAT per band on what the buyer actually pays.

Mapping to an eTIMS item line (ETIMS.md §5.3-5.4): prc = unit_price, qty = quantity,
splyAmt = gross, dcAmt = discount, and taxblAmt / taxAmt / totAmt come from the discounted
gross (the reference infers this for discounts; nobody has verified it on the gateway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pos_app.core.discounts import Discount, allocate_cart_discount, needs_supervisor_grant
from pos_app.core.errors import CurrencyMismatch, InvalidDiscount, InvalidOrder
from pos_app.core.money import Money
from pos_app.core.quantities import Quantity, line_gross
from pos_app.core.tax import LineTax, TaxSummary, TaxTable, summarise, tax_line


@dataclass(frozen=True, slots=True)
class CartLine:
    """What the cashier rang up: the original price stays, the discount sits beside it."""

    name: str
    unit_price: Money
    quantity: Quantity
    tax_class: str
    discount: Discount | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidOrder("Every line needs a product name.")
        if self.unit_price.minor <= 0:
            raise InvalidOrder(f"The price of {self.name!r} must be more than zero.")
        if self.discount is not None:
            if self.discount.amount.currency != self.unit_price.currency:
                raise CurrencyMismatch(self.unit_price.currency, self.discount.amount.currency)
            if self.discount.amount > self.gross:
                raise InvalidDiscount(f"The discount on {self.name!r} is more than the line.")

    @property
    def gross(self) -> Money:
        return line_gross(self.unit_price, self.quantity)

    @property
    def line_discount(self) -> Money:
        return self.discount.amount if self.discount else Money.zero(self.unit_price.currency)


@dataclass(frozen=True, slots=True)
class PricedLine:
    line: CartLine
    cart_discount: Money  # this line's share of the cart discount
    tax: LineTax  # of the discounted gross

    @property
    def gross(self) -> Money:
        return self.line.gross

    @property
    def discount(self) -> Money:
        return self.line.line_discount + self.cart_discount

    @property
    def net(self) -> Money:
        return self.tax.gross


@dataclass(frozen=True, slots=True)
class PricedCart:
    lines: tuple[PricedLine, ...]
    cart_discount: Discount | None
    taxes: TaxSummary

    @property
    def gross(self) -> Money:
        """Total before any discount (the receipt's "total before discount")."""
        return Money(sum(p.gross.minor for p in self.lines), self.taxes.currency)

    @property
    def discount(self) -> Money:
        return Money(sum(p.discount.minor for p in self.lines), self.taxes.currency)

    @property
    def total(self) -> Money:
        return self.taxes.gross

    def needs_supervisor_grant(self, threshold_bps: int) -> bool:
        """Any line discount, or the cart discount, above the shop's threshold percent of
        what it discounts."""
        for priced in self.lines:
            if needs_supervisor_grant(priced.line.line_discount, priced.gross, threshold_bps):
                return True
        if self.cart_discount is None:
            return False
        base = self.gross - Money(
            sum(p.line.line_discount.minor for p in self.lines), self.taxes.currency
        )
        return needs_supervisor_grant(self.cart_discount.amount, base, threshold_bps)


def _canonical(line: CartLine) -> tuple[int, str, int, int, str, str]:
    gross = line.gross.minor - line.line_discount.minor
    return (
        -gross,
        line.tax_class,
        line.unit_price.minor,
        line.quantity.thousandths,
        line.quantity.unit,
        line.name,
    )


def price_cart(
    lines: Sequence[CartLine], table: TaxTable, cart_discount: Discount | None = None
) -> PricedCart:
    """Price every line; the cart discount is allocated over lines in a canonical order so
    that the per-band result does not depend on the order the lines were rung up."""
    if not lines:
        raise InvalidOrder("An order needs at least one line.")
    code = lines[0].unit_price.currency
    for line in lines:
        if line.unit_price.currency != code:
            raise CurrencyMismatch(code, line.unit_price.currency)
    classes = [table.get(line.tax_class) for line in lines]
    order = sorted(range(len(lines)), key=lambda i: _canonical(lines[i]))
    bases = [lines[i].gross - lines[i].line_discount for i in order]
    cart_amount = cart_discount.amount if cart_discount else Money.zero(code)
    shares = [Money.zero(code)] * len(lines)
    for i, share in zip(order, allocate_cart_discount(cart_amount, bases), strict=True):
        shares[i] = share
    priced = tuple(
        PricedLine(line, share, tax_line(line.gross - line.line_discount - share, tax_class))
        for line, share, tax_class in zip(lines, shares, classes, strict=True)
    )
    return PricedCart(priced, cart_discount, summarise((p.tax for p in priced), table, code))
