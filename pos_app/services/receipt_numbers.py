"""Gap-free receipt numbers per till: the next one is taken from a counter row inside the
sale's own transaction, so a number is never given twice and never skipped (a rolled-back
sale rolls its number back with it; a committed one keeps it, even if the till then crashes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, func, select, update

from pos_app.core.receipt_numbers import ReceiptNumber
from pos_app.store.schema import orders, receipt_counters


def of_order(row: Any) -> ReceiptNumber | None:
    """The receipt number an orders row holds; None for a sale stored before them."""
    if row.receipt_sequence is None:
        return None
    return ReceiptNumber(row.receipt_prefix, row.receipt_sequence)


def of_orders(conn: Connection, order_ids: Iterable[str]) -> dict[str, str]:
    """The printed receipt number of each order that has one, by order id (for lists that
    start from payments: a sale is named to people by its number, never its id)."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    rows = conn.execute(
        select(orders.c.id, orders.c.receipt_prefix, orders.c.receipt_sequence).where(
            orders.c.id.in_(ids), orders.c.receipt_sequence.is_not(None)
        )
    )
    return {row.id: str(of_order(row)) for row in rows}


def allocate(conn: Connection, prefix: str) -> ReceiptNumber:
    """The next number of `prefix`; call inside the write transaction that stores the sale.

    A till without a counter row yet (new, or its ledger restored from a copy older than its
    sales) starts after the highest number its orders hold."""
    sequence = conn.execute(
        update(receipt_counters)
        .where(receipt_counters.c.prefix == prefix)
        .values(last_sequence=receipt_counters.c.last_sequence + 1)
        .returning(receipt_counters.c.last_sequence)
    ).scalar_one_or_none()
    if sequence is None:
        highest = conn.execute(
            select(func.coalesce(func.max(orders.c.receipt_sequence), 0)).where(
                orders.c.receipt_prefix == prefix
            )
        ).scalar_one()
        sequence = int(highest) + 1
        conn.execute(receipt_counters.insert().values(prefix=prefix, last_sequence=sequence))
    return ReceiptNumber(prefix, int(sequence))
