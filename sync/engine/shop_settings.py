"""What the relay's terminal settings tell the till to keep: the M-Pesa number customers pay to
from the SIM menu (pos_app.services.counter shows it in the paybill/till fallback)."""

from __future__ import annotations

from sqlalchemy import delete

from pos_app.services.counter import PAYBILL_KEY, TILL_KEY
from pos_app.store import state
from pos_app.store.db import Ledger
from pos_app.store.schema import sync_state
from sync.protocol import MpesaNumberKind, TerminalSettings


def remember_mpesa_number(ledger: Ledger, settings: TerminalSettings) -> bool:
    """Keep the paybill or till number of the shop's current M-Pesa mode (and forget the
    other kind, so a customer is never sent to a number of the wrong mode). A relay that
    predates the field says nothing: what the till knows stays. True when something changed."""
    if "mpesa_pay_to" not in settings.model_fields_set:
        return False
    pay_to = settings.mpesa_pay_to
    wanted: dict[str, str | None] = {PAYBILL_KEY: None, TILL_KEY: None}
    if pay_to is not None:
        key = TILL_KEY if pay_to.kind is MpesaNumberKind.TILL else PAYBILL_KEY
        wanted[key] = pay_to.number
    with ledger.read() as conn:
        if all(state.get(conn, key) == value for key, value in wanted.items()):
            return False  # asked on every pull loop: write only what changed
    with ledger.write() as conn:
        for key, value in wanted.items():
            if value is None:
                conn.execute(delete(sync_state).where(sync_state.c.key == key))
            else:
                state.put(conn, key, value)
    return True
