"""Reconciling C2B payments with Daraja's Pull Transactions, for shops that turned it on
(`duka-relay mpesa-pull`): a C2B payment whose confirmation callback never reached the relay
is otherwise lost.

Each round queries a window that starts `mpesa_pull_overlap_s` before the last one ended, so a
payment Daraja lists late is still seen; every listed payment the shop does not know yet (by
M-Pesa receipt, shop-wide) is recorded as a claim and confirmed in the same transaction, by the
path a Transaction Status answer takes (sync.relay.c2b_confirmed): the reply comes over the
authenticated API, so it is M-Pesa's word. The late callback then finds the receipt known and
is a duplicate; a callback that came first is confirmed here, not recorded twice. The row is
kept sealed as a raw provider message (its MSISDN and sender name are personal data)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, update

from sync.protocol import Provider
from sync.providers.base import ProviderError
from sync.providers.daraja_pull import PULL_KEPT_FOR, PulledTransaction, pull_window
from sync.providers.phones import mask_payer
from sync.relay.background import KickedJob
from sync.relay.c2b_confirmed import c2b_dedup_key, confirmed_c2b
from sync.relay.observability import PAYMENT_CHECKS
from sync.relay.store import schema as t
from sync.relay.store.store import Decision, Ignored, ParkDraft, RawWebhook, Store, utcnow

log = logging.getLogger(__name__)
RAW_KIND = "pull_transaction"


class C2BPuller(KickedJob):
    """Background job: one Pull Transactions window per shop that has Pull on, when due."""

    round_name = "M-Pesa pull round"

    async def run_once(self) -> int:
        store = self.ctx.store
        now = utcnow()
        every = timedelta(seconds=self.ctx.settings.mpesa_pull_every_s)
        recorded = 0
        for shop in await store.run(store.mpesa_pull_shops):
            if now - shop.mpesa_pull_until < every:
                continue
            try:
                recorded += await self.reconcile(shop, now)
            except ProviderError as exc:
                PAYMENT_CHECKS.labels("mpesa_pull", "error").inc()
                log.info("pull transactions of shop %s failed: %s", shop.id, exc.code)
        return recorded

    async def reconcile(self, shop: Row[Any], end: datetime) -> int:
        """Query the shop's window up to `end`; -> how many payments it added. The window
        moves on only once every row is stored: a failure asks the same window again."""
        ctx, store = self.ctx, self.ctx.store
        test_mode = bool(shop.mpesa_test_mode)
        client = await store.run(ctx.credentials.daraja, shop.id, test_mode)
        if client is None:
            return 0
        overlap = timedelta(seconds=ctx.settings.mpesa_pull_overlap_s)
        start = max(shop.mpesa_pull_until - overlap, end - PULL_KEPT_FOR)
        rows = await pull_window(client, start, end)
        PAYMENT_CHECKS.labels("mpesa_pull", "asked").inc()
        receipts = [row.transaction_id for row in rows]
        settled = await store.run(store.settled_c2b_receipts, shop.id, receipts)
        recorded = 0
        for row in rows:
            if row.transaction_id in settled or row.amount_minor <= 0:
                continue  # known already, or not money in (a reversal lists a negative amount)
            raw = RawWebhook(
                Provider.MPESA.value,
                RAW_KIND,
                shop.id,
                None,
                {},
                row.model_dump_json(by_alias=True).encode(),
            )
            decide = pulled_decision(store, shop.id, test_mode, client.config.shortcode, row)
            result = await store.ingest_async(raw, decide)
            if result.seq is not None:
                recorded += 1
                ctx.wake(shop.id)
        await store.run(store.mpesa_pulled_until, shop.id, end)
        return recorded


def pulled_decision(
    store: Store, shop_id: str, test_mode: bool, short_code: str, row: PulledTransaction
) -> Any:
    """What a Pull row does, decided in the transaction that stores it."""

    def decide(conn: Connection) -> Decision:
        claim = store.c2b_claim_by_receipt(conn, shop_id, row.transaction_id)
        if claim is None:
            store.claim_c2b(
                conn,
                shop_id=shop_id,
                trans_id=row.transaction_id,
                test_mode=test_mode,
                amount_minor=row.amount_minor,
                currency=row.currency,
                short_code=short_code[:16],
                bill_ref=(row.bill_reference or None) and row.bill_reference[:120],
                payer=mask_payer(row.msisdn),
                transaction_type=(row.transaction_type or None) and row.transaction_type[:32],
                trans_time=row.occurred_at,
            )
            claim = store.c2b_claim_by_receipt(conn, shop_id, row.transaction_id)
            assert claim is not None, "the claim was inserted in this transaction"
        elif claim.state != "claimed":
            return Ignored("duplicate")
        elif claim.amount_minor != row.amount_minor:
            # The unsigned callback said another amount than M-Pesa's own list: not money
            # until a supervisor looks (as a Transaction Status answer that disagrees).
            conn.execute(
                update(t.c2b_claims)
                .where(t.c2b_claims.c.id == claim.id)
                .values(state="refused", next_check_at=None)
            )
            summary = {
                "trans_id": claim.trans_id,
                "amount_minor": claim.amount_minor,
                "bill_ref": claim.bill_ref,
                "confirmed_amount_minor": row.amount_minor,
                "source": "pull_transactions",
            }
            return ParkDraft("amount_mismatch", c2b_dedup_key(claim.trans_id), summary)
        return confirmed_c2b(store, conn, claim)

    return decide
