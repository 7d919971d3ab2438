"""The relay's copy of this till's events, for rebuilding a lost ledger's tail: pages through
GET /terminal/own-events; pos_app.services.recovery decides what each event becomes."""

from __future__ import annotations

from pos_app.config import TillSettings
from pos_app.services.recovery import RelayEvent
from pos_app.services.sync_ledger import Ledger
from sync.engine import credentials
from sync.engine.link import RelayLink
from sync.protocol import MAX_PULL_LIMIT


class RelayEventSource:
    def __init__(self, link: RelayLink, terminal_id: str) -> None:
        self._link = link
        self.terminal_id = terminal_id

    def events_after(self, after: int) -> list[RelayEvent]:
        client = self._link.client()
        events: list[RelayEvent] = []
        while True:
            page = client.own_events(after, MAX_PULL_LIMIT)
            if not page.events:
                return events
            events += [
                RelayEvent(e.till_seq, str(e.event_id), e.type, e.occurred_at, e.payload)
                for e in page.events
            ]
            after = page.events[-1].till_seq

    def close(self) -> None:
        self._link.close()


def relay_source(settings: TillSettings, ledger: Ledger) -> RelayEventSource | None:
    """None when this till (the one whose ledger this is) was never paired with a relay."""
    creds = credentials.load(settings, ledger)
    if creds is None:
        return None
    return RelayEventSource(RelayLink(creds), creds.terminal_id)
