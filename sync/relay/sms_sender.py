"""Text receipts: a background job that sends each queued text once through Africa's Talking
and streams its fate (sent / failed / unknown) to the shop's tills (docs/sms.md).

Off the request path: a till's push only stores the text (sync.relay.store.sms_queue). Here
each due text is taken (committed as `sending`), sent with the shop's sealed credentials, and
settled. Only a text that never reached Africa's Talking is queued again; one that may have
gone out without an answer is `unknown` and never resent, as Daraja's STK push is never
resent (sync.providers.daraja).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sync.providers.africastalking import (
    SmsClient,
    SmsConfig,
    SmsFailed,
    SmsNotSent,
    SmsSent,
    SmsUnknown,
)
from sync.relay.background import KickedJob
from sync.relay.context import RelayContext
from sync.relay.store.sms import (
    CREDENTIAL_MODE,
    FAILED,
    PROVIDER,
    SENT,
    UNKNOWN,
    SmsBooks,
    SmsToSend,
)
from sync.relay.store.store import utcnow

log = logging.getLogger(__name__)

NO_ACCOUNT = "the shop has no SMS account on the relay (duka-relay sms-credentials)"
INTERRUPTED = "the relay stopped while sending: it may have been sent"
INTERRUPTED_AFTER_S = 600.0  # far longer than one send may take


class SmsSender(KickedJob):
    round_name = "SMS sending round"

    def __init__(self, ctx: RelayContext) -> None:
        super().__init__(ctx)
        self.books = SmsBooks(ctx.store)

    async def run_once(self) -> int:
        """Send every due text; returns how many were settled."""
        store = self.ctx.store
        settled = 0
        stale = utcnow() - timedelta(seconds=INTERRUPTED_AFTER_S)
        for shop_id, sms_id in await store.run(self.books.interrupted, stale):
            await store.run(self.books.settle, shop_id, sms_id, UNKNOWN, reason=INTERRUPTED)
            self.ctx.wake(shop_id)
            settled += 1
        for sms_id in await store.run(self.books.due, utcnow()):
            sms = await store.run(self.books.take, sms_id)
            if sms is not None and await self._send(sms):
                self.ctx.wake(sms.shop_id)
                settled += 1
        return settled

    def _config(self, shop_id: str) -> SmsConfig | None:
        found = self.ctx.store.credentials(shop_id, PROVIDER, CREDENTIAL_MODE)
        if found is None:
            return None
        secrets, base_url = found
        return SmsConfig(
            secrets["username"], secrets["api_key"], secrets.get("sender_id") or None,
            base_url=base_url, timeout_s=self.ctx.settings.sms_timeout_s,
        )  # fmt: skip

    async def _send(self, sms: SmsToSend) -> bool:
        """True when the text's fate is settled; False when it waits for another try."""
        store = self.ctx.store
        config = await store.run(self._config, sms.shop_id)
        if config is None:
            await store.run(self.books.settle, sms.shop_id, sms.id, FAILED, reason=NO_ACCOUNT)
            return True
        async with SmsClient(config) as client:
            outcome = await client.send(sms.to, sms.message)
        if isinstance(outcome, SmsSent):
            await store.run(
                self.books.settle, sms.shop_id, sms.id, SENT,
                message_id=outcome.message_id, cost=outcome.cost,
            )  # fmt: skip
            return True
        if isinstance(outcome, SmsFailed):
            log.info("SMS %d refused: %s", sms.id, outcome.code)
            await store.run(self.books.settle, sms.shop_id, sms.id, FAILED, reason=outcome.reason)
            return True
        if isinstance(outcome, SmsUnknown):
            log.warning("SMS %d: %s", sms.id, outcome.reason)
            await store.run(self.books.settle, sms.shop_id, sms.id, UNKNOWN, reason=outcome.reason)
            return True
        assert isinstance(outcome, SmsNotSent)
        if sms.attempts + 1 >= self.ctx.settings.sms_attempts:
            await store.run(self.books.settle, sms.shop_id, sms.id, FAILED, reason=outcome.reason)
            return True
        delay = self.ctx.settings.sms_retry_s * 2 ** min(sms.attempts, 10)
        await store.run(self.books.not_sent, sms, utcnow() + timedelta(seconds=delay))
        return False
