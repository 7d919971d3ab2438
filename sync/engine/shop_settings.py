"""What the relay's terminal settings tell the till to keep: the M-Pesa number customers pay to
from the SIM menu (pos_app.services.counter shows it in the paybill/till fallback)."""

from __future__ import annotations

from pos_app.services.counter import PAYBILL_KEY, TILL_KEY
from pos_app.services.sync_ledger import SyncLedger
from sync.protocol import MpesaNumberKind, TerminalSettings


def remember_mpesa_number(ledger: SyncLedger, settings: TerminalSettings) -> bool:
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
    return ledger.keep_facts(wanted)  # asked on every pull loop: writes only what changed
