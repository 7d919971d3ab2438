"""The till guards its own books: is the ledger sound enough to sell into?

Three checks feed one status: SQLite's quick_check at start (pos_app.store.db.open_ledger
refuses a damaged file outright; a file too large for its time budget is checked whole in
the background once the window shows, `finish_start_check`), the full integrity_check at
shift close and on demand, and, when online, the relay's count of this till's events
against the local outbox (a till that lost acknowledged sales must not reuse their numbers).
Once damage is found the ledger refuses new sales and payments (Change.require_selling)
until it is restored.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.core.errors import DamageKind, LedgerDamaged
from pos_app.store import integrity
from pos_app.store.db import Ledger


@dataclass(frozen=True, slots=True)
class GuardStatus:
    damage: LedgerDamaged | None  # None while all is well; screens translate its kind

    @property
    def selling(self) -> bool:
        return self.damage is None

    @property
    def message(self) -> str | None:
        """The English for logs and the sync status (screens use ui.errors.error_message)."""
        return None if self.damage is None else self.damage.message


def stop_selling(ledger: Ledger, damage: LedgerDamaged) -> None:
    if ledger.damage is None:
        ledger.damage = damage


def status(ledger: Ledger) -> GuardStatus:
    return GuardStatus(ledger.damage)


def check_now(ledger: Ledger) -> GuardStatus:
    """The full integrity check (slow on a big file: call it from a worker)."""
    result = integrity.integrity_check(ledger.settings.database)
    if not result.sound:
        stop_selling(ledger, LedgerDamaged(DamageKind.FILE, result.findings))
    return status(ledger)


def lost_events(ledger: Ledger, missing: int) -> None:
    stop_selling(ledger, LedgerDamaged(DamageKind.LOST_EVENTS, missing=missing))


def finish_start_check(ledger: Ledger) -> GuardStatus:
    """The start-up quick_check of a ledger too large to check before the window showed,
    run whole (call it from a worker); damage stops selling."""
    if not ledger.start_check_finished:
        result = integrity.quick_check(ledger.settings.database, None, whole=True)
        if not result.sound:
            stop_selling(ledger, LedgerDamaged(DamageKind.FILE, result.findings))
        ledger.start_check_finished = True
    return status(ledger)
