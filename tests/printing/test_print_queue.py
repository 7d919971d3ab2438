"""Printer trouble never blocks a sale: jobs wait, retry with backoff and print once, in order.

The printer is a real TCP listener on 127.0.0.1 speaking the raw port-9100 protocol (it just
takes the bytes), reached through python-escpos's Network printer from the till's settings.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from escpos.printer import Usb
from pydantic import ValidationError

from pos_app.config import TillSettings
from pos_app.printing.escpos_printer import PrinterNotConfigured, open_printer
from pos_app.printing.queue import PrinterState, PrintQueue, QueueStatus


class _Received(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        chunks = []
        while data := self.request.recv(4096):
            chunks.append(data)
        self.server.jobs.append(b"".join(chunks))  # type: ignore[attr-defined]


class FakePrinter(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Received)
        self.jobs: list[bytes] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


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
    assert time.monotonic() - started < 0.05  # the sale never waits for the printer
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
