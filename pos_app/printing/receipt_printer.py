"""The till's ESC/POS receipt printer: receipts and drawer kicks, all through one queue."""

from __future__ import annotations

from collections.abc import Callable

from escpos.escpos import Escpos

from pos_app.config import TillSettings
from pos_app.printing.escpos_printer import drawer_kick_bytes, open_printer, receipt_bytes
from pos_app.printing.layout import ReceiptLayout
from pos_app.printing.queue import PrintQueue, QueueStatus
from pos_app.services.bus import EventBus
from pos_app.services.drawer import record_no_sale
from pos_app.store.db import Ledger


class ReceiptPrinter:
    def __init__(
        self,
        settings: TillSettings,
        *,
        on_status: Callable[[QueueStatus], None] | None = None,
        connect: Callable[[], Escpos] | None = None,
    ) -> None:
        self.columns = settings.printer_columns
        self._drawer_pin = settings.drawer_pin
        self.queue = PrintQueue(connect or (lambda: open_printer(settings)), on_status=on_status)

    @property
    def status(self) -> QueueStatus:
        return self.queue.status

    def print_receipt(self, layout: ReceiptLayout) -> None:
        """Queues the receipt (its drawer kick included for a cash sale); never blocks."""
        self.queue.submit(receipt_bytes(layout, drawer_pin=self._drawer_pin))

    def no_sale(self, ledger: Ledger, bus: EventBus, user_id: str) -> None:
        """Opens the drawer without a sale: the audit entry is committed before the kick."""
        record_no_sale(ledger, bus, user_id)
        self.queue.submit(drawer_kick_bytes(self._drawer_pin))

    def close(self) -> None:
        self.queue.close()
