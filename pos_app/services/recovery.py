"""Bringing a damaged or lost till back: `main.py --restore [BACKUP]` (and the supervisor's
Restore action) puts the last good backup in place of the ledger (the files it replaces are
kept aside, never deleted), then `catch_up` replays what the relay holds of this till's
events beyond the backup.

What is replayed: whole cash sales ("sale.cash"), the commonest event and the one a lost
tail is mostly made of, are rebuilt with their own ids, amounts and lines; every other event
is listed as not recovered (with its number and type) for a supervisor to re-enter. Every
event, rebuilt or not, goes back into the outbox under its own number, marked pushed, so the
till's next event continues the relay's sequence instead of reusing its numbers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select

from pos_app.config import TillSettings
from pos_app.core.errors import DukaError, StoreError
from pos_app.core.money import Money
from pos_app.core.orders import Order, OrderLine, OrderStatus
from pos_app.core.payments import PaymentMethod, PaymentStatus
from pos_app.core.quantities import Quantity, Unit
from pos_app.services import orders
from pos_app.services.bus import EventBus
from pos_app.services.counter import PAYBILL_REFERENCE_SHOWN
from pos_app.services.payment_rows import insert_payment
from pos_app.services.shop import load_settings, shop_tax_table
from pos_app.services.sync_ledger import SyncLedger
from pos_app.services.unit import Change, ledger_change
from pos_app.store import outbox
from pos_app.store.backup import Restored, backups_dir, latest, restore
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import Ledger, open_ledger
from pos_app.store.keys import key_store
from pos_app.store.schema import orders as orders_table
from pos_app.store.schema import outbox as outbox_table


def restore_latest(settings: TillSettings, backup: Path | None = None) -> Restored:
    """Restore `backup` (default: the newest in the data folder or the copy folder)."""
    keys = key_store(settings.keyring).load()
    if keys is None:
        raise StoreError(
            "The data key is not in the keyring, so no backup can be read. Restore the "
            "keyring entry, or set DUKA_DATA_KEY to the saved key."
        )
    chosen = backup or latest(backups_dir(settings.data_dir), settings.backup_copy_dir)
    if chosen is None:
        raise StoreError(
            f"No backup was found in {backups_dir(settings.data_dir)}"
            + (f" or {settings.backup_copy_dir}" if settings.backup_copy_dir else "")
            + "."
        )
    return restore(FieldCipher(keys), chosen, settings.database)


class RelayEvents(Protocol):
    """This till's events as the relay holds them (sync.engine.recovery.RelayEventSource)."""

    terminal_id: str

    def events_after(self, after: int) -> list[RelayEvent]: ...

    def close(self) -> None: ...


# the relay's events for the till whose ledger this is (None: never paired)
RelayFor = Callable[[Ledger], RelayEvents | None]


def restore_and_catch_up(
    settings: TillSettings, backup: Path | None, relay: RelayFor
) -> tuple[bool, list[str]]:
    """The backup, then the relay's copy of what came after: (all recovered?, what happened
    in a supervisor's words, including every event that could not be recovered). `relay`
    gives the relay's events of the restored ledger's till (its credentials are in it)."""
    said: list[str] = []
    try:
        done = restore_latest(settings, backup)
    except StoreError as exc:
        return False, [exc.message]
    said.append(f"Restored the ledger from {done.backup}.")
    if done.set_aside is not None:
        said.append(f"The files it replaced are kept in {done.set_aside}.")
    ledger = open_ledger(settings)
    try:
        source = relay(ledger)
        if source is None:
            said.append("This till is not paired with a relay: the backup is all there is.")
            return True, said
        try:
            report = catch_up_from(ledger, EventBus(), source)
        except DukaError as exc:
            said.append(f"The relay could not be asked for this till's sales: {exc.message}")
            said.append("Restore again when the relay is reachable.")
            return False, said
        finally:
            source.close()
    finally:
        ledger.close()
    said.append(f"Recovered from the relay: {len(report.recovered)} event(s).")
    if report.not_recovered:
        said.append("Not recovered (re-enter these by hand; the relay still holds them):")
        said += [f"  {line}" for line in report.not_recovered]
    return not report.not_recovered, said


def restore_command(settings: TillSettings, backup: Path | None, relay: RelayFor) -> int:
    """`main.py --restore [BACKUP]`."""
    ok, said = restore_and_catch_up(settings, backup, relay)
    print("\n".join(said), file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


@dataclass(frozen=True, slots=True)
class RelayEvent:
    """One event of this till as the relay holds it (sync.engine fetches them)."""

    till_seq: int
    event_id: str
    type: str
    occurred_at: datetime
    payload: Mapping[str, Any]


@dataclass
class CatchUp:
    recovered: list[str] = field(default_factory=list)
    not_recovered: list[str] = field(default_factory=list)


def local_last_seq(ledger: Ledger) -> int:
    with ledger.read() as conn:
        return int(conn.execute(select(func.max(outbox_table.c.seq))).scalar() or 0)


def catch_up_from(ledger: Ledger, bus: EventBus, relay: RelayEvents) -> CatchUp:
    offset = SyncLedger(ledger).seq_offset(relay.terminal_id)
    after = max(local_last_seq(ledger) - offset, 0)
    return catch_up(ledger, bus, relay.events_after(after), offset)


def catch_up(ledger: Ledger, bus: EventBus, events: Sequence[RelayEvent], offset: int) -> CatchUp:
    """Replay the relay's events beyond the local outbox, in one transaction."""
    report = CatchUp()
    last = local_last_seq(ledger)
    todo = sorted((e for e in events if e.till_seq + offset > last), key=lambda e: e.till_seq)
    if not todo:
        return report
    with ledger_change(ledger, bus, None) as change:
        for event in todo:
            label = f"#{event.till_seq} {event.type}"
            try:
                with change.conn.begin_nested():
                    what = _rebuild(change, event)
            except (DukaError, KeyError, TypeError, ValueError) as exc:
                what = None
                label += f" ({exc})" if isinstance(exc, DukaError) else ""
            if what is None:
                report.not_recovered.append(label)
            else:
                report.recovered.append(f"#{event.till_seq} {what}")
            outbox.restore_pushed(
                change.conn,
                change.cipher,
                outbox.OutboxEvent(
                    event.till_seq + offset,
                    event.event_id,
                    event.type,
                    event.occurred_at,
                    dict(event.payload),
                ),
            )
        change.record(
            "ledger.recovered",
            entity="till",
            entity_id=None,
            details={
                "first_till_seq": todo[0].till_seq,
                "last_till_seq": todo[-1].till_seq,
                "recovered": len(report.recovered),
                "not_recovered": len(report.not_recovered),
            },
        )
    return report


def _rebuild(change: Change, event: RelayEvent) -> str | None:
    """Rebuild the rows of one event; what it was, or None when this kind is not rebuilt."""
    if event.type == PAYBILL_REFERENCE_SHOWN:
        return "paybill reference shown"  # nothing on the till to rebuild: the relay keeps it
    if event.type != "sale.cash":
        return None
    paid = event.payload["payment"]
    conn = change.conn
    currency = str(paid["currency"])
    if load_settings(conn).currency != currency:
        return None
    amount = Money(int(paid["amount_minor"]), currency)
    order_id = str(paid["order_id"])
    when = event.occurred_at
    if "order" in event.payload:
        sold = event.payload["order"]
        # at the rates it was sold at; a discounted sale does not add up here and is listed
        # as not recovered (its discount's reason and approver are not in the event)
        table = shop_tax_table(load_settings(conn)).with_rates(
            {str(band["tax_class"]): int(band["rate_bps"]) for band in sold["taxes"]}
        )
        lines = [
            OrderLine(
                str(line["name"]),
                Money(int(line["unit_price_minor"]), currency),
                Quantity(int(line["quantity_thousandths"]), Unit(str(line["unit"]))),
                line.get("product_id"),
                str(line["tax_class"]),
            )
            for line in sold["lines"]
        ]
        draft = Order.of(lines, table)
        if draft.total.minor != int(sold["total_minor"]) or draft.total != amount:
            raise ValueError("amounts do not add up")
        orders.insert_order(
            change,
            draft,
            cashier_id=None,
            shift_id=None,
            status=OrderStatus.PAID,
            known=(order_id, when),
        )
    elif (
        conn.execute(select(orders_table.c.id).where(orders_table.c.id == order_id)).first() is None
    ):
        return None
    insert_payment(
        change,
        order_id=order_id,
        amount=amount,
        method=PaymentMethod.CASH,
        status=PaymentStatus(str(paid["status"])),
        customer_id=None,
        created_by=None,
        tendered=Money(int(paid["tendered_minor"]), currency),
        change_given=Money(int(paid["change_minor"]), currency),
        known=(str(paid["payment_id"]), when),
    )
    if "order" not in event.payload:
        orders.refresh_status(conn, order_id)
    return f"cash sale {amount.format()}"
