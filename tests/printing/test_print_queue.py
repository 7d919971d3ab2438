"""Printer trouble never blocks a sale: jobs wait, retry with backoff and print once, in order.

The printer is a real TCP listener on 127.0.0.1 speaking the raw port-9100 protocol (it just
takes the bytes), reached through python-escpos's Network printer from the till's settings.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from escpos.printer import Usb
from fake_printer import FakePrinter, free_port, wait_for
from pydantic import ValidationError
from receipt_samples import kes, sample_receipt

from pos_app.config import TillSettings
from pos_app.printing.escpos_printer import PrinterNotConfigured, drawer_kick_bytes, open_printer
from pos_app.printing.layout import lay_out
from pos_app.printing.queue import PrinterState, PrintQueue, QueueStatus
from pos_app.printing.receipt_printer import ReceiptPrinter
from pos_app.services import build_services
from pos_app.store.db import open_ledger
from pos_app.ui.receipts.render import receipt_labels


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def statuses() -> list[QueueStatus]:
    return []


@pytest.fixture
def queue(port: int, statuses: list[QueueStatus], tmp_path: Path) -> Iterator[PrintQueue]:
    settings = TillSettings(data_dir=tmp_path, printer="network",
                            printer_address=f"127.0.0.1:{port}")
    q = PrintQueue(lambda: open_printer(settings), on_status=statuses.append,
                   backoff=(0.05, 0.1, 60.0))
    yield q
    q.close()


def test_a_missing_printer_leaves_the_job_waiting_until_it_comes_back(
    queue: PrintQueue, port: int, statuses: list[QueueStatus]
) -> None:
    started = time.monotonic()
    queue.submit(b"receipt one")
    assert time.monotonic() - started < 0.5  # the sale never waits for the printer
    wait_for(lambda: queue.status.state is PrinterState.WAITING)
    assert queue.status.pending == 1
    assert "127.0.0.1" in queue.status.error
    # backoff: the third pause is 60 s, so only a retry_now brings the job out quickly
    wait_for(lambda: sum(s.state is PrinterState.PRINTING for s in statuses) >= 3)
    printer = FakePrinter(port)
    try:
        queue.retry_now()
        wait_for(lambda: queue.status == QueueStatus(PrinterState.IDLE, 0))
        wait_for(lambda: len(printer.jobs) == 1)
        assert printer.jobs == [b"receipt one"]
    finally:
        printer.shutdown()
        printer.server_close()


def test_jobs_print_once_each_and_in_order(queue: PrintQueue, port: int) -> None:
    printer = FakePrinter(port)
    try:
        for n in range(5):
            queue.submit(f"job {n}".encode())
        wait_for(lambda: len(printer.jobs) == 5)
        assert printer.jobs == [f"job {n}".encode() for n in range(5)]
        wait_for(lambda: queue.status == QueueStatus(PrinterState.IDLE, 0))
    finally:
        printer.shutdown()
        printer.server_close()


def test_an_unset_printer_waits_and_says_why(tmp_path: Path) -> None:
    statuses: list[QueueStatus] = []
    queue = PrintQueue(lambda: open_printer(TillSettings(data_dir=tmp_path)),
                       on_status=statuses.append, backoff=(60.0,))
    try:
        queue.submit(b"x")
        wait_for(lambda: queue.status.state is PrinterState.WAITING)
        assert queue.status.error == "No receipt printer is set (DUKA_PRINTER)."
    finally:
        queue.close()
    with pytest.raises(RuntimeError):
        queue.submit(b"after close")


def test_printer_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DUKA_PRINTER", "usb")
    monkeypatch.setenv("DUKA_PRINTER_ADDRESS", "04b8:0202")
    monkeypatch.setenv("DUKA_PRINTER_COLUMNS", "32")
    settings = TillSettings(data_dir=tmp_path)
    assert settings.printer_columns == 32
    printer = open_printer(settings)
    assert isinstance(printer, Usb)
    assert printer.usb_args == {"idVendor": 0x04B8, "idProduct": 0x0202}
    monkeypatch.setenv("DUKA_PRINTER_ADDRESS", "epson")
    with pytest.raises(PrinterNotConfigured):
        open_printer(TillSettings(data_dir=tmp_path))
    monkeypatch.setenv("DUKA_PRINTER_COLUMNS", "40")
    with pytest.raises(ValidationError):
        TillSettings(data_dir=tmp_path)


def test_no_sale_is_audited_then_kicks_the_drawer(port: int, tmp_path: Path) -> None:
    settings = TillSettings(data_dir=tmp_path, keyring="memory", printer="network",
                            printer_address=f"127.0.0.1:{port}", drawer_pin=5)
    ledger = open_ledger(settings)
    s = build_services(ledger)
    boss = s.users.create_user("Amina", "supervisor", "2468")
    s.shifts.open_shift(boss.id, kes(500_00))
    printer = FakePrinter(port)
    station = ReceiptPrinter(settings)
    try:
        station.no_sale(ledger, s.bus, boss.id)
        assert s.audit.recent(limit=1)[0].action == "drawer.no_sale"
        station.print_receipt(lay_out(sample_receipt(), receipt_labels(), station.columns))
        wait_for(lambda: len(printer.jobs) == 2)
        assert printer.jobs[0] == drawer_kick_bytes(5)
        assert printer.jobs[1].endswith(b"\x1dV\x00" + drawer_kick_bytes(5))
    finally:
        station.close()
        printer.shutdown()
        printer.server_close()
        ledger.close()
