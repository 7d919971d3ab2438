"""Bringing a damaged or lost till back: `main.py --restore [BACKUP]` (and the supervisor's
Restore action) puts the last good backup in place of the ledger (the files it replaces are
kept aside, never deleted), then `catch_up` replays what the relay holds of this till's
events beyond the backup.

What is rebuilt: sales (cash sales whole; orders; every tender's payment as it started and
each status it reached: taken, failed, decided, resolved, cancelled, refunded), proofs (their
reference and notes, not the photo) and decisions, flags, cancelled and voided sales, shifts
opened and closed, the shop's settings, products added or changed. A refund comes back as the
payment's refunded total (its approver is not in the event). What is not: users (their PIN
hashes never leave the till), cash movements (who moved the cash is not in the event), a
catalogue import; and any event about a sale neither the backup nor the relay holds, in
another currency, or whose amounts do not add up (a discount: its approver is not in the
event). Each of those is listed with why (`NotRecoveredWhy`) for a supervisor to re-enter.
Every event, rebuilt or not, goes back into the outbox under its own number, marked pushed,
so the till's next event continues the relay's sequence instead of reusing its numbers.

`RestoreOutcome` holds facts, not sentences: the screens put them in the user's language
(pos_app.ui.widgets.damage_screen), the command line in English.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, func, select, update
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.exc import IntegrityError

from pos_app.config import TillSettings
from pos_app.core.errors import DamageKind, DukaError, LedgerDamaged, StoreError
from pos_app.core.money import Money
from pos_app.core.orders import Order, OrderLine, OrderStatus
from pos_app.core.payments import PAID_STATUSES, PaymentMethod, PaymentStatus, ProofType
from pos_app.core.quantities import Quantity, Unit
from pos_app.services import (
    etims_invoices,
    etims_items,
    grants,
    guard,
    orders,
    risk,
    sms_receipts,
)
from pos_app.services.bus import EventBus
from pos_app.services.counter import PAYBILL_REFERENCE_SHOWN
from pos_app.services.grants import Action, Grant, actor
from pos_app.services.payment_rows import insert_payment
from pos_app.services.shop import ShopSettings, load_settings, shop_tax_table, store_settings
from pos_app.services.sync_ledger import SyncLedger
from pos_app.services.unit import Change, ledger_change
from pos_app.services.users import authorise
from pos_app.store import outbox
from pos_app.store.backup import BackupUnreadable, Restored, backups_dir, latest, restore
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import Ledger, open_ledger
from pos_app.store.keys import key_store
from pos_app.store.schema import order_lines as order_lines_table
from pos_app.store.schema import orders as orders_table
from pos_app.store.schema import outbox as outbox_table
from pos_app.store.schema import payments as payments_table
from pos_app.store.schema import products as products_table
from pos_app.store.schema import proofs as proofs_table
from pos_app.store.schema import shifts as shifts_table

log = logging.getLogger(__name__)


class RestoreProblem(StrEnum):
    """Why a restore stopped (screens translate each one)."""

    NO_KEY = "no_key"  # the data key is not in the keyring: no backup can be read
    NO_BACKUP = "no_backup"
    BACKUP_UNREADABLE = "backup_unreadable"  # does not decrypt, cut short, or damaged
    RELAY_UNREACHABLE = "relay_unreachable"  # the backup is back; the relay's copy is not


class NotRecoveredWhy(StrEnum):
    """Why one of the relay's events did not come back (screens translate each one)."""

    NOT_REBUILT = "not_rebuilt"  # a kind of event the relay's copy cannot rebuild
    OTHER_CURRENCY = "other_currency"
    DOES_NOT_ADD_UP = "does_not_add_up"  # e.g. a discounted sale: its approver is not in it
    UNKNOWN_ORDER = "unknown_order"  # about a sale neither the backup nor the relay holds
    UNKNOWN_PRODUCT = "unknown_product"  # changes a product neither of them holds
    REFUSED = "refused"  # the ledger refused it (e.g. a status it cannot move to)


@dataclass(frozen=True, slots=True)
class EventNote:
    """One of the relay's events in a restore's report."""

    till_seq: int
    type: str
    amount: Money | None = None
    why: NotRecoveredWhy | None = None  # None: recovered

    def english(self) -> str:
        amount = f" {self.amount.format()}" if self.amount is not None else ""
        why = f" ({self.why.value})" if self.why is not None else ""
        return f"#{self.till_seq} {self.type}{amount}{why}"


class _NotRebuilt(Exception):
    def __init__(self, why: NotRecoveredWhy) -> None:
        super().__init__(why.value)
        self.why = why


@dataclass
class RestoreOutcome:
    """What a restore did, as facts a screen puts in words (`english()` for the command
    line and the log)."""

    backup: Path | None = None
    set_aside: Path | None = None
    paired: bool = False
    problem: RestoreProblem | None = None
    # False when a running till's restore stopped before it let its ledger go (no key, no
    # backup): it may go on selling
    let_go: bool = True
    recovered: list[EventNote] = field(default_factory=list)
    not_recovered: list[EventNote] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.not_recovered

    def english(self) -> list[str]:
        said: list[str] = []
        if self.backup is not None:
            said.append(f"Restored the ledger from {self.backup}.")
        if self.set_aside is not None:
            said.append(f"The files it replaced are kept in {self.set_aside}.")
        if self.problem is not None:
            said.append(_PROBLEMS[self.problem])
            return said
        if not self.paired:
            said.append("This till is not paired with a relay: the backup is all there is.")
            return said
        said.append(f"Recovered from the relay: {len(self.recovered)} event(s).")
        if self.not_recovered:
            said.append("Not recovered (re-enter these by hand; the relay still holds them):")
            said += [f"  {note.english()}" for note in self.not_recovered]
        return said


_PROBLEMS = {
    RestoreProblem.NO_KEY: (
        "The data key is not in the keyring, so no backup can be read. Restore the keyring "
        "entry, or set DUKA_DATA_KEY to the saved key."
    ),
    RestoreProblem.NO_BACKUP: "No backup was found in the data folder or the copy folder.",
    RestoreProblem.BACKUP_UNREADABLE: "The backup cannot be read or holds a damaged ledger.",
    RestoreProblem.RELAY_UNREACHABLE: (
        "The relay could not be asked for this till's sales: restore again when it is "
        "reachable."
    ),
}


def restore_problem(settings: TillSettings, backup: Path | None = None) -> RestoreProblem | None:
    """Why a restore could not even start (no data key, no backup); None when it can."""
    if key_store(settings.keyring).load() is None:
        return RestoreProblem.NO_KEY
    chosen = backup or latest(backups_dir(settings.data_dir), settings.backup_copy_dir)
    return RestoreProblem.NO_BACKUP if chosen is None or not chosen.exists() else None


def restore_latest(settings: TillSettings, backup: Path | None = None) -> Restored:
    """Restore `backup` (default: the newest in the data folder or the copy folder);
    RestoreFailed says why not."""
    problem = restore_problem(settings, backup)
    if problem is not None:
        raise RestoreFailed(problem)
    keys = key_store(settings.keyring).load()
    chosen = backup or latest(backups_dir(settings.data_dir), settings.backup_copy_dir)
    assert keys is not None and chosen is not None  # restore_problem said so
    try:
        return restore(FieldCipher(keys), chosen, settings.database)
    except BackupUnreadable as exc:
        raise RestoreFailed(RestoreProblem.BACKUP_UNREADABLE) from exc


class RestoreFailed(StoreError):
    def __init__(self, problem: RestoreProblem) -> None:
        super().__init__(_PROBLEMS[problem])
        self.problem = problem


class RelayEvents(Protocol):
    """This till's events as the relay holds them (sync.engine.recovery.RelayEventSource)."""

    terminal_id: str

    def events_after(self, after: int) -> list[RelayEvent]: ...

    def close(self) -> None: ...


# the relay's events for the till whose ledger this is (None: never paired)
RelayFor = Callable[[Ledger], RelayEvents | None]


def restore_and_catch_up(
    settings: TillSettings, backup: Path | None, relay: RelayFor
) -> RestoreOutcome:
    """The backup, then the relay's copy of what came after. `relay` gives the relay's
    events of the restored ledger's till (its credentials are in it). The ledger file must
    not be open elsewhere in this process (the restore replaces it)."""
    outcome = RestoreOutcome()
    try:
        done = restore_latest(settings, backup)
    except RestoreFailed as exc:
        outcome.problem = exc.problem
        return outcome
    outcome.backup, outcome.set_aside = done.backup, done.set_aside
    ledger = open_ledger(settings)
    try:
        source = relay(ledger)
        if source is None:
            return outcome
        outcome.paired = True
        try:
            report = catch_up_from(ledger, EventBus(), source)
        except DukaError as exc:
            log.warning("the relay's copy could not be fetched: %s", exc.message)
            outcome.problem = RestoreProblem.RELAY_UNREACHABLE
            return outcome
        finally:
            source.close()
    finally:
        ledger.close()
    outcome.recovered, outcome.not_recovered = report.recovered, report.not_recovered
    return outcome


def begin_restore(ledger: Ledger, bus: EventBus, grant: Grant) -> None:
    """A supervisor's in-session restore starts: the RESTORE grant is checked and spent
    (with an audit entry) and the till stops selling. A file too damaged to take that write
    still lets a genuine grant through: the write was only the record, and the file is about
    to be set aside."""
    try:
        with ledger_change(ledger, bus, actor(grant)) as change:
            authorise(change.conn, grant, Action.RESTORE)
            change.record("ledger.restore_started", entity="till", entity_id=None, details={})
    except SQLAlchemyDatabaseError as exc:
        grants.check(grant, Action.RESTORE)
        log.warning("the restore could not be put on record in the damaged ledger: %s", exc)
    guard.stop_selling(ledger, LedgerDamaged(DamageKind.RESTORING))


def restore_command(settings: TillSettings, backup: Path | None, relay: RelayFor) -> int:
    """`main.py --restore [BACKUP]`."""
    outcome = restore_and_catch_up(settings, backup, relay)
    print("\n".join(outcome.english()), file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1


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
    recovered: list[EventNote] = field(default_factory=list)
    not_recovered: list[EventNote] = field(default_factory=list)


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
            try:
                with change.conn.begin_nested():
                    amount = _rebuild(change, event)
                report.recovered.append(EventNote(event.till_seq, event.type, amount))
            except (_NotRebuilt, DukaError, IntegrityError, KeyError, TypeError, ValueError) as exc:
                why = exc.why if isinstance(exc, _NotRebuilt) else NotRecoveredWhy.REFUSED
                report.not_recovered.append(EventNote(event.till_seq, event.type, None, why))
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


def _rebuild(change: Change, event: RelayEvent) -> Money | None:
    """Rebuild the rows of one event inside `change`; the money it moved, if any.
    _NotRebuilt (or the ledger's own refusal) when it cannot come back."""
    rebuild = _REBUILDERS.get(event.type)
    if rebuild is None:
        raise _NotRebuilt(NotRecoveredWhy.NOT_REBUILT)
    return rebuild(change, event)


def _money(conn: Connection, minor: object, currency: object) -> Money:
    if load_settings(conn).currency != str(currency):
        raise _NotRebuilt(NotRecoveredWhy.OTHER_CURRENCY)
    return Money(int(str(minor)), str(currency))


def _known_order(conn: Connection, order_id: str) -> None:
    if conn.execute(select(orders_table.c.id).where(orders_table.c.id == order_id)).first() is None:
        raise _NotRebuilt(NotRecoveredWhy.UNKNOWN_ORDER)


def _known_payment(conn: Connection, payment_id: str) -> str:
    """The payment's order id."""
    row = conn.execute(
        select(payments_table.c.order_id).where(payments_table.c.id == payment_id)
    ).first()
    if row is None:
        raise _NotRebuilt(NotRecoveredWhy.UNKNOWN_ORDER)
    return str(row.order_id)


def _order(
    change: Change, sold: Mapping[str, Any], when: datetime, status: OrderStatus
) -> Money:
    """The order as the relay received it (orders.order_payload), at the rates it was sold
    at. A discounted sale does not add up here (its discount's reason and approver are not
    in the event) and is not recovered."""
    conn = change.conn
    total = _money(conn, sold["total_minor"], sold["currency"])
    table = shop_tax_table(load_settings(conn)).with_rates(
        {str(band["tax_class"]): int(band["rate_bps"]) for band in sold["taxes"]}
    )
    lines = [
        OrderLine(
            str(line["name"]),
            Money(int(line["unit_price_minor"]), total.currency),
            Quantity(int(line["quantity_thousandths"]), Unit(str(line["unit"]))),
            line.get("product_id"),
            str(line["tax_class"]),
        )
        for line in sold["lines"]
    ]
    draft = Order.of(lines, table)
    if draft.total != total:
        raise _NotRebuilt(NotRecoveredWhy.DOES_NOT_ADD_UP)
    orders.insert_order(
        change, draft, cashier_id=None, shift_id=None, status=status, known=(sold["order_id"], when)
    )
    return total


def _cash_sale(change: Change, event: RelayEvent) -> Money:
    paid = event.payload["payment"]
    conn = change.conn
    amount = _money(conn, paid["amount_minor"], paid["currency"])
    order_id = str(paid["order_id"])
    if "order" in event.payload:
        if _order(change, event.payload["order"], event.occurred_at, OrderStatus.PAID) != amount:
            raise _NotRebuilt(NotRecoveredWhy.DOES_NOT_ADD_UP)
    else:
        _known_order(conn, order_id)
    insert_payment(
        change,
        order_id=order_id,
        amount=amount,
        method=PaymentMethod.CASH,
        status=PaymentStatus(str(paid["status"])),
        customer_id=None,
        created_by=None,
        tendered=Money(int(paid["tendered_minor"]), amount.currency),
        change_given=Money(int(paid["change_minor"]), amount.currency),
        known=(str(paid["payment_id"]), event.occurred_at),
    )
    if "order" not in event.payload:
        orders.refresh_status(conn, order_id)
    return amount


def _order_created(change: Change, event: RelayEvent) -> Money:
    return _order(change, event.payload, event.occurred_at, OrderStatus.OPEN)


def _payment_created(change: Change, event: RelayEvent) -> Money:
    """Any tender started: M-Pesa, Paystack, card, proof, cash on delivery."""
    p = event.payload
    conn = change.conn
    amount = _money(conn, p["amount_minor"], p["currency"])
    order_id = str(p["order_id"])
    _known_order(conn, order_id)
    insert_payment(
        change,
        order_id=order_id,
        amount=amount,
        method=PaymentMethod(str(p["method"])),
        status=PaymentStatus(str(p["status"])),
        customer_id=None,
        created_by=None,
        test_mode=bool(p.get("test_mode", False)),
        known=(str(p["payment_id"]), event.occurred_at),
    )
    orders.refresh_status(conn, order_id)
    return amount


def _payment_moved(change: Change, event: RelayEvent) -> None:
    """A payment's new status (taken, failed, decided, resolved, cancelled, refunded...): the
    relay's copy is what happened, so it is set as it is rather than replayed through the
    state machine (whose provider answers are not all in the event)."""
    p = event.payload
    conn = change.conn
    payment_id = str(p["payment_id"])
    order_id = _known_payment(conn, payment_id)
    values: dict[str, Any] = {
        "status": PaymentStatus(str(p["status"])).value,
        "updated_at": event.occurred_at,
    }
    if event.type == "payment.refunded":
        # the refund's row needs its approver, who is not in the event: the payment's
        # refunded total is enough to stop the same money going back twice
        values["refunded_minor"] = payments_table.c.refunded_minor + int(p["amount_minor"])
    conn.execute(update(payments_table).where(payments_table.c.id == payment_id).values(values))
    orders.refresh_status(conn, order_id)


def _payment_moved_amount(change: Change, event: RelayEvent) -> Money | None:
    _payment_moved(change, event)
    p = event.payload
    if "amount_minor" in p and "currency" in p:
        return _money(change.conn, p["amount_minor"], p["currency"])
    return None


def _proof_submitted(change: Change, event: RelayEvent) -> None:
    """The proof's reference and notes (its photo never leaves the till)."""
    p = event.payload
    conn = change.conn
    payment_id = str(p["payment_id"])
    _known_payment(conn, payment_id)
    proof_id = str(p["proof_id"])
    reference = str(p["reference"])
    cipher = change.cipher
    conn.execute(
        proofs_table.insert().values(
            id=proof_id,
            payment_id=payment_id,
            proof_type=ProofType(str(p["proof_type"])).value,
            reference_ct=cipher.encrypt(reference, "proofs", "reference_ct", proof_id),
            reference_bidx=risk.reference_index(cipher, reference),
            notes_ct=cipher.encrypt_opt(p.get("notes"), "proofs", "notes_ct", proof_id),
            submitted_at=event.occurred_at,
        )
    )
    conn.execute(
        update(payments_table)
        .where(payments_table.c.id == payment_id)
        .values(status=PaymentStatus.AWAITING_VERIFICATION.value, updated_at=event.occurred_at)
    )


def _proof_decided(change: Change, event: RelayEvent) -> Money | None:
    p = event.payload
    status = PaymentStatus(str(p["status"]))
    change.conn.execute(
        update(proofs_table)
        .where(proofs_table.c.id == str(p["proof_id"]), proofs_table.c.decision.is_(None))
        .values(
            decision="verified" if status in PAID_STATUSES else "rejected",
            decided_at=event.occurred_at,
            decision_notes_ct=change.cipher.encrypt_opt(
                p.get("notes"), "proofs", "decision_notes_ct", str(p["proof_id"])
            ),
        )
    )
    return _payment_moved_amount(change, event)


def _flag(change: Change, event: RelayEvent) -> None:
    """A payment flagged for a supervisor, or its flag cleared."""
    p = event.payload
    payment_id = str(p["payment_id"])
    _known_payment(change.conn, payment_id)
    flagged = event.type == "payment.flagged"
    values: dict[str, Any] = {"needs_supervisor": flagged}
    if flagged:
        values["risk_score"] = int(p["score"])
    change.conn.execute(
        update(payments_table).where(payments_table.c.id == payment_id).values(values)
    )


def _settings(change: Change, event: RelayEvent) -> None:
    stored = event.payload["settings"]
    fields = ShopSettings.__dataclass_fields__
    store_settings(
        change.conn, ShopSettings(**{k: v for k, v in stored.items() if k in fields}),
        event.occurred_at,
    )


def _product(change: Change, event: RelayEvent) -> Money | None:
    """A product added or changed: the event holds its columns."""
    values = {k: v for k, v in event.payload.items() if k in products_table.c}
    if "currency" in values:
        _money(change.conn, values.get("price_minor", 0), values["currency"])
    if event.type == "product.added":
        change.conn.execute(
            products_table.insert().values(
                **values, created_at=event.occurred_at, updated_at=event.occurred_at
            )
        )
        return None
    product_id = values.pop("id")
    result = change.conn.execute(
        update(products_table)
        .where(products_table.c.id == product_id)
        .values(**values, updated_at=event.occurred_at)
    )
    if result.rowcount != 1:
        raise _NotRebuilt(NotRecoveredWhy.UNKNOWN_PRODUCT)
    return None


def _order_ended(change: Change, event: RelayEvent) -> Money | None:
    """A sale cancelled before payment, or voided with its payments."""
    p = event.payload
    conn = change.conn
    order_id = str(p["order_id"])
    _known_order(conn, order_id)
    for voided in p.get("payments", []):
        conn.execute(
            update(payments_table)
            .where(payments_table.c.id == str(voided["payment_id"]))
            .values(status=PaymentStatus(str(voided["status"])).value)
        )
    conn.execute(
        update(orders_table)
        .where(orders_table.c.id == order_id)
        .values(status=OrderStatus.CANCELLED.value, updated_at=event.occurred_at)
    )
    if event.type == "sale.voided":  # every line came back whole (services.refunds)
        conn.execute(
            update(order_lines_table)
            .where(order_lines_table.c.order_id == order_id)
            .values(refunded_thousandths=order_lines_table.c.quantity_thousandths)
        )
    return None


def _shift_opened(change: Change, event: RelayEvent) -> Money:
    p = event.payload
    opening = _money(change.conn, p["float_minor"], p["currency"])
    change.conn.execute(
        shifts_table.insert().values(
            id=str(p["shift_id"]),
            opened_by=str(p["opened_by"]),
            opened_at=event.occurred_at,
            currency=opening.currency,
            float_minor=opening.minor,
        )
    )
    return opening


def _shift_closed(change: Change, event: RelayEvent) -> None:
    report = event.payload["z_report"]
    result = change.conn.execute(
        update(shifts_table)
        .where(shifts_table.c.id == str(report["shift_id"]), shifts_table.c.closed_at.is_(None))
        .values(closed_by=str(report["closed_by"]), closed_at=event.occurred_at, z_report=report)
    )
    if result.rowcount != 1:
        raise _NotRebuilt(NotRecoveredWhy.UNKNOWN_ORDER)


def _etims_requested(change: Change, event: RelayEvent) -> None:
    payload = event.payload
    order_id = str(payload.get("order_id") or "")
    _known_order(change.conn, order_id)
    etims_invoices.requested(
        change.conn, order_id, str(payload["receipt_number"]), str(payload["kind"]),
        event.occurred_at,
    )  # fmt: skip


def _sms_requested(change: Change, event: RelayEvent) -> None:
    payload = event.payload
    order_id = str(payload.get("order_id") or "")
    _known_order(change.conn, order_id)
    sms_receipts.keep(
        change.conn, change.cipher, str(payload["request_id"]), order_id, str(payload["to"]),
        event.occurred_at,
    )  # fmt: skip


_MOVES = (
    "awaiting_customer", "cancelled", "cod_mismatch", "cod_settled", "expired", "failed",
    "outcome", "outcome_flagged", "processed", "refunded", "resolved", "unknown",
)
_REBUILDERS: dict[str, Callable[[Change, RelayEvent], Money | None]] = {
    "sale.cash": _cash_sale,
    "order.created": _order_created,
    "payment.created": _payment_created,
    **{f"payment.{move}": _payment_moved_amount for move in _MOVES},
    "proof.submitted": _proof_submitted,
    "proof.decided": _proof_decided,
    "payment.flagged": _flag,
    "payment.flag_cleared": _flag,
    "settings.updated": _settings,
    "product.added": _product,
    "product.updated": _product,
    "order.cancelled": _order_ended,
    "sale.voided": _order_ended,
    "shift.opened": _shift_opened,
    "shift.closed": _shift_closed,
    # Nothing on the till to rebuild: the relay keeps which till showed the reference.
    PAYBILL_REFERENCE_SHOWN: lambda _change, _event: None,
    # The invoice waits again; KRA's answer comes back on the pull stream.
    etims_invoices.ETIMS_SIGN_REQUESTED: _etims_requested,
    # Nothing on the till to rebuild: the product comes back from its own event, and the
    # relay keeps what KRA holds of the item.
    etims_items.ETIMS_ITEM_CHANGED: lambda _change, _event: None,
    # The text waits again (its number encrypted); the relay's answer comes back on the pull.
    sms_receipts.SMS_RECEIPT_REQUESTED: _sms_requested,
}
