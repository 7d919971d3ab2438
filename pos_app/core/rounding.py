"""The till's one rounding rule, and the VAT split built on it.

Every amount that is not already a whole number of minor units (a weighed line, a percent
discount, the VAT-exclusive part of a price) goes through `round_half_up`: exact integer
division, halves away from zero. Nothing here ever sees a float.
"""

from __future__ import annotations

from typing import Final

BPS_DENOMINATOR: Final = 10_000


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest integer, halves away from zero."""
    if denominator <= 0:
        raise ValueError("round_half_up needs a positive denominator")
    sign = -1 if numerator < 0 else 1
    q, r = divmod(abs(numerator), denominator)
    return sign * (q + (1 if 2 * r >= denominator else 0))


def split_vat_inclusive(gross_minor: int, rate_bps: int) -> tuple[int, int]:
    """(taxable, tax) of a VAT-inclusive gross in minor units.

    KRA's eTIMS rule (reference ETIMS.md §5.4): taxable = round-half-up of gross / (1 + rate),
    tax = gross - taxable. Taking the tax by subtraction makes the parts add back exactly.
    """
    if rate_bps < 0:
        raise ValueError("a VAT rate is a non-negative number of basis points")
    taxable = round_half_up(gross_minor * BPS_DENOMINATOR, BPS_DENOMINATOR + rate_bps)
    return taxable, gross_minor - taxable
