"""Opening the cash drawer without a sale ("No sale"): allowed, but always on the record."""

from __future__ import annotations

from sqlalchemy import select

from pos_app.core.errors import ShiftError
from pos_app.services.bus import EventBus
from pos_app.services.unit import ledger_change
from pos_app.services.users import require_role
from pos_app.store.db import Ledger
from pos_app.store.schema import shifts


def record_no_sale(ledger: Ledger, bus: EventBus, user_id: str) -> str:
    """Audits a "No sale" drawer opening by `user_id` in the open shift; returns the shift id.

    Call it before the drawer is kicked: a drawer that opened without its audit entry would
    be exactly what the entry is there to catch.
    """
    with ledger_change(ledger, bus, user_id) as change:
        require_role(change.conn, user_id, "cashier")
        shift_id = change.conn.execute(
            select(shifts.c.id).where(shifts.c.closed_at.is_(None)).limit(1)
        ).scalar()
        if shift_id is None:
            raise ShiftError("Open a shift before opening the drawer.")
        change.record("drawer.no_sale", entity="shift", entity_id=shift_id, details={})
    return str(shift_id)
