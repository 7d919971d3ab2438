"""Discounts kept apart from prices: an amount with a reason, a cart discount spread over
lines, and the rule for when a discount needs a supervisor's grant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pos_app.core.errors import CurrencyMismatch, InvalidDiscount
from pos_app.core.money import Money
from pos_app.core.rounding import BPS_DENOMINATOR, round_half_up


@dataclass(frozen=True, slots=True)
class Discount:
    """An amount off, in money, and why (the receipt and the audit log show both)."""

    amount: Money
    reason: str

    def __post_init__(self) -> None:
        if self.amount.minor < 0:
            raise InvalidDiscount("A discount cannot be negative.")
        if self.amount.minor and not self.reason.strip():
            raise InvalidDiscount("Every discount needs a reason.")

    @classmethod
    def percent(cls, gross: Money, percent_bps: int, reason: str) -> Discount:
        """percent_bps of gross (1000 = 10 %), rounded once by core.rounding."""
        if (
            isinstance(percent_bps, bool)
            or not isinstance(percent_bps, int)
            or not 0 <= percent_bps <= BPS_DENOMINATOR
        ):
            raise InvalidDiscount("A discount percent is between 0 and 100.")
        amount = round_half_up(gross.minor * percent_bps, BPS_DENOMINATOR)
        return cls(Money(amount, gross.currency), reason)


def needs_supervisor_grant(discount: Money, gross: Money, threshold_bps: int) -> bool:
    """True when `discount` is more than threshold_bps of `gross` (exact, no rounding).

    The threshold is the shop's setting: up to it a cashier may discount alone."""
    if discount.currency != gross.currency:
        raise CurrencyMismatch(gross.currency, discount.currency)
    return discount.minor * BPS_DENOMINATOR > threshold_bps * gross.minor


def allocate_cart_discount(discount: Money, bases: Sequence[Money]) -> tuple[Money, ...]:
    """Spread a cart discount over lines in proportion to `bases` (what each line still costs
    after its own discount), largest remainder first, ties to the earlier position.

    The shares sum to `discount` exactly, and no share exceeds its base: each share is its
    exact proportion rounded up at most, and that proportion is at most the (whole) base."""
    if discount.minor < 0:
        raise InvalidDiscount("A discount cannot be negative.")
    available = sum(b.minor for b in bases)
    if discount.minor > available:
        raise InvalidDiscount(
            f"A discount of {discount.format()} is more than the cart left to discount."
        )
    if discount.minor == 0:
        return tuple(Money.zero(discount.currency) for _ in bases)
    for base in bases:
        if base.currency != discount.currency:
            raise CurrencyMismatch(discount.currency, base.currency)
    return tuple(discount.allocate([b.minor for b in bases]))
