"""KRA eTIMS items on the till: a product added or changed in an eTIMS shop asks the relay to
register it with KRA (outbox event etims.item_changed carrying the saveItem body, in the
catalogue change's own transaction). The relay sends only what KRA does not hold yet, and
registers every item an invoice names before the invoice is signed (docs/etims.md, "Items").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy import select

from pos_app.core.money import Money
from pos_app.core.quantities import Unit
from pos_app.services.etims_invoices import cashier_name, enabled, item_of
from pos_app.services.unit import Change
from pos_app.store.schema import products
from sync.providers.etims_sale import item_request

# sync.protocol.ETIMS_ITEM_CHANGED, the outbox event the relay's signer takes
ETIMS_ITEM_CHANGED: Final = "etims.item_changed"


def products_changed(change: Change, product_ids: Sequence[str]) -> None:
    """Ask the relay to register each product as it now is (a shop without eTIMS writes
    nothing; the relay skips a product KRA already holds as it is)."""
    conn = change.conn
    if not product_ids or not enabled(conn):
        return
    user = cashier_name(conn, change.actor)
    order = {product_id: n for n, product_id in enumerate(product_ids)}
    rows = conn.execute(select(products).where(products.c.id.in_(order))).all()
    for row in sorted(rows, key=lambda r: order[r.id]):
        item = item_of(row.id, Unit(row.unit), row.barcode)
        body = item_request(
            item,
            row.name,
            row.tax_class,
            Money(row.price_minor, row.currency),
            active=bool(row.active),
            user_id=change.actor or "duka",
            user_name=user,
        ).wire()
        change.record(
            ETIMS_ITEM_CHANGED,
            entity="product",
            entity_id=row.id,
            details={"item_code": item.item_code, "tax_class": row.tax_class},
            payload={"product_id": row.id, "item": body},
        )
