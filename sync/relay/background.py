"""The relay's background jobs (the payment checker, the eTIMS signer): one round every
`job_interval_s`, or at once when a request kicks the job; a failed round is logged and the
next one runs as usual."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sync.relay.context import RelayContext

log = logging.getLogger(__name__)


class KickedJob:
    """Subclasses implement `run_once` and name their round for the log."""

    round_name = "background round"

    def __init__(self, ctx: RelayContext) -> None:
        self.ctx = ctx
        self._kick = asyncio.Event()

    def kick(self) -> None:
        self._kick.set()

    async def run_forever(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), self.ctx.settings.job_interval_s)
            self._kick.clear()
            try:
                await self.run_once()
            except Exception:
                log.exception("%s failed", self.round_name)

    async def run_once(self) -> int:
        raise NotImplementedError
