"""The till guards its own books: is the ledger sound enough to sell into?

Three checks feed one status: SQLite's quick_check at start (pos_app.store.db.open_ledger
refuses a damaged file outright), the full integrity_check at shift close and on demand, and,
when online, the relay's count of this till's events against the local outbox (a till that
lost acknowledged sales must not reuse their numbers). Once damage is found the ledger
refuses new sales and payments (Change.require_selling) until it is restored.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.core.errors import LedgerDamaged
from pos_app.store import integrity
from pos_app.store.db import Ledger

LOST_EVENTS_HELP = (
    "This till's ledger has lost {missing} sale record(s) the relay already holds (the file "
    "was cut short, e.g. by a power cut or a failing disk). Selling is stopped so no sale "
    "number is used twice. A supervisor can restore the till from its last backup and the "
    "relay's copy (Restore, or `main.py --restore`)."
)


@dataclass(frozen=True, slots=True)
class GuardStatus:
    selling: bool
    message: str | None  # in words a supervisor understands; None while all is well
    findings: tuple[str, ...] = ()


def stop_selling(ledger: Ledger, damage: LedgerDamaged) -> None:
    if ledger.damage is None:
        ledger.damage = damage


def status(ledger: Ledger) -> GuardStatus:
    if ledger.damage is None:
        return GuardStatus(True, None)
    return GuardStatus(False, ledger.damage.message, ledger.damage.findings)


def check_now(ledger: Ledger) -> GuardStatus:
    """The full integrity check (slow on a big file: call it from a worker)."""
    result = integrity.integrity_check(ledger.settings.database)
    if not result.sound:
        stop_selling(ledger, LedgerDamaged(integrity.DAMAGE_HELP, result.findings))
    return status(ledger)


def lost_events(ledger: Ledger, missing: int) -> None:
    stop_selling(ledger, LedgerDamaged(LOST_EVENTS_HELP.format(missing=missing)))
