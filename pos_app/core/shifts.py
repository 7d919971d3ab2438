"""The Z report: what each payment method should hold at close, against what was counted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_app.core.errors import CurrencyMismatch
from pos_app.core.money import Money
from pos_app.core.payments import PaymentMethod


def z_report(
    *,
    opening_float: Money,
    cash_in: Money,
    cash_out: Money,
    takings: Mapping[str, Money],
    counted: Mapping[str, Money],
) -> dict[str, Any]:
    """Expected vs counted per method; the cash drawer also holds the float and movements."""
    code = opening_float.currency
    for amount in (cash_in, cash_out, *takings.values(), *counted.values()):
        if amount.currency != code:
            raise CurrencyMismatch(code, amount.currency)
    methods = sorted(set(takings) | set(counted) | {PaymentMethod.CASH.value})
    rows: dict[str, dict[str, int]] = {}
    for method in methods:
        expected = takings.get(method, Money.zero(code))
        if method == PaymentMethod.CASH.value:
            expected = expected + opening_float + cash_in - cash_out
        count = counted.get(method)
        rows[method] = {
            "expected_minor": expected.minor,
            "counted_minor": count.minor if count is not None else expected.minor,
            "difference_minor": (count.minor - expected.minor) if count is not None else 0,
        }
    return {
        "currency": code,
        "opening_float_minor": opening_float.minor,
        "cash_in_minor": cash_in.minor,
        "cash_out_minor": cash_out.minor,
        "methods": rows,
        "total_difference_minor": sum(r["difference_minor"] for r in rows.values()),
    }
