"""Provider outcomes that match no sale yet: mostly M-Pesa C2B confirmations (customers who paid
from the SIM menu), kept so a supervisor can match them to a sale or to a typed receipt code.

The relay streams them (sync.engine.pull); the account reference, receipt code and payer are
personal data, stored encrypted with blind indexes to find them by exact value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert

from pos_app.core.money import Money
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import Ledger
from pos_app.store.schema import provider_events

TABLE = "provider_events"
RECEIPT_INDEX = "provider_receipt"
REFERENCE_INDEX = "provider_reference"


class Claim(StrEnum):
    """Whose C2B payment it is in the shop: the relay gives each to one till only."""

    MINE = "mine"  # the relay gave it to this till: it may pay a sale here
    TAKEN = "taken"  # another till of the shop has it: never money this till can accept
    OPEN = "open"  # nobody showed its reference: this till asks the relay before counting it


def normalize_code(text: str) -> str:
    """Receipt codes and account references compare without case or spaces ("sgk 12 ab")."""
    return "".join(text.split()).upper()


@dataclass(frozen=True, slots=True)
class ProviderEventView:
    event_id: str
    relay_seq: int | None
    provider: str
    channel: str
    status: str
    amount: Money | None
    reference: str | None
    receipt: str | None
    payer: str | None
    test_mode: bool
    occurred_at: datetime
    received_at: datetime
    matched_payment_id: str | None
    matched_by: str | None
    claim: Claim = Claim.MINE

    @property
    def is_paid(self) -> bool:
        return self.status == "paid"

    @property
    def taken(self) -> bool:
        return self.claim is Claim.TAKEN


@dataclass(frozen=True, slots=True)
class ProviderEventRecord:
    """What the sync engine hands over (a CanonicalPaymentEvent, without the wire types)."""

    event_id: str
    relay_seq: int | None
    provider: str
    channel: str
    status: str
    amount_minor: int | None
    currency: str | None
    reference: str | None
    receipt: str | None
    payer: str | None
    test_mode: bool
    occurred_at: datetime
    received_at: datetime
    claim: Claim = Claim.MINE


def record(conn: Connection, cipher: FieldCipher, event: ProviderEventRecord) -> bool:
    """Store an unmatched outcome inside the caller's transaction; False if already stored."""
    eid = event.event_id

    def bidx(kind: str, value: str | None) -> bytes | None:
        return None if not value else cipher.blind_index(kind, normalize_code(value))

    result = conn.execute(
        insert(provider_events)
        .values(
            event_id=eid,
            relay_seq=event.relay_seq,
            provider=event.provider,
            channel=event.channel,
            status=event.status,
            amount_minor=event.amount_minor,
            currency=event.currency,
            reference_ct=cipher.encrypt_opt(event.reference, TABLE, "reference_ct", eid),
            reference_bidx=bidx(REFERENCE_INDEX, event.reference),
            receipt_ct=cipher.encrypt_opt(event.receipt, TABLE, "receipt_ct", eid),
            receipt_bidx=bidx(RECEIPT_INDEX, event.receipt),
            payer_ct=cipher.encrypt_opt(event.payer, TABLE, "payer_ct", eid),
            test_mode=event.test_mode,
            occurred_at=event.occurred_at,
            received_at=event.received_at,
            claim=event.claim.value,
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
    )
    return result.rowcount == 1


def mark_matched(conn: Connection, event_id: str, payment_id: str, by: str) -> bool:
    """Tie an unmatched outcome to a payment (once); False if it was matched before."""
    result = conn.execute(
        update(provider_events)
        .where(
            provider_events.c.event_id == event_id,
            provider_events.c.matched_payment_id.is_(None),
        )
        .values(matched_payment_id=payment_id, matched_by=by, matched_at=datetime.now(UTC))
    )
    return result.rowcount == 1


def set_claim(conn: Connection, event_id: str, claim: Claim) -> None:
    """What the relay answered this till's claim (granted: mine; refused: taken)."""
    conn.execute(
        update(provider_events)
        .where(provider_events.c.event_id == event_id)
        .values(claim=claim.value)
    )


def _view(cipher: FieldCipher, row: Row[Any]) -> ProviderEventView:
    eid = row.event_id
    amount = (
        Money(row.amount_minor, row.currency)
        if row.amount_minor is not None and row.currency
        else None
    )
    return ProviderEventView(
        event_id=eid,
        relay_seq=row.relay_seq,
        provider=row.provider,
        channel=row.channel,
        status=row.status,
        amount=amount,
        reference=cipher.decrypt_text_opt(row.reference_ct, TABLE, "reference_ct", eid),
        receipt=cipher.decrypt_text_opt(row.receipt_ct, TABLE, "receipt_ct", eid),
        payer=cipher.decrypt_text_opt(row.payer_ct, TABLE, "payer_ct", eid),
        test_mode=row.test_mode,
        occurred_at=row.occurred_at,
        received_at=row.received_at,
        matched_payment_id=row.matched_payment_id,
        matched_by=row.matched_by,
        claim=Claim(row.claim),
    )


def find_unmatched(
    conn: Connection,
    cipher: FieldCipher,
    *,
    receipt_code: str | None = None,
    reference: str | None = None,
    amount: Money | None = None,
    taken: bool = False,
) -> list[ProviderEventView]:
    """Unmatched, paid outcomes with these exact values (any filter left None is not applied):
    the ones this till may still count, or with `taken` those another till of the shop has."""
    claim = provider_events.c.claim
    query = (
        select(provider_events)
        .where(
            provider_events.c.matched_payment_id.is_(None),
            provider_events.c.status == "paid",
            claim == Claim.TAKEN.value if taken else claim != Claim.TAKEN.value,
        )
        .order_by(provider_events.c.received_at)
    )
    if receipt_code is not None:
        # every data key version may have indexed it; ask for each one's tag
        tags = [
            cipher.blind_index(RECEIPT_INDEX, normalize_code(receipt_code), v)
            for v in cipher.versions
        ]
        query = query.where(provider_events.c.receipt_bidx.in_(tags))
    if reference is not None:
        tags = [
            cipher.blind_index(REFERENCE_INDEX, normalize_code(reference), v)
            for v in cipher.versions
        ]
        query = query.where(provider_events.c.reference_bidx.in_(tags))
    if amount is not None:
        query = query.where(
            provider_events.c.amount_minor == amount.minor,
            provider_events.c.currency == amount.currency,
        )
    return [_view(cipher, row) for row in conn.execute(query)]


class ProviderEventService:
    """Read side for the supervisor's approvals queue."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def matching(self, receipt_code: str | None, amount: Money | None) -> list[ProviderEventView]:
        """Unmatched paid outcomes with this receipt code and amount (a typed proof's twin)."""
        if receipt_code is not None and not normalize_code(receipt_code):
            return []
        with self._ledger.read() as conn:
            return find_unmatched(
                conn, self._ledger.cipher, receipt_code=receipt_code, amount=amount
            )

    def taken_elsewhere(self, receipt_code: str | None) -> list[ProviderEventView]:
        """Payments with this receipt code that the relay gave to another till of the shop."""
        if receipt_code is None or not normalize_code(receipt_code):
            return []
        with self._ledger.read() as conn:
            return find_unmatched(
                conn, self._ledger.cipher, receipt_code=receipt_code, taken=True
            )

    def unmatched(self) -> list[ProviderEventView]:
        """Money matching no sale: first what this till may still count, then what another
        till of the shop has (shown as taken, never offered as a match)."""
        with self._ledger.read() as conn:
            return find_unmatched(conn, self._ledger.cipher) + find_unmatched(
                conn, self._ledger.cipher, taken=True
            )

    def get(self, event_id: str) -> ProviderEventView | None:
        with self._ledger.read() as conn:
            row = conn.execute(
                select(provider_events).where(provider_events.c.event_id == event_id)
            ).first()
            return None if row is None else _view(self._ledger.cipher, row)
