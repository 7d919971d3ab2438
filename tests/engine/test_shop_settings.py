"""What the engine keeps of the relay's terminal settings: the M-Pesa number of the SIM-menu
fallback, in the till's real SQLite ledger."""

from __future__ import annotations

import uuid

from pos_app.services.counter import PAYBILL_KEY, TILL_KEY
from pos_app.services.sync_ledger import SyncLedger
from pos_app.store import state
from pos_app.store.db import Ledger
from sync.engine.shop_settings import remember_mpesa_number
from sync.protocol import TerminalSettings

BASE = {"shop_id": str(uuid.uuid4()), "shop_name": "Duka", "test_mode": {"mpesa": True}}


def _reply(**fields: object) -> TerminalSettings:
    return TerminalSettings.model_validate_json(
        TerminalSettings.model_validate({**BASE, **fields}).model_dump_json(exclude_unset=True)
    )


def _kept(ledger: Ledger) -> tuple[str | None, str | None]:
    with ledger.read() as conn:
        return state.get(conn, PAYBILL_KEY), state.get(conn, TILL_KEY)


def test_paybill_then_till_then_none(ledger: Ledger) -> None:
    paybill = {"kind": "paybill", "number": "174379", "test_mode": True}
    assert remember_mpesa_number(SyncLedger(ledger), _reply(mpesa_pay_to=paybill))
    assert _kept(ledger) == ("174379", None)
    assert not remember_mpesa_number(
        SyncLedger(ledger), _reply(mpesa_pay_to=paybill)
    )  # nothing to write
    till = {"kind": "till", "number": "5566778", "test_mode": False}
    assert remember_mpesa_number(SyncLedger(ledger), _reply(mpesa_pay_to=till))
    assert _kept(ledger) == (None, "5566778")
    # no credentials for the new mode: no number is better than one of the other mode
    assert remember_mpesa_number(SyncLedger(ledger), _reply(mpesa_pay_to=None))
    assert _kept(ledger) == (None, None)


def test_a_relay_without_the_field_changes_nothing(ledger: Ledger) -> None:
    with ledger.write() as conn:
        state.put(conn, PAYBILL_KEY, "888880")
    assert not remember_mpesa_number(SyncLedger(ledger), _reply())
    assert _kept(ledger) == ("888880", None)
