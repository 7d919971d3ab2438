"""Tax classes per country and VAT per line, summed per band, from VAT-inclusive prices.

Each product carries a tax class (Kenya: the eTIMS letters A-E). A line's VAT-inclusive gross
is split into taxable + tax by `core.rounding.split_vat_inclusive` (KRA's per-line rule); a
band's totals are the sums of its rounded lines, never a re-taxed band total (ETIMS.md §5.4),
so the receipt, the tax return and what eTIMS recomputes agree to the cent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from pos_app.core.errors import CurrencyMismatch, InvalidAmount, InvalidInput, UnknownTaxClass
from pos_app.core.money import Money
from pos_app.core.rounding import split_vat_inclusive


class TaxKind(StrEnum):
    STANDARD = "standard"
    REDUCED = "reduced"
    ZERO_RATED = "zero-rated"  # taxable at 0 %: the seller still reclaims input VAT
    EXEMPT = "exempt"  # outside the charge by a schedule of the VAT law: no input VAT claim
    NON_VAT = "non-vat"  # not a VAT supply at all (e.g. a seller below the threshold)


_TAXED: Final = frozenset({TaxKind.STANDARD, TaxKind.REDUCED})


@dataclass(frozen=True, slots=True)
class TaxClass:
    code: str  # what the receipt prints after an amount and eTIMS takes as taxTyCd
    kind: TaxKind
    rate_bps: int
    label: str

    def __post_init__(self) -> None:
        if isinstance(self.rate_bps, bool) or not isinstance(self.rate_bps, int):
            raise InvalidAmount("A tax rate is a whole number of basis points.")
        # 0 is allowed for a VAT band: a 2026 sandbox code list had E at 0 % (ETIMS.md §3.1)
        if self.kind in _TAXED and not 0 <= self.rate_bps <= 10_000:
            raise InvalidAmount(f"Tax class {self.code}: a rate is between 0 and 10000 bps.")
        if self.kind not in _TAXED and self.rate_bps != 0:
            raise InvalidAmount(f"Tax class {self.code} is {self.kind}: it carries no tax.")


@dataclass(frozen=True, slots=True)
class TaxTable:
    """A country's tax classes, in the order a receipt lists them."""

    country: str  # ISO 3166-1 alpha-2
    classes: tuple[TaxClass, ...]

    def __post_init__(self) -> None:
        codes = [c.code for c in self.classes]
        if not codes or len(set(codes)) != len(codes):
            raise ValueError(f"tax classes of {self.country} must be present and unique")

    def get(self, code: str) -> TaxClass:
        wanted = code.strip().upper()
        for tax_class in self.classes:
            if tax_class.code == wanted:
                return tax_class
        raise UnknownTaxClass(code, self.country)

    @property
    def default_class(self) -> TaxClass:
        """The class of a product nobody classified: the standard rate (B in Kenya)."""
        return next(c for c in self.classes if c.kind is TaxKind.STANDARD)

    def with_rates(self, rates: Mapping[str, int]) -> TaxTable:
        """The table with the rates of the authority's latest code list (eTIMS checks every
        band's rate against its own list, used or not: ETIMS.md §3.1, §12.2)."""
        new = {self.get(code).code: rate for code, rate in rates.items()}
        return replace(
            self,
            classes=tuple(
                replace(c, rate_bps=new[c.code]) if c.code in new else c for c in self.classes
            ),
        )


# KRA code list cdCls 04 (ETIMS.md §3.1): B, not A, is the 16 % band. E was 8 % in the 2024
# code list while a 2026 gateway sandbox expected 0: load the live list with with_rates().
KENYA: Final = TaxTable(
    "KE",
    (
        TaxClass("A", TaxKind.EXEMPT, 0, "Exempt"),
        TaxClass("B", TaxKind.STANDARD, 1600, "VAT 16%"),
        TaxClass("C", TaxKind.ZERO_RATED, 0, "Zero-rated"),
        TaxClass("D", TaxKind.NON_VAT, 0, "Non-VAT"),
        TaxClass("E", TaxKind.REDUCED, 800, "VAT 8%"),
    ),
)

# Another country gets its own entry once its classes are sourced (none are in the reference).
TAX_TABLES: Final[Mapping[str, TaxTable]] = MappingProxyType({KENYA.country: KENYA})


def tax_table(country: str) -> TaxTable:
    try:
        return TAX_TABLES[country.strip().upper()]
    except KeyError:
        raise InvalidInput(f"The till has no tax classes for country {country!r}.") from None


@dataclass(frozen=True, slots=True)
class LineTax:
    """One line's VAT-inclusive gross split into taxable + tax."""

    tax_class: TaxClass
    gross: Money
    taxable: Money
    tax: Money


def tax_line(gross: Money, tax_class: TaxClass) -> LineTax:
    if gross.minor < 0:
        raise InvalidAmount("A line to tax cannot be negative: credit notes carry positive lines.")
    taxable, tax = split_vat_inclusive(gross.minor, tax_class.rate_bps)
    return LineTax(tax_class, gross, Money(taxable, gross.currency), Money(tax, gross.currency))


@dataclass(frozen=True, slots=True)
class BandTotal:
    tax_class: TaxClass
    taxable: Money
    tax: Money

    @property
    def gross(self) -> Money:
        return self.taxable + self.tax


@dataclass(frozen=True, slots=True)
class TaxSummary:
    """Every class of the table, zeros for the unused ones (eTIMS and the printed tax table
    want all bands every time: ETIMS.md §5.1, §9)."""

    currency: str
    bands: tuple[BandTotal, ...]

    def band(self, code: str) -> BandTotal:
        for band in self.bands:
            if band.tax_class.code == code:
                return band
        raise UnknownTaxClass(code, "this summary")

    @property
    def taxable(self) -> Money:
        return Money(sum(b.taxable.minor for b in self.bands), self.currency)

    @property
    def tax(self) -> Money:
        return Money(sum(b.tax.minor for b in self.bands), self.currency)

    @property
    def gross(self) -> Money:
        return self.taxable + self.tax


def summarise(lines: Iterable[LineTax], table: TaxTable, currency: str) -> TaxSummary:
    """Per-band sums of already-rounded lines."""
    taxable = {c.code: 0 for c in table.classes}
    tax = dict(taxable)
    for line in lines:
        if line.gross.currency != currency:
            raise CurrencyMismatch(currency, line.gross.currency)
        code = line.tax_class.code
        if table.get(code) != line.tax_class:
            raise UnknownTaxClass(f"{code} at {line.tax_class.rate_bps} bps", table.country)
        taxable[code] += line.taxable.minor
        tax[code] += line.tax.minor
    return TaxSummary(
        currency,
        tuple(
            BandTotal(c, Money(taxable[c.code], currency), Money(tax[c.code], currency))
            for c in table.classes
        ),
    )
