"""Line-level refund arithmetic: what a credit note gives back for the quantities returned.

Each returned part of a line is credited as the difference of two cumulative shares of what
the buyer paid for the line, share(q) = round-half-up(paid * q / sold). The credits of any
series of partial returns therefore add up to exactly what was paid once the whole line is
back, and never more. Each credit line is then split per band by the same per-line rule as a
sale, because eTIMS checks every line's taxable amount (ETIMS.md §5.4, §6); over several
partial credits the tax may thus differ from the sale's line tax by a minor unit per credit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pos_app.core.errors import CurrencyMismatch, InvalidInput, InvalidOrder, RefundTooLarge
from pos_app.core.money import Money
from pos_app.core.quantities import Quantity
from pos_app.core.rounding import round_half_up
from pos_app.core.tax import LineTax, TaxSummary, TaxTable, summarise, tax_line


@dataclass(frozen=True, slots=True)
class SoldLine:
    """A line of the original sale, and how much of it earlier credit notes took back."""

    quantity: Quantity
    paid: Money  # the line's gross after its discounts: what the buyer paid for it
    tax_class: str
    refunded_thousandths: int = 0

    def __post_init__(self) -> None:
        if self.paid.minor < 0:
            raise InvalidOrder("A sold line cannot have a negative amount.")
        if not 0 <= self.refunded_thousandths <= self.quantity.thousandths:
            raise RefundTooLarge("Earlier refunds cannot exceed what was sold.")

    @property
    def remaining_thousandths(self) -> int:
        return self.quantity.thousandths - self.refunded_thousandths

    def _share(self, thousandths: int) -> int:
        return round_half_up(self.paid.minor * thousandths, self.quantity.thousandths)


@dataclass(frozen=True, slots=True)
class CreditLine:
    index: int  # position of the line in the original sale
    quantity: Quantity
    tax: LineTax

    @property
    def amount(self) -> Money:
        return self.tax.gross


@dataclass(frozen=True, slots=True)
class CreditNote:
    lines: tuple[CreditLine, ...]
    taxes: TaxSummary

    @property
    def total(self) -> Money:
        return self.taxes.gross


def credit_note(
    sold: Sequence[SoldLine], returns: Mapping[int, Quantity], table: TaxTable
) -> CreditNote:
    """Credit lines for `returns` (original line index -> quantity given back), in line order."""
    if not sold:
        raise InvalidOrder("A refund needs the sale's lines.")
    if not returns:
        raise InvalidOrder("Choose at least one line to refund.")
    code = sold[0].paid.currency
    credits: list[CreditLine] = []
    for index in sorted(returns):
        if not 0 <= index < len(sold):
            raise InvalidInput(f"The sale has no line {index + 1}.")
        line, back = sold[index], returns[index]
        if line.paid.currency != code:
            raise CurrencyMismatch(code, line.paid.currency)
        if back.unit is not line.quantity.unit:
            raise InvalidInput(
                f"Line {index + 1} was sold in {line.quantity.unit}, not {back.unit}."
            )
        if back.thousandths > line.remaining_thousandths:
            raise RefundTooLarge(
                f"Line {index + 1}: only {_left(line)} is left to refund, not {back.format()}."
            )
        before = line.refunded_thousandths
        amount = line._share(before + back.thousandths) - line._share(before)
        credits.append(
            CreditLine(index, back, tax_line(Money(amount, code), table.get(line.tax_class)))
        )
    return CreditNote(tuple(credits), summarise((c.tax for c in credits), table, code))


def _left(line: SoldLine) -> str:
    if line.remaining_thousandths == 0:
        return "nothing"
    return Quantity(line.remaining_thousandths, line.quantity.unit).format()
