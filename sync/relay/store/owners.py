"""The owner's side of the relay's database: owners, their shops, console sessions, the refund
limit, and the read models of the console pages (tills with their sync state, takings,
payments with their provider events, the audit log)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update

from sync.protocol import EventStatus
from sync.relay.store import schema as t
from sync.relay.store.at_rest import open_event, open_payload, open_payment
from sync.relay.store.store import Store, utcnow


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    id: str  # the secret the cookie carries (signed); only its hash is stored
    owner_id: str | None
    stage: str  # anon | totp | full
    csrf: str


@dataclass(frozen=True)
class Taking:
    channel: str
    currency: str
    test_mode: bool
    count: int
    amount_minor: int


class Owners:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ---- owners ------------------------------------------------------------------------------

    def create_owner(self, email: str, password_hash: str, totp_secret: str) -> str:
        owner_id = str(uuid.uuid4())
        with self.store.write() as conn:
            conn.execute(
                insert(t.owners).values(
                    id=owner_id,
                    email=email.strip().lower(),
                    password_hash=password_hash,
                    totp_secret_enc=self.store.box.seal(totp_secret, f"owner-totp:{owner_id}"),
                    language="en",
                    failed_count=0,
                    created_at=utcnow(),
                )
            )
            self.store._audit(conn, None, "admin-cli", "create_owner", {"owner_id": owner_id})
        return owner_id

    def owner_by_email(self, email: str) -> Row[Any] | None:
        with self.store.read() as conn:
            return conn.execute(
                select(t.owners).where(t.owners.c.email == email.strip().lower())
            ).first()

    def owner(self, owner_id: str) -> Row[Any] | None:
        with self.store.read() as conn:
            return conn.execute(select(t.owners).where(t.owners.c.id == owner_id)).first()

    def totp_secret(self, owner: Row[Any]) -> str:
        return self.store.box.open(owner.totp_secret_enc, f"owner-totp:{owner.id}")

    def grant_shop(self, owner_id: str, shop_id: str) -> None:
        with self.store.write() as conn:
            conn.execute(insert(t.owner_shops).values(owner_id=owner_id, shop_id=shop_id))
            self.store._audit(conn, shop_id, "admin-cli", "grant_shop", {"owner_id": owner_id})

    def shops_of(self, owner_id: str) -> list[Row[Any]]:
        with self.store.read() as conn:
            return list(
                conn.execute(
                    select(t.shops)
                    .join(t.owner_shops, t.owner_shops.c.shop_id == t.shops.c.id)
                    .where(t.owner_shops.c.owner_id == owner_id)
                    .order_by(t.shops.c.name)
                )
            )

    def owns(self, owner_id: str, shop_id: str) -> bool:
        with self.store.read() as conn:
            return (
                conn.execute(
                    select(t.owner_shops.c.shop_id).where(
                        (t.owner_shops.c.owner_id == owner_id)
                        & (t.owner_shops.c.shop_id == shop_id)
                    )
                ).first()
                is not None
            )

    def record_failure(self, owner_id: str, max_failures: int, lockout_s: int) -> None:
        """Count a wrong password or code; the n-th in a row locks the owner out for a while."""
        with self.store.write() as conn:
            failed = conn.execute(
                update(t.owners)
                .where(t.owners.c.id == owner_id)
                .values(failed_count=t.owners.c.failed_count + 1)
                .returning(t.owners.c.failed_count)
            ).scalar_one()
            if failed >= max_failures:
                conn.execute(
                    update(t.owners)
                    .where(t.owners.c.id == owner_id)
                    .values(failed_count=0, locked_until=utcnow() + timedelta(seconds=lockout_s))
                )
                self.store._audit(conn, None, f"owner:{owner_id}", "locked_out", {})

    def record_sign_in(self, owner_id: str, totp_step: int) -> None:
        with self.store.write() as conn:
            conn.execute(
                update(t.owners)
                .where(t.owners.c.id == owner_id)
                .values(failed_count=0, totp_last_step=totp_step, last_sign_in_at=utcnow())
            )
            self.store._audit(conn, None, f"owner:{owner_id}", "sign_in", {})

    def set_language(self, owner_id: str, language: str) -> None:
        with self.store.write() as conn:
            conn.execute(
                update(t.owners).where(t.owners.c.id == owner_id).values(language=language)
            )

    # ---- sessions ----------------------------------------------------------------------------

    def create_session(self, owner_id: str | None, stage: str, ttl: timedelta) -> Session:
        session = Session(secrets.token_urlsafe(32), owner_id, stage, secrets.token_urlsafe(32))
        now = utcnow()
        with self.store.write() as conn:
            conn.execute(delete(t.owner_sessions).where(t.owner_sessions.c.expires_at < now))
            conn.execute(
                insert(t.owner_sessions).values(
                    id_hash=session_hash(session.id),
                    owner_id=owner_id,
                    stage=stage,
                    csrf=session.csrf,
                    created_at=now,
                    expires_at=now + ttl,
                )
            )
        return session

    def session(self, session_id: str) -> Session | None:
        with self.store.read() as conn:
            row = conn.execute(
                select(t.owner_sessions).where(
                    (t.owner_sessions.c.id_hash == session_hash(session_id))
                    & (t.owner_sessions.c.expires_at > utcnow())
                )
            ).first()
        return None if row is None else Session(session_id, row.owner_id, row.stage, row.csrf)

    def end_session(self, session_id: str) -> None:
        with self.store.write() as conn:
            conn.execute(
                delete(t.owner_sessions).where(
                    t.owner_sessions.c.id_hash == session_hash(session_id)
                )
            )

    # ---- tills -------------------------------------------------------------------------------

    def till_active(self, till_id: str) -> bool:
        with self.store.read() as conn:
            return (
                conn.execute(
                    select(t.tills.c.id).where(
                        (t.tills.c.id == till_id) & t.tills.c.revoked_at.is_(None)
                    )
                ).first()
                is not None
            )

    def note_pulled(self, till_id: str, seq: int) -> None:
        """The till confirmed holding the shop's events up to `seq` (and was seen doing so)."""
        with self.store.write() as conn:
            key = t.till_cursors.c.till_id == till_id
            values = {"pulled_seq": seq, "at": utcnow()}
            if conn.execute(update(t.till_cursors).where(key).values(values)).rowcount == 0:
                conn.execute(insert(t.till_cursors).values(till_id=till_id, **values))
            conn.execute(
                update(t.tills).where(t.tills.c.id == till_id).values(last_seen_at=values["at"])
            )

    def tills_overview(self, shop_id: str) -> list[Row[Any]]:
        """Each till with `unsynced`: the shop's events it has not yet confirmed holding."""
        with self.store.read() as conn:
            return list(
                conn.execute(
                    select(
                        t.tills,
                        (t.shops.c.last_seq - func.coalesce(t.till_cursors.c.pulled_seq, 0)).label(
                            "unsynced"
                        ),
                    )
                    .join(t.shops, t.shops.c.id == t.tills.c.shop_id)
                    .outerjoin(t.till_cursors, t.till_cursors.c.till_id == t.tills.c.id)
                    .where(t.tills.c.shop_id == shop_id)
                    .order_by(t.tills.c.created_at)
                )
            )

    # ---- refund limit --------------------------------------------------------------------------

    def refund_limit(self, shop_id: str) -> int | None:
        with self.store.read() as conn:
            value = conn.execute(
                select(t.shop_policies.c.refund_limit_minor).where(
                    t.shop_policies.c.shop_id == shop_id
                )
            ).scalar()
        return None if value is None else int(value)

    def set_refund_limit(self, shop_id: str, limit_minor: int | None, actor: str) -> None:
        values = {"refund_limit_minor": limit_minor, "updated_at": utcnow()}
        with self.store.write() as conn:
            key = t.shop_policies.c.shop_id == shop_id
            if conn.execute(update(t.shop_policies).where(key).values(values)).rowcount == 0:
                conn.execute(insert(t.shop_policies).values(shop_id=shop_id, **values))
            self.store._audit(
                conn, shop_id, actor, "set_refund_limit", {"refund_limit_minor": limit_minor}
            )

    def audit_action(self, shop_id: str, actor: str, action: str, detail: dict[str, Any]) -> None:
        """An owner action whose work happened elsewhere (at a provider): its audit entry."""
        with self.store.write() as conn:
            self.store._audit(conn, shop_id, actor, action, detail)

    # ---- read models of the console pages ----------------------------------------------------

    def takings(self, shop_id: str, since: datetime) -> list[Taking]:
        ev = t.canonical_events
        with self.store.read() as conn:
            rows = conn.execute(
                select(
                    ev.c.channel,
                    ev.c.currency,
                    ev.c.test_mode,
                    func.count(),
                    func.coalesce(func.sum(ev.c.amount_minor), 0),
                )
                .where(
                    (ev.c.shop_id == shop_id)
                    & (ev.c.status == EventStatus.PAID.value)
                    & (ev.c.occurred_at >= since)
                )
                .group_by(ev.c.channel, ev.c.currency, ev.c.test_mode)
                .order_by(ev.c.test_mode, ev.c.channel)
            ).all()
        return [Taking(r[0], r[1] or "", bool(r[2]), int(r[3]), int(r[4])) for r in rows]

    def cash_takings(self, shop_id: str, since: datetime) -> list[Taking]:
        """Cash as the tills pushed it: `sale.cash` events less the payments of `sale.voided`
        ones (the payloads are sealed, so they are opened here, on the relay)."""
        ev = t.till_events
        with self.store.read() as conn:
            rows = conn.execute(
                select(ev).where(
                    (ev.c.shop_id == shop_id)
                    & (ev.c.occurred_at >= since)
                    & ev.c.type.in_(("sale.cash", "sale.voided"))
                )
            ).all()
        cash: dict[str, tuple[str, int]] = {}
        voided: set[str] = set()
        for row in rows:
            payload = open_payload(self.store.box, row)
            if row.type == "sale.cash":
                payment = payload.get("payment") or {}
                if payment.get("payment_id") and isinstance(payment.get("amount_minor"), int):
                    cash[payment["payment_id"]] = (
                        str(payment.get("currency") or ""),
                        payment["amount_minor"],
                    )
            else:
                voided.update(str(p.get("payment_id")) for p in payload.get("payments") or [])
        totals: dict[str, tuple[int, int]] = {}
        for payment_id, (currency, amount) in cash.items():
            if payment_id not in voided:
                count, total = totals.get(currency, (0, 0))
                totals[currency] = (count + 1, total + amount)
        return [
            Taking("cash", currency, False, count, total)
            for currency, (count, total) in sorted(totals.items())
        ]

    def payments(self, shop_id: str, limit: int = 100) -> list[tuple[Row[Any], list[Row[Any]]]]:
        with self.store.read() as conn:
            rows = list(
                conn.execute(
                    select(t.payments)
                    .where(t.payments.c.shop_id == shop_id)
                    .order_by(t.payments.c.created_at.desc())
                    .limit(limit)
                )
            )
            ids = [r.payment_id for r in rows]
            events = list(
                conn.execute(
                    select(t.canonical_events)
                    .where(t.canonical_events.c.payment_id.in_(ids))
                    .order_by(t.canonical_events.c.seq)
                )
            )
        box = self.store.box
        by_payment: dict[str, list[Row[Any]]] = {}
        for event in events:
            by_payment.setdefault(event.payment_id, []).append(open_event(box, event))
        return [(open_payment(box, r), by_payment.get(r.payment_id, [])) for r in rows]

    def audit(self, shop_id: str, limit: int = 200) -> list[Row[Any]]:
        with self.store.read() as conn:
            return list(
                conn.execute(
                    select(t.audit_log)
                    .where(t.audit_log.c.shop_id == shop_id)
                    .order_by(t.audit_log.c.id.desc())
                    .limit(limit)
                )
            )

    def has_credentials(self, shop_id: str) -> set[tuple[str, str]]:
        """(provider, mode) pairs with stored credentials; the values are never read here."""
        with self.store.read() as conn:
            return {
                (r.provider, r.mode)
                for r in conn.execute(
                    select(t.shop_credentials.c.provider, t.shop_credentials.c.mode).where(
                        t.shop_credentials.c.shop_id == shop_id
                    )
                )
            }
