"""Is the ledger file sound? SQLite's own checks, run on a connection of their own, plus a
check that the money tables still hold values the till can have written.

`quick_check` runs at every start and is bounded in time: a progress handler stops the money
checks once the budget is spent, and a file larger than what SQLite checks within it is left
to the full check (PRAGMA quick_check is one VM step that no progress handler interrupts: 3.5 s
on a 1M-sale, 1.9 GB ledger with a 0.5 s budget). An unfinished check is not damage, so
start-up never hangs on a large file; `integrity_check` is the full check, run at shift close
and on demand. A file SQLite
cannot even open (a zeroed header) counts as damaged, never as "new".

SQLite keeps no checksum of row contents: bytes flipped inside a record that still parses
pass both PRAGMAs (a payment method reading "9ash"). `money_rows_check` catches what lands on
a status, method, provider, currency or amount (each must be one the till writes) and
foreign_key_check what lands on an id; a flip inside a valid digit of an amount is only
caught by the audit chain of that change (store.audit), not here.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pos_app.core.errors import DamageKind, LedgerDamaged
from pos_app.core.orders import OrderStatus
from pos_app.core.payments import PaymentMethod, PaymentProvider, PaymentStatus

# The start-up check's share of the 2 s start target (bench/ui.py on a 1M-sale ledger); a
# ledger too big to check in it is checked in full at shift close and on demand
# (services.guard). SQLite's quick_check read about 550 MB/s here from a cached file.
QUICK_BUDGET_S: Final = 0.5
QUICK_MAX_BYTES: Final = 256 * 1024 * 1024
_PROGRESS_OPS: Final = 10_000

@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: tuple[str, ...]
    finished: bool

    @property
    def sound(self) -> bool:
        return not self.findings


def _listed(
    values: type[OrderStatus] | type[PaymentMethod] | type[PaymentProvider] | type[PaymentStatus],
) -> str:
    return ", ".join(f"'{v.value}'" for v in values)


# each query counts rows no till code can have written
_MONEY_ROWS: Final = {
    "payments": (
        f"method NOT IN ({_listed(PaymentMethod)}) OR provider NOT IN ({_listed(PaymentProvider)})"
        f" OR status NOT IN ({_listed(PaymentStatus)}) OR typeof(amount_minor) != 'integer'"
        " OR amount_minor < 0 OR length(currency) != 3 OR currency != upper(currency)"
    ),
    "orders": (
        f"status NOT IN ({_listed(OrderStatus)}) OR typeof(total_minor) != 'integer'"
        " OR total_minor < 0 OR length(currency) != 3 OR currency != upper(currency)"
    ),
}


def _money_rows(conn: sqlite3.Connection) -> list[str]:
    findings = []
    for table, bad in _MONEY_ROWS.items():
        (count,) = conn.execute(f"SELECT count(*) FROM {table} WHERE {bad}").fetchone()
        if count:
            findings.append(f"{table}: {count} row(s) hold values the till never writes")
    findings += [
        f"{r[0]}: broken reference to {r[2]}" for r in conn.execute("PRAGMA foreign_key_check")
    ]
    return findings


def _run(path: Path, pragma: str, budget_s: float | None) -> CheckResult:
    deadline = None if budget_s is None else time.monotonic() + budget_s
    try:
        # read-write: a read-only connection cannot recover the WAL of a till that crashed
        conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        return CheckResult((f"cannot open: {exc}",), True)
    stopped = False

    def over_budget() -> int:
        nonlocal stopped
        stopped = deadline is not None and time.monotonic() > deadline
        return 1 if stopped else 0

    try:
        conn.set_progress_handler(over_budget, _PROGRESS_OPS)
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}")]
        if rows == ["ok"] and _has_money_tables(conn):
            rows = _money_rows(conn) or rows
    except sqlite3.OperationalError as exc:
        if stopped:
            return CheckResult((), False)
        return CheckResult((str(exc),), True)
    except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
        return CheckResult((str(exc),), True)
    finally:
        conn.close()
    findings = tuple(r for r in rows if r != "ok")
    return CheckResult(findings, True)


def _has_money_tables(conn: sqlite3.Connection) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return set(_MONEY_ROWS) <= names


def quick_check(
    path: Path, budget_s: float | None = QUICK_BUDGET_S, *, whole: bool = False
) -> CheckResult:
    """Bounded by default (start-up); `whole` is the quick check of any file, however long
    it takes (the background check after start-up, on a worker; budget_s=None)."""
    try:
        too_big = not whole and path.stat().st_size > QUICK_MAX_BYTES
    except OSError as exc:
        return CheckResult((f"cannot open: {exc}",), True)
    if too_big:
        return CheckResult((), False)  # unfinished, not damaged: the full check has it
    return _run(path, "quick_check", budget_s)


def integrity_check(path: Path) -> CheckResult:
    return _run(path, "integrity_check", None)


def require_sound(result: CheckResult) -> None:
    if not result.sound:
        raise LedgerDamaged(DamageKind.FILE, result.findings)
