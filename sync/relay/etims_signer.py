"""The eTIMS signing queue: a background job that has each shop's queued invoices signed by
KRA, one request in flight per device and in invcNo order (docs/etims.md, "Signing queue").

Off the request path: a till's push only stores the document (sync.relay.store.etims). Here
the head of each device's queue is numbered (number and final body stored before the send),
sent through EtimsClient.sign, and settled by the outcome:
- Signed, or a Duplicate whose signature the lookup found: kept and streamed to the tills;
- Refused: the number goes back to the device, the refusal is streamed for a supervisor;
  a refusal of the number itself (taken by another receipt, or not KRA's next) numbers the
  document again instead;
- Unavailable: tried later with the same number and body; in doubt, KRA is asked first.

Items come first (saveItem): the items the tills changed are registered at the start of each
round, and an invoice is numbered only once KRA holds every item it names (one no till
registered, a product older than eTIMS, is registered from the invoice's own line).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from sync.providers.base import ProviderError
from sync.providers.etims import (
    INVOICE_NUMBER_TAKEN,
    Duplicate,
    EtimsClient,
    ItemRequest,
    Refused,
    SaleItem,
    Signed,
    Unavailable,
    item_of_sale_line,
)
from sync.relay.background import KickedJob
from sync.relay.context import RelayContext
from sync.relay.store.etims import (
    EtimsBooks,
    EtimsDocument,
    OriginalRefused,
    WaitingForOriginal,
)
from sync.relay.store.store import utcnow

log = logging.getLogger(__name__)

MAX_RETRY_S = 3600.0
ITEM_REFUSED = "item_refused"  # the refusal code of an invoice naming an item KRA refused
ITEM_REFUSED_BY_KRA = "etims_refused"  # EtimsClient's ProviderError code for a definite no


class EtimsSigner(KickedJob):
    round_name = "eTIMS signing round"

    def __init__(self, ctx: RelayContext) -> None:
        super().__init__(ctx)
        self.books = EtimsBooks(ctx.store)
        self._lock = asyncio.Lock()  # one round at a time: one request in flight per device

    async def run_once(self) -> int:
        """Work every due device's queue until it is empty or waits; returns how many
        documents were settled (signed or refused)."""
        async with self._lock:
            settled = 0
            shops = await self.ctx.store.run(self.books.shops_with_work, utcnow())
            for shop_id in shops:
                settled += await self._drain(shop_id)
            return settled

    async def _drain(self, shop_id: str) -> int:
        device = await self.ctx.store.run(self.books.device, shop_id)
        if device is None:
            return 0
        config = device.config(timeout_s=self.ctx.settings.etims_timeout_s)
        settled = 0
        async with EtimsClient(config) as client:
            for body in await self.ctx.store.run(self.books.items_due, shop_id, utcnow()):
                if await self._register(client, shop_id, body) is False:
                    break  # KRA is not answering: the invoices below will wait for it
            while True:
                doc = await self.ctx.store.run(self.books.head, shop_id)
                if doc is None or doc.next_try_at is None or doc.next_try_at > utcnow():
                    return settled
                done = await self._sign(client, doc)
                if not done:
                    return settled  # later documents wait behind this one (invcNo order)
                settled += 1
                self.ctx.wake(shop_id)

    async def _sign(self, client: EtimsClient, doc: EtimsDocument) -> bool:
        """True when `doc` is settled; False when it must be tried later."""
        store = self.ctx.store
        if doc.invoice_number is None:  # a numbered one had its items registered before
            items = await self._items_ready(client, doc)
            if items is False:
                await self._later(doc, in_doubt=False)
                return False
            if isinstance(items, str):
                await store.run(self.books.refused, doc, ITEM_REFUSED, items, None)
                return True
        try:
            doc = await store.run(self.books.number, doc)
        except WaitingForOriginal:
            await self._later(doc, in_doubt=False)
            return False
        except OriginalRefused:
            await store.run(
                self.books.refused, doc, "original_refused",
                "KRA refused the original sale: there is no invoice to credit", None,
            )  # fmt: skip
            return True
        try:
            outcome = await client.sign(doc.request(), in_doubt=doc.in_doubt)
        except ProviderError as exc:
            log.warning("eTIMS %s: %s", doc.invoice_number, exc.code)
            await self._later(doc, in_doubt=True)
            return False
        if isinstance(outcome, Signed):
            await store.run(self.books.signed, doc, outcome)
            return True
        if isinstance(outcome, Duplicate):
            if outcome.signed is None:
                await self._later(doc, in_doubt=True)  # the lookup will fetch it next time
                return False
            await store.run(self.books.signed, doc, outcome.signed)
            return True
        if isinstance(outcome, Refused):
            number = _number_to_use(doc, outcome)
            if number is not None and await store.run(self.books.renumber, doc, number):
                log.info("eTIMS %s: KRA's next number is %s", doc.invoice_number, number)
                self.kick()  # numbered again at once, in the next round
                return False
            log.info("eTIMS %s refused: %s", doc.invoice_number, outcome.code)
            await store.run(
                self.books.refused, doc, outcome.code, outcome.message,
                outcome.expected_invoice_number,
            )  # fmt: skip
            return True
        assert isinstance(outcome, Unavailable)
        await self._later(doc, in_doubt=outcome.in_doubt)
        return False

    async def _items_ready(self, client: EtimsClient, doc: EtimsDocument) -> bool | str:
        """True when KRA holds every item `doc` names (registering those it lacks); False:
        try later; a text: KRA refused one of them (its code and message)."""
        lines = [SaleItem.model_validate(line) for line in doc.body.get("itemList", ())]
        missing = await self.ctx.store.run(
            self.books.unregistered, doc.shop_id, {line.item_cd for line in lines}
        )
        for line in lines:
            if line.item_cd not in missing:
                continue
            missing.discard(line.item_cd)
            body = await self.ctx.store.run(self.books.item_body, doc.shop_id, line.item_cd)
            if body is None:
                body = item_of_sale_line(line, doc.body["regrId"], doc.body["regrNm"]).wire()
                await self.ctx.store.run(self.books.want_item, doc.shop_id, body)
            registered = await self._register(client, doc.shop_id, body)
            if registered is not True:
                return registered
        return True

    async def _register(
        self, client: EtimsClient, shop_id: str, body: dict[str, Any]
    ) -> bool | str:
        """saveItem (an upsert by itemCd, safe to resend). True: KRA holds the item; False:
        try later; a text: KRA refused it (its code and message)."""
        try:
            await client.save_item(ItemRequest.model_validate(body))
        except ProviderError as exc:
            if exc.code != ITEM_REFUSED_BY_KRA:
                log.warning("eTIMS item %s: %s", body["itemCd"], exc.code)
                at = utcnow() + timedelta(seconds=self.ctx.settings.etims_retry_s)
                await self.ctx.store.run(self.books.item_later, shop_id, body["itemCd"], at)
                return False
            refusal = f"{body['itemCd']}: {exc.detail or exc.cashier_message}"
            log.info("eTIMS item refused: %s", refusal)
            await self.ctx.store.run(self.books.item_refused, shop_id, body["itemCd"], refusal)
            return refusal
        await self.ctx.store.run(self.books.item_registered, shop_id, body)
        return True

    async def _later(self, doc: EtimsDocument, *, in_doubt: bool) -> None:
        delay = min(self.ctx.settings.etims_retry_s * 2 ** min(doc.attempts, 12), MAX_RETRY_S)
        at = utcnow() + timedelta(seconds=delay)
        await self.ctx.store.run(self.books.retry_later, doc, at, in_doubt=in_doubt)


def _number_to_use(doc: EtimsDocument, refused: Refused) -> int | None:
    """The number `doc` should be sent under instead, when the refusal was about the number
    and not the invoice: KRA holds this number for another receipt (the relay's counter fell
    behind, e.g. a restored relay), or expects a lower one next. None: a real refusal."""
    assert doc.invoice_number is not None
    if refused.code == INVOICE_NUMBER_TAKEN:
        return doc.invoice_number + 1
    expected = refused.expected_invoice_number
    if expected is not None and expected != doc.invoice_number:
        return expected
    return None
