"""A laid-out receipt as ESC/POS commands (python-escpos), and the printer the settings name."""

from __future__ import annotations

from escpos.escpos import Escpos
from escpos.printer import LP, CupsPrinter, Dummy, Network, Serial, Usb

from pos_app.config import TillSettings
from pos_app.printing.layout import PrintLine, QrCode, ReceiptLayout

NETWORK_PORT = 9100  # the raw "JetDirect" port every network receipt printer listens on
SERIAL_BAUD = 9600
CONNECT_TIMEOUT_S = 5.0
# QR module size in dots: ~25 mm square for a payment link on either roll
QR_DOTS = {32: 5, 42: 6, 48: 6}


class PrinterNotConfigured(Exception):
    """The till has no ESC/POS printer set (DUKA_PRINTER=none) or its address is unreadable."""


def receipt_bytes(layout: ReceiptLayout, *, drawer_pin: int = 2) -> bytes:
    """The whole job as ESC/POS bytes: text, QR code, cut, then the drawer kick (on the
    connector's pin 2 or 5) when the sale had a cash tender.

    Built in memory first so a job reaches the printer in one write (a network printer
    never sees half a receipt) and can wait in the queue while the printer is away.
    """
    printer = Dummy()
    printer.hw("INIT")  # a known state whatever the previous job left set
    for block in layout.blocks:
        if isinstance(block, QrCode):
            printer.set(align="center")
            printer.qr(block.payload, size=QR_DOTS[layout.columns], native=True)
            printer.ln()
            printer.set(align="left")
        else:
            _line(printer, block)
    printer.cut()
    if layout.opens_drawer:
        printer.cashdraw(drawer_pin)
    return bytes(printer.output)


def drawer_kick_bytes(drawer_pin: int) -> bytes:
    printer = Dummy()
    printer.cashdraw(drawer_pin)
    return bytes(printer.output)


def send(printer: Escpos, job: bytes) -> None:
    """One connection per job: a printer switched off between sales is found again."""
    printer.open()
    try:
        printer._raw(job)  # python-escpos has no public raw write; every printer class has this
    finally:
        printer.close()


def _line(printer: Escpos, line: PrintLine) -> None:
    styled = line.bold or line.tall
    if styled:
        printer.set(bold=line.bold, double_height=line.tall)
    printer.textln(line.text)
    if styled:
        printer.set(bold=False, normal_textsize=True)


def open_printer(settings: TillSettings) -> Escpos:
    """The printer named by DUKA_PRINTER / DUKA_PRINTER_ADDRESS (not yet connected)."""
    kind, address = settings.printer, settings.printer_address.strip()
    if kind == "none" or not address:
        raise PrinterNotConfigured("No receipt printer is set (DUKA_PRINTER).")
    try:
        if kind == "usb":
            vendor, product = address.split(":")
            return Usb(idVendor=int(vendor, 16), idProduct=int(product, 16), timeout=0)
        if kind == "serial":
            device, _, baud = address.partition("@")
            return Serial(devfile=device, baudrate=int(baud or SERIAL_BAUD), timeout=1)
        if kind == "network":
            host, _, port = address.partition(":")
            return Network(host=host, port=int(port or NETWORK_PORT), timeout=CONNECT_TIMEOUT_S)
    except ValueError as error:
        raise PrinterNotConfigured(
            f"DUKA_PRINTER_ADDRESS {address!r} does not fit a {kind} printer."
        ) from error
    # CUPS raw queue: through pycups when installed, else the `lp` command
    if CupsPrinter.is_usable():
        return CupsPrinter(printer_name=address)
    return LP(printer_name=address)
