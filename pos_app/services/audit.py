"""Reading and checking the audit log (writing happens inside every ledger change)."""

from __future__ import annotations

from pos_app.core.errors import AuditChainBroken
from pos_app.store import audit
from pos_app.store.db import Ledger


class AuditService:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def verify_chain(self) -> int | None:
        """The seq of the first broken entry, or None when the whole chain holds."""
        with self._ledger.read() as conn:
            return audit.verify_chain(conn)

    def assert_intact(self) -> None:
        broken = self.verify_chain()
        if broken is not None:
            raise AuditChainBroken(broken)

    def recent(self, limit: int = 100, entity_id: str | None = None) -> list[audit.AuditEntry]:
        with self._ledger.read() as conn:
            return audit.entries(conn, limit=limit, entity_id=entity_id)
