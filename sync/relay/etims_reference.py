"""The eTIMS reference job: once a day (and at the relay's first round), each shop with an
initialised device fetches KRA's code lists and item classes, incrementally from the lastReqDt
it holds, and upserts what changed (sync.relay.store.etims_reference).

A separate job from the signer, with its own client, so a slow or failing KRA list never holds
up an invoice. A failure keeps the cache and lastReqDt, is logged by its error code only (no
keys, no KRA body), and is tried again after `etims_retry_s`.
"""

from __future__ import annotations

import logging

from sync.providers.base import ProviderError
from sync.providers.etims import EtimsClient
from sync.relay.background import KickedJob
from sync.relay.context import RelayContext
from sync.relay.store.etims_reference import EtimsReference, ReferenceList
from sync.relay.store.store import utcnow

log = logging.getLogger(__name__)


class EtimsReferenceFetcher(KickedJob):
    round_name = "eTIMS reference data round"

    def __init__(self, ctx: RelayContext) -> None:
        super().__init__(ctx)
        self.books = EtimsReference(ctx.store)

    async def run_once(self) -> int:
        """Fetch every due list of every shop; returns how many were fetched."""
        settings = self.ctx.settings
        due = await self.ctx.store.run(
            self.books.due, utcnow(), settings.etims_reference_every_s, settings.etims_retry_s
        )
        fetched = 0
        for shop_id, lists in due.items():
            fetched += await self._fetch(shop_id, lists)
        return fetched

    async def _fetch(self, shop_id: str, lists: list[ReferenceList]) -> int:
        device = await self.ctx.store.run(self.ctx.etims.device, shop_id)
        if device is None:
            return 0
        config = device.config(timeout_s=self.ctx.settings.etims_timeout_s)
        store, books = self.ctx.store, self.books
        fetched = 0
        async with EtimsClient(config) as client:
            for which in lists:
                since = await store.run(books.since, shop_id, which)
                try:
                    if which is ReferenceList.CODES:
                        codes = await client.code_list(since)
                        count = await store.run(books.save_codes, shop_id, codes)
                    else:
                        classes = await client.item_classes(since)
                        count = await store.run(books.save_item_classes, shop_id, classes)
                except ProviderError as exc:
                    log.warning("eTIMS %s for shop %s: %s", which.value, shop_id, exc.code)
                    await store.run(books.failed, shop_id, which, exc.code)
                    continue
                except Exception as exc:  # noted too, so a bug waits `etims_retry_s` as well
                    log.exception("eTIMS %s for shop %s failed", which.value, shop_id)
                    await store.run(books.failed, shop_id, which, type(exc).__name__)
                    continue
                log.info("eTIMS %s for shop %s: %d rows changed", which.value, shop_id, count)
                fetched += 1
        return fetched
