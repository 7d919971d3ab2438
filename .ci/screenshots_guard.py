"""Screenshots of the damage screen (a damaged file; sales lost that the relay holds) and of a
restore's outcome, in English and Swahili, over
a real ledger whose file header was zeroed, its backup, and a stand-in for the relay's copy.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python .ci/screenshots_guard.py

Writes docs/screenshots/guard-<screen>-<en|sw>.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("DUKA_KEYRING", "memory")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from pos_app.config import TillSettings  # noqa: E402
from pos_app.core.errors import DamageKind, LedgerDamaged  # noqa: E402
from pos_app.core.money import Money  # noqa: E402
from pos_app.core.orders import OrderLine  # noqa: E402
from pos_app.services import build_services  # noqa: E402
from pos_app.services.backups import back_up  # noqa: E402
from pos_app.services.recovery import RelayEvent, local_last_seq, restore_and_catch_up  # noqa: E402
from pos_app.store.db import open_ledger  # noqa: E402
from pos_app.ui.application import Translations, create_application  # noqa: E402
from pos_app.ui.tasks import TaskRunner  # noqa: E402
from pos_app.ui.widgets.damage_screen import DamageScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


class RelayCopy:
    """The relay's copy of the lost tail: two cash sales it rebuilds, a proof it cannot."""

    terminal_id = "terminal-1"

    def __init__(self, events: list[RelayEvent]) -> None:
        self._events = events

    def events_after(self, after: int) -> list[RelayEvent]:
        return [e for e in self._events if e.till_seq > after]

    def close(self) -> None:
        pass


def wait_until(check: Callable[[], Any], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise TimeoutError("screen did not get ready")
        QCoreApplication.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        QCoreApplication.processEvents()
        time.sleep(0.01)


def grab(widget: QWidget, name: str, lang: str) -> None:
    widget.show()
    wait_until(lambda: True)
    path = OUT / f"guard-{name}-{lang}.png"
    widget.grab().save(str(path))
    print("wrote", path.relative_to(ROOT))


def damaged_till(workdir: Path) -> tuple[TillSettings, list[RelayEvent]]:
    settings = TillSettings(data_dir=workdir / f"till-{uuid.uuid4().hex[:6]}")
    ledger = open_ledger(settings)
    services = build_services(ledger)
    for name, price in (("Unga wa ngano 2kg", 210_00), ("Sukari 1kg", 180_00)):
        draft = services.orders.draft([OrderLine(name, Money(price, "KES"))])
        services.payments.record_cash_sale(draft, draft.total)
    back_up(ledger)
    last = local_last_seq(ledger)
    tail: list[RelayEvent] = []
    for name, price in (("Maziwa 500ml", 65_00), ("Mkate", 70_00)):  # sold after the backup
        draft = services.orders.draft([OrderLine(name, Money(price, "KES"))])
        services.payments.record_cash_sale(draft, Money(200_00, "KES"))
    with ledger.read() as conn:
        from pos_app.store.outbox import pending

        tail += [
            RelayEvent(e.seq, e.event_id, e.type, e.occurred_at, e.payload)
            for e in pending(conn, ledger.cipher, 100)
            if e.seq > last
        ]
    now = datetime.now(UTC)
    tail += [  # what the relay's copy cannot rebuild: a proof of a sale it never saw, cash out
        RelayEvent(
            last + 10,
            str(uuid.uuid4()),
            "proof.submitted",
            now,
            {"proof_id": str(uuid.uuid4()), "payment_id": str(uuid.uuid4()),
             "proof_type": "mpesa_receipt", "reference": "QAB1234567"},
        ),
        RelayEvent(
            last + 11,
            str(uuid.uuid4()),
            "cash.out",
            now,
            {"amount_minor": 1000_00, "currency": "KES", "reason": "Float to the bank"},
        ),
    ]
    ledger.close()
    data = bytearray(settings.database.read_bytes())
    data[:100] = bytes(100)
    settings.database.write_bytes(bytes(data))
    return settings, tail


def shoot(app: QApplication, lang: str, workdir: Path) -> None:
    translations = Translations(app)
    translations.use(lang)
    tasks = TaskRunner()
    settings, tail = damaged_till(workdir)
    try:
        open_ledger(settings)
        raise SystemExit("the damaged ledger opened")
    except LedgerDamaged as error:
        damage = error
    screen = DamageScreen(
        damage,
        lambda: restore_and_catch_up(settings, None, lambda _ledger: RelayCopy(tail)),
        tasks,
    )
    screen.resize(720, 460)
    grab(screen, "damage", lang)
    screen.restore_button.click()
    wait_until(lambda: screen.restore_button.isEnabled())  # incomplete: the screen stays
    grab(screen, "restored", lang)
    screen.close()
    lost = DamageScreen(  # found while selling: the relay holds sales this ledger lost
        LedgerDamaged(DamageKind.LOST_EVENTS, missing=33),
        lambda: restore_and_catch_up(settings, None, lambda _ledger: RelayCopy(tail)),
        tasks,
        in_session=True,
    )
    lost.resize(720, 260)
    grab(lost, "lost-events", lang)
    lost.close()
    tasks.shutdown(wait=True)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="duka-guard-") as tmp:
        for lang in ("en", "sw"):
            shoot(app, lang, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
