"""Store: every read and write the relay makes, each write one transaction.

Methods are synchronous SQLAlchemy Core. The web app calls them through `Store.run`, which
runs them inline on SQLite (writes serialise there anyway and a commit costs well under a
millisecond, measured faster than a thread hop) and in a thread pool on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from sync.protocol import (
    ETIMS_ITEM_CHANGED,
    ETIMS_SIGN_REQUESTED,
    PAYBILL_REFERENCE_SHOWN,
    SMS_RECEIPT_REQUESTED,
    CanonicalPaymentEvent,
    EventStatus,
    OutboxEvent,
    PaymentChannel,
    Provider,
    PushResult,
    PushStatus,
)
from sync.relay.crypto import SecretBox, new_pairing_code, new_token, new_url_token, token_hash
from sync.relay.store import schema as t
from sync.relay.store.at_rest import (
    OpenedRaw,
    OpenedTillEvent,
    blind_index,
    dedup_index,
    idempotency_context,
    open_claim,
    open_event,
    open_json,
    open_parked,
    open_payment,
    open_raw,
    open_till_event,
    payment_context,
    receipt_index,
    reference_index,
    seal_body,
    seal_claim_values,
    seal_event_values,
    seal_json,
    seal_parked_values,
    seal_payload,
    seal_payment_values,
    seal_text,
    with_values,
)
from sync.relay.store.engine import IMMEDIATE, is_sqlite
from sync.relay.store.etims_queue import queue_document, want_item
from sync.relay.store.sms_queue import queue_sms

T = TypeVar("T")
MAX_BATCH = 256
_INSERT_RAW = insert(t.raw_webhooks).returning(t.raw_webhooks.c.id)
_INSERT_RAW_MANY = insert(t.raw_webhooks).returning(
    t.raw_webhooks.c.id, sort_by_parameter_order=True
)
_INSERT_PARKED = insert(t.parked)
_INSERT_EVENT = insert(t.canonical_events)
# The per-shop counter: the row lock it takes serialises numbering per shop (PostgreSQL), and a
# rollback undoes it with the event, so numbers are gap-free.
_NEXT_SEQ = (
    update(t.shops)
    .where(t.shops.c.id == bindparam("shop"))
    .values(last_seq=t.shops.c.last_seq + 1)
    .returning(t.shops.c.last_seq)
)
_SEEN = (
    select(t.canonical_events.c.shop_id, t.canonical_events.c.dedup_key)
    .where(t.canonical_events.c.dedup_key.in_(bindparam("keys", expanding=True)))
    .union_all(
        select(t.parked.c.shop_id, t.parked.c.dedup_key).where(
            t.parked.c.dedup_key.in_(bindparam("keys", expanding=True))
        )
    )
)
NOTIFY_CHANNEL = "duka_relay_events"
MODES = ("test", "live")


def utcnow() -> datetime:
    return datetime.now(UTC)


def next_shop_seq(conn: Connection, shop_id: str) -> int:
    """The next number of the shop's event sequence (payment and eTIMS events share it)."""
    return int(conn.execute(_NEXT_SEQ, {"shop": shop_id}).scalar_one())


def notify_pullers(conn: Connection, shop_id: str) -> None:
    """Wake the shop's long-polls in other processes once this transaction commits
    (PostgreSQL delivers NOTIFY at commit); this process wakes its own through the hub."""
    if conn.dialect.name != "sqlite":
        conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": NOTIFY_CHANNEL, "p": shop_id})


@dataclass(frozen=True)
class RawWebhook:
    provider: str
    kind: str
    shop_id: str | None
    source_ip: str | None
    headers: dict[str, str]
    body: bytes
    received_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class EventDraft:
    """A verified outcome to number and stream. `dedup_key` is the provider's identity of it."""

    dedup_key: str
    provider: Provider
    channel: PaymentChannel
    status: EventStatus
    occurred_at: datetime
    test_mode: bool
    payment_id: str | None = None
    reference: str | None = None
    amount_minor: int | None = None
    currency: str | None = None
    receipt: str | None = None
    payer: str | None = None
    result_code: str | None = None
    message: str | None = None
    claimed_by_till: str | None = None


@dataclass(frozen=True)
class ParkDraft:
    reason: str
    dedup_key: str | None
    summary: dict[str, Any]


@dataclass(frozen=True)
class Pending:
    """Accepted and stored; the outcome needs a provider check first (STK Query, Paystack
    verify). An STK callback also brings the CheckoutRequestID (kept when the relay died
    before saving it: the query then asks about it) and the receipt it claims."""

    payment_id: str
    checkout_request_id: str | None = None
    receipt: str | None = None
    # A hosted page's webhook names the provider's own id of the attempt (Flutterwave's
    # transaction id): the verify asks about exactly that one.
    provider_reference: str | None = None


@dataclass(frozen=True)
class Ignored:
    """Stored, nothing to stream: a C2B validation request, an event type the relay does not
    act on, or a repeat of an outcome already recorded (verdict "duplicate")."""

    verdict: str


Decision = EventDraft | ParkDraft | Pending | Ignored


@dataclass(frozen=True)
class IngestResult:
    raw_id: int | None
    verdict: str  # event | duplicate | parked | pending | ignored | rejected
    seq: int | None = None


@dataclass(frozen=True)
class PushOutcome:
    results: list[PushResult]
    next_till_seq: int
    gap_expected: int | None = None


class Store:
    def __init__(self, engine: Engine, box: SecretBox, pool_size: int = 10) -> None:
        self.engine = engine
        self.box = box
        self.sqlite = is_sqlite(engine)
        self._executor = None if self.sqlite else ThreadPoolExecutor(pool_size, "relay-db")
        self._queue: list[
            tuple[RawWebhook, Callable[[Connection], Decision], asyncio.Future[Any]]
        ] = []
        self._draining = False
        self.credentials_generation = 0  # bumped on every credential or shop change

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self._executor is None:
            return fn(*args, **kwargs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args, **kwargs))

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{IMMEDIATE: True})
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    # ---- shops and credentials ------------------------------------------------------------

    def create_shop(self, name: str) -> tuple[str, str]:
        shop_id = str(uuid.uuid4())
        token = new_url_token()
        self.credentials_generation += 1  # "the only shop" may no longer be the only one
        with self.write() as conn:
            conn.execute(
                insert(t.shops).values(
                    id=shop_id,
                    name=name,
                    webhook_token_hash=token_hash(token),
                    webhook_token_enc=self.box.seal(token, f"webhook-token:{shop_id}"),
                    mpesa_test_mode=True,
                    paystack_test_mode=True,
                    flutterwave_test_mode=True,
                    stripe_test_mode=True,
                    last_seq=0,
                    created_at=utcnow(),
                )
            )
            self._audit(conn, shop_id, "admin", "create_shop", {"name": name})
        return shop_id, token

    def shops(self) -> list[Row[Any]]:
        with self.read() as conn:
            return list(conn.execute(select(t.shops).order_by(t.shops.c.created_at)))

    def shop(self, shop_id: str) -> Row[Any] | None:
        with self.read() as conn:
            return conn.execute(select(t.shops).where(t.shops.c.id == shop_id)).first()

    def shop_by_webhook_token(self, token: str) -> Row[Any] | None:
        with self.read() as conn:
            return conn.execute(
                select(t.shops).where(t.shops.c.webhook_token_hash == token_hash(token))
            ).first()

    def webhook_token(self, shop_id: str) -> str:
        shop = self.shop(shop_id)
        if shop is None:
            raise KeyError(shop_id)
        return self.box.open(shop.webhook_token_enc, f"webhook-token:{shop_id}")

    def set_credentials(
        self,
        shop_id: str,
        provider: str,
        mode: str,
        secrets: dict[str, str],
        base_url: str | None,
        actor: str = "admin",
    ) -> None:
        if mode not in MODES:
            raise ValueError("mode must be test or live")
        context = f"cred:{shop_id}:{provider}:{mode}"
        values = {
            "secret_enc": self.box.seal(json.dumps(secrets), context),
            "base_url": base_url,
            "updated_at": utcnow(),
        }
        key = (
            (t.shop_credentials.c.shop_id == shop_id)
            & (t.shop_credentials.c.provider == provider)
            & (t.shop_credentials.c.mode == mode)
        )
        self.credentials_generation += 1
        with self.write() as conn:
            if conn.execute(update(t.shop_credentials).where(key).values(**values)).rowcount == 0:
                conn.execute(
                    insert(t.shop_credentials).values(
                        shop_id=shop_id, provider=provider, mode=mode, **values
                    )
                )
            self._audit(
                conn,
                shop_id,
                actor,
                "set_credentials",
                {"provider": provider, "mode": mode, "fields": sorted(secrets)},
            )

    def credentials(
        self, shop_id: str, provider: str, mode: str
    ) -> tuple[dict[str, str], str | None] | None:
        with self.read() as conn:
            row = conn.execute(
                select(t.shop_credentials).where(
                    (t.shop_credentials.c.shop_id == shop_id)
                    & (t.shop_credentials.c.provider == provider)
                    & (t.shop_credentials.c.mode == mode)
                )
            ).first()
        if row is None:
            return None
        secrets = json.loads(self.box.open(row.secret_enc, f"cred:{shop_id}:{provider}:{mode}"))
        return secrets, row.base_url

    def set_test_mode(
        self, shop_id: str, provider: Provider, test_mode: bool, actor: str, reason: str | None
    ) -> datetime:
        column = f"{provider.value}_test_mode"
        now = utcnow()
        with self.write() as conn:
            conn.execute(update(t.shops).where(t.shops.c.id == shop_id).values({column: test_mode}))
            self._audit(
                conn,
                shop_id,
                actor,
                "set_test_mode",
                {"provider": provider.value, "test_mode": test_mode, "reason": reason},
            )
        return now

    def audit_entries(self, shop_id: str) -> list[Row[Any]]:
        with self.read() as conn:
            return list(
                conn.execute(
                    select(t.audit_log)
                    .where(t.audit_log.c.shop_id == shop_id)
                    .order_by(t.audit_log.c.id)
                )
            )

    def _audit(
        self, conn: Connection, shop_id: str | None, actor: str, action: str, detail: dict[str, Any]
    ) -> None:
        conn.execute(
            insert(t.audit_log).values(
                shop_id=shop_id, actor=actor, action=action, detail=detail, at=utcnow()
            )
        )

    # ---- tills -----------------------------------------------------------------------------

    def create_pairing_code(self, shop_id: str, ttl_s: int, actor: str = "admin") -> str:
        code = new_pairing_code()
        with self.write() as conn:
            conn.execute(
                insert(t.pairing_codes).values(
                    code_hash=token_hash(code),
                    shop_id=shop_id,
                    expires_at=utcnow() + timedelta(seconds=ttl_s),
                )
            )
            self._audit(conn, shop_id, actor, "pairing_code", {})
        return code

    def pair(self, code: str, till_name: str) -> tuple[str, str, Row[Any]] | None:
        """Exchange a one-time code for a till id and token; None if bad, used or expired."""
        now = utcnow()
        normalised = code.strip().upper().replace("-", "").replace(" ", "")
        with self.write() as conn:
            claimed = conn.execute(
                update(t.pairing_codes)
                .where(
                    (t.pairing_codes.c.code_hash == token_hash(normalised))
                    & t.pairing_codes.c.used_at.is_(None)
                    & (t.pairing_codes.c.expires_at > now)
                )
                .values(used_at=now)
                .returning(t.pairing_codes.c.shop_id)
            ).first()
            if claimed is None:
                return None
            shop = conn.execute(select(t.shops).where(t.shops.c.id == claimed.shop_id)).one()
            till_id = str(uuid.uuid4())
            token = new_token()
            conn.execute(
                insert(t.tills).values(
                    id=till_id,
                    shop_id=shop.id,
                    name=till_name,
                    token_hash=token_hash(token),
                    next_till_seq=1,
                    created_at=now,
                )
            )
            self._audit(
                conn, shop.id, "admin", "pair_till", {"till_id": till_id, "name": till_name}
            )
        return till_id, token, shop

    def till_by_token(self, token: str) -> Row[Any] | None:
        with self.read() as conn:
            return conn.execute(
                select(t.tills).where(
                    (t.tills.c.token_hash == token_hash(token)) & t.tills.c.revoked_at.is_(None)
                )
            ).first()

    def till(self, till_id: str) -> Row[Any] | None:
        with self.read() as conn:
            return conn.execute(select(t.tills).where(t.tills.c.id == till_id)).first()

    def tills(self, shop_id: str) -> list[Row[Any]]:
        with self.read() as conn:
            return list(
                conn.execute(
                    select(t.tills)
                    .where(t.tills.c.shop_id == shop_id)
                    .order_by(t.tills.c.created_at)
                )
            )

    def revoke_till(self, till_id: str, actor: str = "admin") -> bool:
        with self.write() as conn:
            row = conn.execute(
                update(t.tills)
                .where((t.tills.c.id == till_id) & t.tills.c.revoked_at.is_(None))
                .values(revoked_at=utcnow())
                .returning(t.tills.c.shop_id)
            ).first()
            if row is not None:
                self._audit(conn, row.shop_id, actor, "revoke_till", {"till_id": till_id})
        return row is not None

    # ---- webhooks ----------------------------------------------------------------------------

    def ingest(self, raw: RawWebhook, decide: Callable[[Connection], Decision]) -> IngestResult:
        """Store the raw webhook and act on it in ONE transaction: the raw row is durable before
        the provider gets its 200, and an event exists iff its raw webhook does."""
        result = self.ingest_batch([(raw, decide)])[0]
        if isinstance(result, BaseException):
            raise result
        return result

    async def ingest_async(
        self, raw: RawWebhook, decide: Callable[[Connection], Decision]
    ) -> IngestResult:
        """Group commit: webhooks that arrive while a commit is running share the next one, so
        the fsync and the transaction overhead are paid once per batch, not per webhook. Each
        caller still gets its answer only after the commit that made its rows durable."""
        future: asyncio.Future[IngestResult | BaseException] = (
            asyncio.get_running_loop().create_future()
        )
        self._queue.append((raw, decide, future))
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain())
        result = await future
        if isinstance(result, BaseException):
            raise result
        return result

    async def _drain(self) -> None:
        batch: list[tuple[RawWebhook, Callable[[Connection], Decision], asyncio.Future[Any]]] = []
        try:
            while self._queue:
                await asyncio.sleep(0)  # let requests already read by the server join in
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                try:
                    results = await self.run(self.ingest_batch, [(r, d) for r, d, _ in batch])
                    if len(results) != len(batch):
                        raise RuntimeError("group commit lost track of its webhooks")
                except Exception as exc:
                    results = [exc] * len(batch)
                for (_, _, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        except BaseException as exc:
            # Whatever went wrong, no caller may be left waiting or told it was stored.
            for _, _, future in [*batch, *self._queue]:
                if not future.done():
                    future.set_result(exc)
            self._queue = []
            raise
        finally:
            self._draining = False

    def ingest_batch(
        self, items: list[tuple[RawWebhook, Callable[[Connection], Decision]]]
    ) -> list[IngestResult | BaseException]:
        """All items in one transaction; if any item fails, each is redone in its own
        transaction so that one bad webhook cannot lose the others. On PostgreSQL two
        deliveries of one webhook can race past the duplicate check: the loser hits the unique
        dedup key, rolls back whole (no seq gap), and on the retry sees the duplicate."""
        if len(items) > 1:
            try:
                with self.write() as conn:
                    return list(self._ingest_many(conn, items))
            except Exception:
                pass
        results: list[IngestResult | BaseException] = []
        for item in items:
            for attempt in (1, 2):
                try:
                    with self.write() as conn:
                        done = self._ingest_many(conn, [item])
                    # Only now, after the commit: a failed commit must not count as stored.
                    results.extend(done)
                    break
                except IntegrityError as exc:
                    if attempt == 2:
                        results.append(exc)
                except Exception as exc:
                    results.append(exc)
                    break
        return results

    def _ingest_many(
        self, conn: Connection, items: list[tuple[RawWebhook, Callable[[Connection], Decision]]]
    ) -> list[IngestResult]:
        """Decide each item, then write the batch with few statements: one duplicate check,
        one multi-row insert of raw webhooks, one of parked items; events are numbered one by
        one (each bumps its shop's counter)."""
        decisions = [decide(conn) for _, decide in items]
        keys = [
            dedup_index(self.box, d.dedup_key) if isinstance(d, EventDraft | ParkDraft) else None
            for d in decisions
        ]
        seen = self._seen_keys(conn, [k for k in keys if k])
        verdicts: list[str] = []
        for (raw, _), decision, key in zip(items, decisions, keys, strict=True):
            if isinstance(decision, Ignored):
                verdicts.append(decision.verdict)
            elif isinstance(decision, Pending):
                verdicts.append("pending")
            elif key and (raw.shop_id, key) in seen:
                verdicts.append("duplicate")
            else:
                if key:  # a repeat later in this batch is a duplicate
                    seen.add((raw.shop_id, key))
                verdicts.append("parked" if isinstance(decision, ParkDraft) else "event")
        raw_rows = [
            self._sealed_raw_values(raw, verdict)
            for (raw, _), verdict in zip(items, verdicts, strict=True)
        ]
        raw_ids = [int(i) for i in conn.execute(_INSERT_RAW_MANY, raw_rows).scalars()]
        now = utcnow()
        parked_rows = [
            self._sealed_parked_values(raw.shop_id, raw_id, raw.provider, decision, now)
            for (raw, _), decision, verdict, raw_id in zip(
                items, decisions, verdicts, raw_ids, strict=True
            )
            if verdict == "parked" and isinstance(decision, ParkDraft)
        ]
        if parked_rows:
            conn.execute(_INSERT_PARKED, parked_rows)
        return [
            self._apply(conn, raw_id, raw.shop_id, raw.provider, decision, verdict)
            if verdict in ("event", "pending")
            else IngestResult(raw_id, verdict)
            for (raw, _), decision, verdict, raw_id in zip(
                items, decisions, verdicts, raw_ids, strict=True
            )
        ]

    def reject_webhook(self, raw: RawWebhook, verdict: str, detail: str) -> int:
        """Keep a refused webhook (forged signature, bad JSON...) for the owner to look at."""
        with self.write() as conn:
            return self._insert_raw(conn, raw, verdict, detail)

    def _insert_raw(
        self, conn: Connection, raw: RawWebhook, verdict: str, detail: str | None = None
    ) -> int:
        return int(
            conn.execute(_INSERT_RAW, self._sealed_raw_values(raw, verdict, detail)).scalar_one()
        )

    def _sealed_raw_values(
        self, raw: RawWebhook, verdict: str, detail: str | None = None
    ) -> dict[str, Any]:
        body = seal_body(self.box, raw.shop_id, raw.provider, raw.kind, raw.received_at, raw.body)
        return _raw_values(raw, verdict, detail) | {"body": body}

    def _sealed_parked_values(
        self,
        shop_id: str | None,
        raw_id: int | None,
        provider: str,
        decision: ParkDraft,
        now: datetime,
    ) -> dict[str, Any]:
        values = {
            "shop_id": shop_id,
            "raw_id": raw_id,
            "provider": provider,
            "reason": decision.reason,
            "dedup_key": decision.dedup_key,
            "summary": decision.summary,
            "created_at": now,
        }
        return seal_parked_values(self.box, values)

    def _verdict(self, conn: Connection, shop_id: str, decision: Decision) -> str:
        if isinstance(decision, Ignored):
            return decision.verdict
        if isinstance(decision, Pending):
            return "pending"
        key = dedup_index(self.box, decision.dedup_key)
        if key and (shop_id, key) in self._seen_keys(conn, [key]):
            return "duplicate"
        return "parked" if isinstance(decision, ParkDraft) else "event"

    def _apply(
        self,
        conn: Connection,
        raw_id: int | None,
        shop_id: str | None,
        provider: str,
        decision: Decision,
        verdict: str,
    ) -> IngestResult:
        if isinstance(decision, Pending):
            payment = t.payments.c
            given = {
                "receipt": decision.receipt or None,
                "checkout_request_id": decision.checkout_request_id or None,
                "provider_reference": decision.provider_reference
                and decision.provider_reference[:120],
            }
            sealed = seal_payment_values(
                self.box, decision.payment_id, {k: v for k, v in given.items() if v}
            )
            values: dict[str, Any] = {"next_check_at": utcnow()}
            if "receipt" in sealed:
                values["receipt"] = sealed["receipt"]
            if "provider_reference" in sealed:
                values["provider_reference"] = sealed["provider_reference"]
            if "checkout_request_id" in sealed:
                # A CheckoutRequestID already saved is kept (and its index with it).
                values["checkout_request_id"] = func.coalesce(
                    payment.checkout_request_id, sealed["checkout_request_id"]
                )
                values["checkout_index"] = func.coalesce(
                    payment.checkout_index, sealed["checkout_index"]
                )
            conn.execute(
                update(t.payments).where(payment.payment_id == decision.payment_id).values(values)
            )
        elif verdict == "parked" and isinstance(decision, ParkDraft):
            conn.execute(
                _INSERT_PARKED,
                self._sealed_parked_values(shop_id, raw_id, provider, decision, utcnow()),
            )
        elif verdict == "event" and isinstance(decision, EventDraft):
            assert shop_id is not None
            return IngestResult(raw_id, verdict, self.append_event(conn, shop_id, decision, raw_id))
        return IngestResult(raw_id, verdict)

    def _seen_keys(self, conn: Connection, keys: list[str]) -> set[tuple[str | None, str]]:
        """(shop, key) of the keys already used by an event or an open parked item (resolving
        a parked item clears its key). Keys are per shop: one shop's transaction id says
        nothing about another's."""
        if not keys:
            return set()
        return {(row[0], row[1]) for row in conn.execute(_SEEN, {"keys": keys})}

    def append_event(
        self, conn: Connection, shop_id: str, draft: EventDraft, raw_id: int | None
    ) -> int:
        """Number and insert a canonical event; updates the payment it settles; wakes pullers."""
        seq = next_shop_seq(conn, shop_id)
        now = utcnow()
        conn.execute(
            _INSERT_EVENT,
            seal_event_values(self.box, {
                "shop_id": shop_id,
                "seq": seq,
                "event_id": str(uuid.uuid4()),
                "provider": draft.provider.value,
                "channel": draft.channel.value,
                "payment_id": draft.payment_id,
                "reference": draft.reference,
                "status": draft.status.value,
                "amount_minor": draft.amount_minor,
                "currency": draft.currency,
                "receipt": draft.receipt,
                "payer": draft.payer,
                "result_code": draft.result_code,
                "message": draft.message,
                "occurred_at": draft.occurred_at,
                "received_at": now,
                "test_mode": draft.test_mode,
                "dedup_key": draft.dedup_key,
                "raw_id": raw_id,
                "claimed_by_till": draft.claimed_by_till,
            }),
        )  # fmt: skip
        if draft.payment_id is not None:
            receipt = seal_text(
                self.box, draft.receipt, payment_context(draft.payment_id, "receipt")
            )
            conn.execute(
                update(t.payments)
                .where(t.payments.c.payment_id == draft.payment_id)
                .values(
                    state=draft.status.value,
                    receipt=receipt,
                    event_seq=seq,
                    next_check_at=None,
                    updated_at=now,
                )
            )
        notify_pullers(conn, shop_id)
        return seq

    def record_outcome(
        self, shop_id: str, decision: EventDraft | ParkDraft, raw_id: int | None
    ) -> IngestResult:
        """An outcome found by a re-query / verify rather than by a webhook."""
        for attempt in (1, 2):
            try:
                with self.write() as conn:
                    provider = (
                        decision.provider.value
                        if isinstance(decision, EventDraft)
                        else (str(decision.summary.get("provider", "unknown")))
                    )
                    verdict = self._verdict(conn, shop_id, decision)
                    return self._apply(conn, raw_id, shop_id, provider, decision, verdict)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def raw_webhook(self, raw_id: int) -> OpenedRaw | None:
        with self.read() as conn:
            row = conn.execute(select(t.raw_webhooks).where(t.raw_webhooks.c.id == raw_id)).first()
        return None if row is None else open_raw(self.box, row)

    def count_raw(self, verdict: str | None = None) -> int:
        query = select(func.count()).select_from(t.raw_webhooks)
        if verdict is not None:
            query = query.where(t.raw_webhooks.c.verdict == verdict)
        with self.read() as conn:
            return int(conn.execute(query).scalar_one())

    # ---- pull --------------------------------------------------------------------------------

    def events_after(self, shop_id: str, after_seq: int, limit: int) -> list[CanonicalPaymentEvent]:
        with self.read() as conn:
            rows = conn.execute(
                select(t.canonical_events)
                .where(
                    (t.canonical_events.c.shop_id == shop_id)
                    & (t.canonical_events.c.seq > after_seq)
                )
                .order_by(t.canonical_events.c.seq)
                .limit(limit)
            ).all()
        return [event_from_row(open_event(self.box, row)) for row in rows]

    def last_seq(self, shop_id: str) -> int:
        with self.read() as conn:
            return int(
                conn.execute(select(t.shops.c.last_seq).where(t.shops.c.id == shop_id)).scalar_one()
            )

    # ---- push --------------------------------------------------------------------------------

    def push(self, till_id: str, shop_id: str, events: list[OutboxEvent]) -> PushOutcome:
        now = utcnow()
        with self.write() as conn:
            expected = int(
                conn.execute(
                    # FOR UPDATE serialises concurrent pushes of one till on PostgreSQL.
                    select(t.tills.c.next_till_seq).where(t.tills.c.id == till_id).with_for_update()
                ).scalar_one()
            )
            known = {
                row.event_id: row
                for row in conn.execute(
                    select(t.till_events).where(
                        (t.till_events.c.till_id == till_id)
                        & t.till_events.c.event_id.in_([str(e.event_id) for e in events])
                    )
                )
            }
            accepted_now: dict[str, int] = {}
            results: list[PushResult] = []
            for event in events:
                first = known.get(str(event.event_id))
                if first is None and str(event.event_id) in accepted_now:
                    results.append(
                        PushResult(
                            event_id=event.event_id,
                            till_seq=accepted_now[str(event.event_id)],
                            status=PushStatus.DUPLICATE,
                            first_received_at=now,
                        )
                    )
                    continue
                if first is not None:
                    results.append(
                        PushResult(
                            event_id=event.event_id,
                            till_seq=first.till_seq,
                            status=PushStatus.DUPLICATE,
                            first_received_at=first.received_at,
                        )
                    )
                    continue
                if event.till_seq < expected:
                    results.append(
                        PushResult(
                            event_id=event.event_id,
                            till_seq=event.till_seq,
                            status=PushStatus.REJECTED,
                            reason="till_seq already used by another event_id",
                        )
                    )
                    continue
                if event.till_seq > expected:
                    conn.rollback()
                    return PushOutcome([], expected, gap_expected=expected)
                conn.execute(
                    insert(t.till_events).values(
                        till_id=till_id,
                        shop_id=shop_id,
                        event_id=str(event.event_id),
                        till_seq=event.till_seq,
                        type=event.type,
                        occurred_at=event.occurred_at,
                        payload=seal_payload(self.box, till_id, str(event.event_id), event.payload),
                        received_at=now,
                    )
                )
                if event.type == PAYBILL_REFERENCE_SHOWN:
                    self._reference_shown(conn, shop_id, till_id, event.payload, now)
                elif event.type == ETIMS_SIGN_REQUESTED:
                    queue_document(conn, self.box, shop_id, till_id, event.payload, now)
                elif event.type == ETIMS_ITEM_CHANGED:
                    want_item(conn, shop_id, event.payload.get("item"), now)
                elif event.type == SMS_RECEIPT_REQUESTED:
                    queue_sms(
                        conn, self.box, shop_id, till_id, str(event.event_id), event.payload, now
                    )
                accepted_now[str(event.event_id)] = event.till_seq
                results.append(
                    PushResult(
                        event_id=event.event_id, till_seq=event.till_seq, status=PushStatus.ACCEPTED
                    )
                )
                expected += 1
            conn.execute(
                update(t.tills)
                .where(t.tills.c.id == till_id)
                .values(next_till_seq=expected, last_seen_at=now)
            )
        return PushOutcome(results, expected)

    def _reference_shown(
        self, conn: Connection, shop_id: str, till_id: str, payload: dict[str, Any], now: datetime
    ) -> None:
        """The first till to show a paybill account reference owns the C2B payments for it."""
        reference = payload.get("reference")
        if not isinstance(reference, str) or not 0 < len(reference.strip()) <= 120:
            return
        refs = t.c2b_references.c
        shown = reference_index(self.box, normal_reference(reference))
        key = (refs.shop_id == shop_id) & (refs.reference == shown)
        if conn.execute(select(refs.till_id).where(key)).first() is None:
            conn.execute(
                insert(t.c2b_references).values(
                    shop_id=shop_id,
                    reference=shown,
                    till_id=till_id,
                    shown_at=now,
                )
            )

    def reference_owner(self, conn: Connection, shop_id: str, reference: str | None) -> str | None:
        if not reference or not reference.strip():
            return None
        refs = t.c2b_references.c
        shown = reference_index(self.box, normal_reference(reference))
        return conn.execute(
            select(refs.till_id).where((refs.shop_id == shop_id) & (refs.reference == shown))
        ).scalar()

    def grant_c2b(
        self,
        conn: Connection,
        shop_id: str,
        receipt: str,
        till_id: str,
        how: str,
        actor: str | None = None,
    ) -> Row[Any]:
        """Give the C2B payment `receipt` to `till_id` unless a till has it already; -> the
        grant that holds (this one or the earlier), its receipt in clear (stored blind)."""
        grants = t.c2b_grants.c
        blind = receipt_index(self.box, receipt)
        key = (grants.shop_id == shop_id) & (grants.receipt == blind)
        held = conn.execute(select(t.c2b_grants).where(key)).first()
        if held is not None:
            return with_values(held, receipt=receipt)
        conn.execute(
            insert(t.c2b_grants).values(
                shop_id=shop_id,
                receipt=blind,
                till_id=till_id,
                how=how,
                actor=actor,
                granted_at=utcnow(),
            )
        )
        return with_values(conn.execute(select(t.c2b_grants).where(key)).one(), receipt=receipt)

    def claim_c2b_payment(
        self, shop_id: str, till_id: str, receipt: str, actor: str
    ) -> tuple[Row[Any], str] | None:
        """A supervisor's match of an unmatched C2B payment: granted once per shop. -> (the
        grant that holds, its till's name), or None when the shop has no such confirmed
        payment."""
        events = t.canonical_events.c
        with self.write() as conn:
            paid = conn.execute(
                select(events.seq).where(
                    (events.shop_id == shop_id)
                    & (events.channel == PaymentChannel.MPESA_C2B.value)
                    & (events.status == EventStatus.PAID.value)
                    & (events.receipt_index == receipt_index(self.box, receipt))
                )
            ).first()
            if paid is None:
                return None
            grant = self.grant_c2b(conn, shop_id, receipt.upper(), till_id, "manual", actor)
            detail = {  # the event's number, not its receipt: the audit log is not sealed
                "event_seq": paid.seq,
                "till_id": till_id,
                "granted": grant.till_id == till_id,
            }
            self._audit(conn, shop_id, actor, "claim_c2b", detail)
            name = conn.execute(select(t.tills.c.name).where(t.tills.c.id == grant.till_id))
            return grant, str(name.scalar() or "")

    def till_events(self, till_id: str) -> list[OpenedTillEvent]:
        with self.read() as conn:
            rows = conn.execute(
                select(t.till_events)
                .where(t.till_events.c.till_id == till_id)
                .order_by(t.till_events.c.till_seq)
            ).all()
        return [open_till_event(self.box, row) for row in rows]

    # ---- idempotency and initiated payments --------------------------------------------------

    def claim_idempotency_key(
        self, shop_id: str, key: str, till_id: str, request_hash: str
    ) -> tuple[str, dict[str, Any] | None]:
        """-> ("new", None) when this request owns the key; ("done", response) when it was
        answered before; ("running", None) while the first is still in flight; ("conflict",
        None) when the key was used with another body. A duplicate finds the key with a
        read: only the first request writes."""
        state, response, _ = self.idempotency_key_state(shop_id, key, request_hash)
        if state != "gone":
            return state, response
        try:
            with self.write() as conn:
                conn.execute(
                    insert(t.idempotency_keys).values(
                        shop_id=shop_id,
                        key=key,
                        till_id=till_id,
                        request_hash=request_hash,
                        response=None,
                        created_at=utcnow(),
                    )
                )
            return "new", None
        except IntegrityError:
            pass
        state, response, _ = self.idempotency_key_state(shop_id, key, request_hash)
        return state, response

    def idempotency_key_state(
        self, shop_id: str, key: str, request_hash: str
    ) -> tuple[str, dict[str, Any] | None, datetime | None]:
        """What became of a claimed key, read without a write transaction (duplicates poll
        this): ("done"|"running"|"conflict"|"gone", first response, claimed at)."""
        with self.read() as conn:
            row = conn.execute(
                select(t.idempotency_keys).where(
                    (t.idempotency_keys.c.shop_id == shop_id) & (t.idempotency_keys.c.key == key)
                )
            ).first()
        if row is None:
            return "gone", None, None
        if row.request_hash != request_hash:
            return "conflict", None, row.created_at
        if row.response is None:
            return "running", None, row.created_at
        response = open_json(self.box, row.response, idempotency_context(shop_id, key))
        return "done", response, row.created_at

    def finish_idempotency_key(self, shop_id: str, key: str, response: dict[str, Any]) -> None:
        """The first answer is kept to replay: sealed, as it names the payment's reference."""
        sealed = seal_json(self.box, response, idempotency_context(shop_id, key))
        with self.write() as conn:
            conn.execute(
                update(t.idempotency_keys)
                .where(
                    (t.idempotency_keys.c.shop_id == shop_id) & (t.idempotency_keys.c.key == key)
                )
                .values(response=sealed)
            )

    def release_idempotency_key(self, shop_id: str, key: str) -> None:
        """The first request died before contacting the provider: let a retry own the key."""
        with self.write() as conn:
            conn.execute(
                delete(t.idempotency_keys).where(
                    (t.idempotency_keys.c.shop_id == shop_id)
                    & (t.idempotency_keys.c.key == key)
                    & t.idempotency_keys.c.response.is_(None)
                )
            )

    def insert_payment(self, **values: Any) -> bool:
        """False when the payment id is taken (by this shop or another)."""
        now = utcnow()
        sealed = seal_payment_values(self.box, values["payment_id"], values)
        try:
            with self.write() as conn:
                conn.execute(insert(t.payments).values(created_at=now, updated_at=now, **sealed))
        except IntegrityError:
            return False
        return True

    def update_payment(self, payment_id: str, **values: Any) -> None:
        sealed = seal_payment_values(self.box, payment_id, values)
        with self.write() as conn:
            conn.execute(
                update(t.payments)
                .where(t.payments.c.payment_id == payment_id)
                .values(updated_at=utcnow(), **sealed)
            )

    def delete_payment(self, payment_id: str) -> None:
        with self.write() as conn:
            conn.execute(delete(t.payments).where(t.payments.c.payment_id == payment_id))

    def payment(self, payment_id: str) -> Row[Any] | None:
        with self.read() as conn:
            row = conn.execute(
                select(t.payments).where(t.payments.c.payment_id == payment_id)
            ).first()
        return None if row is None else open_payment(self.box, row)

    def payment_in(self, conn: Connection, shop_id: str, payment_id: str) -> Row[Any] | None:
        """In a webhook's transaction: the shop's payment by its id."""
        row = conn.execute(
            select(t.payments).where(
                (t.payments.c.shop_id == shop_id) & (t.payments.c.payment_id == payment_id)
            )
        ).first()
        return None if row is None else open_payment(self.box, row)

    def payment_by_reference(
        self, conn: Connection, shop_id: str, provider: str, reference: str
    ) -> Row[Any] | None:
        """In a webhook's transaction: the shop's payment with this provider reference."""
        payments = t.payments.c
        row = conn.execute(
            select(t.payments).where(
                (payments.shop_id == shop_id)
                & (payments.provider == provider)
                & (
                    payments.reference_index
                    == blind_index(self.box, "payment-reference", reference)
                )
            )
        ).first()
        return None if row is None else open_payment(self.box, row)

    def payment_by_checkout(
        self, conn: Connection, shop_id: str, checkout_request_id: str
    ) -> Row[Any] | None:
        """In a webhook's transaction: the shop's STK push with this CheckoutRequestID."""
        payments = t.payments.c
        row = conn.execute(
            select(t.payments).where(
                (payments.shop_id == shop_id)
                & (
                    payments.checkout_index
                    == blind_index(self.box, "checkout", checkout_request_id)
                )
            )
        ).first()
        return None if row is None else open_payment(self.box, row)

    def due_payments(self, now: datetime, limit: int = 50) -> list[Row[Any]]:
        with self.read() as conn:
            rows = conn.execute(
                select(t.payments)
                .where(t.payments.c.next_check_at <= now)
                .order_by(t.payments.c.next_check_at)
                .limit(limit)
            ).all()
        return [open_payment(self.box, row) for row in rows]

    # ---- C2B claims --------------------------------------------------------------------------

    def claim_c2b(self, conn: Connection, **values: Any) -> bool:
        """In a webhook's transaction: record a C2B confirmation as a claim to be confirmed
        (due now); False when the shop has this transaction id already."""
        claims = t.c2b_claims.c
        sealed = seal_claim_values(self.box, values)
        known = conn.execute(
            select(claims.id).where(
                (claims.shop_id == values["shop_id"])
                & (claims.trans_index == sealed["trans_index"])
            )
        ).first()
        if known is not None:
            return False
        now = utcnow()
        conn.execute(
            insert(t.c2b_claims).values(
                state="claimed", attempts=0, next_check_at=now, created_at=now, **sealed
            )
        )
        return True

    def c2b_claim_by_receipt(
        self, conn: Connection, shop_id: str, receipt: str
    ) -> Row[Any] | None:
        """In a transaction: the shop's claim for this M-Pesa receipt, whatever its state."""
        claims = t.c2b_claims.c
        row = conn.execute(
            select(t.c2b_claims).where(
                (claims.shop_id == shop_id)
                & (claims.trans_index == receipt_index(self.box, receipt))
            )
        ).first()
        return None if row is None else open_claim(self.box, row)

    def settled_c2b_receipts(self, shop_id: str, receipts: list[str]) -> set[str]:
        """Those of `receipts` the shop has a confirmed or refused claim for (nothing to add)."""
        claims = t.c2b_claims.c
        by_index = {receipt_index(self.box, r): r for r in receipts}
        if not by_index:
            return set()
        with self.read() as conn:
            found = conn.execute(
                select(claims.trans_index).where(
                    (claims.shop_id == shop_id)
                    & claims.trans_index.in_(list(by_index))
                    & (claims.state != "claimed")
                )
            ).scalars()
            return {by_index[index] for index in found}

    # ---- M-Pesa Pull Transactions ------------------------------------------------------------

    def set_mpesa_pull(self, shop_id: str, enabled: bool, actor: str) -> datetime | None:
        """Turn Pull on (its first window starts now) or off; -> where the next window starts."""
        until = utcnow() if enabled else None
        with self.write() as conn:
            conn.execute(
                update(t.shops).where(t.shops.c.id == shop_id).values(mpesa_pull_until=until)
            )
            self._audit(conn, shop_id, actor, "set_mpesa_pull", {"enabled": enabled})
        return until

    def mpesa_pull_shops(self) -> list[Row[Any]]:
        with self.read() as conn:
            return list(
                conn.execute(select(t.shops).where(t.shops.c.mpesa_pull_until.is_not(None)))
            )

    def mpesa_pulled_until(self, shop_id: str, until: datetime) -> None:
        """A window is reconciled up to `until` (unless Pull was turned off meanwhile)."""
        shops = t.shops.c
        with self.write() as conn:
            conn.execute(
                update(t.shops)
                .where((shops.id == shop_id) & shops.mpesa_pull_until.is_not(None))
                .values(mpesa_pull_until=until)
            )

    def due_c2b_claims(self, now: datetime, limit: int = 50) -> list[Row[Any]]:
        claims = t.c2b_claims.c
        with self.read() as conn:
            rows = conn.execute(
                select(t.c2b_claims)
                .where((claims.next_check_at <= now) & (claims.state == "claimed"))
                .order_by(claims.next_check_at)
                .limit(limit)
            ).all()
        return [open_claim(self.box, row) for row in rows]

    def c2b_claim_by_request(
        self, conn: Connection, shop_id: str, request_id: str
    ) -> Row[Any] | None:
        """In a webhook's transaction: the claim a Transaction Status query was asked about."""
        claims = t.c2b_claims.c
        row = conn.execute(
            select(t.c2b_claims).where(
                (claims.shop_id == shop_id) & (claims.request_id == request_id)
            )
        ).first()
        return None if row is None else open_claim(self.box, row)

    def update_c2b_claim(self, claim_id: int, **values: Any) -> None:
        with self.write() as conn:
            conn.execute(update(t.c2b_claims).where(t.c2b_claims.c.id == claim_id).values(values))

    def c2b_claims(self, shop_id: str) -> list[Row[Any]]:
        with self.read() as conn:
            rows = conn.execute(
                select(t.c2b_claims)
                .where(t.c2b_claims.c.shop_id == shop_id)
                .order_by(t.c2b_claims.c.id)
            ).all()
        return [open_claim(self.box, row) for row in rows]

    def c2b_received(self, shop_id: str, reference: str, since: datetime) -> list[Row[Any]]:
        """The shop's C2B claims for an account reference since `since`, oldest first: what a
        till's paybill screen shows while the customer pays. bill_ref is sealed, so the day's
        claims are opened and compared here (a shop gets a few hundred a day at most)."""
        claims = t.c2b_claims.c
        with self.read() as conn:
            rows = conn.execute(
                select(t.c2b_claims)
                .where((claims.shop_id == shop_id) & (claims.created_at >= since))
                .order_by(claims.id)
            ).all()
        wanted = normal_reference(reference)
        opened = (open_claim(self.box, row) for row in rows)
        return [c for c in opened if c.bill_ref and normal_reference(c.bill_ref) == wanted]

    # ---- parked ------------------------------------------------------------------------------

    def parked(self, shop_id: str | None, include_resolved: bool = False) -> list[Row[Any]]:
        query = select(t.parked).order_by(t.parked.c.id)
        if shop_id is not None:
            query = query.where(t.parked.c.shop_id == shop_id)
        if not include_resolved:
            query = query.where(t.parked.c.resolved_at.is_(None))
        with self.read() as conn:
            rows = conn.execute(query).all()
        return [open_parked(self.box, row) for row in rows]

    def parked_item(self, parked_id: int) -> Row[Any] | None:
        with self.read() as conn:
            row = conn.execute(select(t.parked).where(t.parked.c.id == parked_id)).first()
        return None if row is None else open_parked(self.box, row)

    def resolve_parked(self, parked_id: int, resolution: str, actor: str) -> None:
        with self.write() as conn:
            row = conn.execute(
                update(t.parked)
                .where(t.parked.c.id == parked_id)
                # The key is freed so that a replay that parks again can park anew.
                .values(resolved_at=utcnow(), resolution=resolution, dedup_key=None)
                .returning(t.parked.c.shop_id)
            ).one()
            self._audit(
                conn,
                row.shop_id,
                actor,
                "resolve_parked",
                {"parked_id": parked_id, "resolution": resolution},
            )

    # ---- retention ---------------------------------------------------------------------------

    def purge(self, older_than: datetime) -> dict[str, int]:
        """Drop raw bodies, finished idempotency keys and resolved parked items past retention.
        Canonical events and till events are the shop's books: they are kept."""
        with self.write() as conn:
            counts = {
                "raw_webhooks": conn.execute(
                    delete(t.raw_webhooks).where(
                        (t.raw_webhooks.c.received_at < older_than)
                        & ~t.raw_webhooks.c.id.in_(
                            select(t.parked.c.raw_id).where(t.parked.c.resolved_at.is_(None))
                        )
                    )
                ).rowcount,
                "idempotency_keys": conn.execute(
                    delete(t.idempotency_keys).where(t.idempotency_keys.c.created_at < older_than)
                ).rowcount,
                "parked": conn.execute(
                    delete(t.parked).where(t.parked.c.resolved_at < older_than)
                ).rowcount,
                "pairing_codes": conn.execute(
                    delete(t.pairing_codes).where(t.pairing_codes.c.expires_at < older_than)
                ).rowcount,
            }
            self._audit(conn, None, "system", "purge", counts)
        return counts


def _raw_values(raw: RawWebhook, verdict: str, detail: str | None = None) -> dict[str, Any]:
    return {
        "shop_id": raw.shop_id,
        "provider": raw.provider,
        "kind": raw.kind,
        "received_at": raw.received_at,
        "source_ip": raw.source_ip,
        "headers": raw.headers,
        "body": raw.body,
        "verdict": verdict,
        "detail": detail,
    }


def event_from_row(row: Row[Any]) -> CanonicalPaymentEvent:
    return CanonicalPaymentEvent(
        seq=row.seq,
        event_id=row.event_id,
        shop_id=row.shop_id,
        provider=Provider(row.provider),
        channel=PaymentChannel(row.channel),
        payment_id=row.payment_id,
        reference=row.reference,
        status=EventStatus(row.status),
        amount_minor=row.amount_minor,
        currency=row.currency,
        receipt=row.receipt,
        payer=row.payer,
        result_code=row.result_code,
        message=row.message,
        occurred_at=row.occurred_at,
        received_at=row.received_at,
        test_mode=row.test_mode,
        claimed_by_till=row.claimed_by_till,
    )


def normal_reference(reference: str) -> str:
    """Customers type account references in any case and with stray spaces."""
    return reference.strip().upper()[:120]


def request_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
