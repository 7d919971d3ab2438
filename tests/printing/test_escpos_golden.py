"""The exact ESC/POS bytes of a receipt at 58 and 80 mm, against golden files.

After a deliberate change to the layout or the commands, regenerate them with
    DUKA_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/printing/test_escpos_golden.py
and look at the diff of the layout tests before committing the new .bin files.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from receipt_samples import WEIGHED_LINES, sample_receipt

from pos_app.printing.escpos_printer import drawer_kick_bytes, receipt_bytes
from pos_app.printing.layout import lay_out
from pos_app.ui.receipts.render import receipt_labels

GOLDEN = Path(__file__).parent / "golden"
INIT = b"\x1b@"
CUT = b"\x1dV\x00"  # GS V 0: full cut
KICK_PIN2 = b"\x1bp\x00"  # ESC p 0: pulse on connector pin 2
QR_PRINT = b"\x1d(k\x03\x001Q0"  # GS ( k: print the stored QR symbol
PAYLOAD = "https://checkout.paystack.com/7hq2xk4p"

CARD = sample_receipt(method="paystack_link", test_mode=True, qr_payload=PAYLOAD)
CASES = {
    "cash-58mm-32col": (32, sample_receipt()),
    "cash-80mm-42col": (42, sample_receipt()),
    "cash-80mm-48col": (48, sample_receipt()),
    "paystack-test-58mm-32col": (32, CARD),
    "paystack-test-80mm-42col": (42, CARD),
    "cash-weighed-58mm-32col": (32, sample_receipt(lines=WEIGHED_LINES)),
}


def job(name: str) -> bytes:
    columns, receipt = CASES[name]
    # a fixed small print: the golden bytes must not change with each release's version
    labels = replace(receipt_labels(), small_print="Duka POS 1.2.3")
    return receipt_bytes(lay_out(receipt, labels, columns))


@pytest.mark.parametrize("name", sorted(CASES))
def test_bytes_match_the_golden_file(name: str) -> None:
    golden = GOLDEN / f"{name}.bin"
    data = job(name)
    if os.environ.get("DUKA_REGEN_GOLDEN") == "1":
        golden.write_bytes(data)
    assert data == golden.read_bytes(), f"{name} changed: see this module's docstring"


@pytest.mark.parametrize("name", ["cash-58mm-32col", "cash-80mm-42col"])
def test_cash_receipt_is_cut_then_opens_the_drawer(name: str) -> None:
    data = job(name)
    assert data.startswith(INIT)
    assert data.endswith(CUT + KICK_PIN2 + b"22")  # ESC p m t1 t2: 100 ms on, 100 ms off
    assert b"Tarehe 12/12" in data and b"210.00" in data
    assert QR_PRINT not in data


@pytest.mark.parametrize("name", ["paystack-test-58mm-32col", "paystack-test-80mm-42col"])
def test_card_receipt_has_its_qr_and_test_mark_and_no_drawer_kick(name: str) -> None:
    data = job(name)
    assert KICK_PIN2 not in data and data.endswith(CUT)
    assert PAYLOAD.encode() in data and QR_PRINT in data
    assert b"\x1b!\x10\x1bE\x01" in data  # double height + bold for the TEST MODE banner
    assert b"*** TEST MODE ***" in data


def test_a_reprint_never_opens_the_drawer() -> None:
    from dataclasses import replace

    layout = lay_out(replace(sample_receipt(), reprint=True), receipt_labels(), 32)
    assert KICK_PIN2 not in receipt_bytes(layout)


def test_no_sale_kick_alone_and_pin_5() -> None:
    assert drawer_kick_bytes(2) == KICK_PIN2 + b"22"
    assert drawer_kick_bytes(5) == b"\x1bp\x0122"


def test_a_weighed_line_prints_its_weight_unit_and_price_per_kilo() -> None:
    data = job("cash-weighed-58mm-32col")
    assert b"  0.75 kg x 170.00" in data and b"127.50 B" in data
    assert b"  2 x 210.00" in data and b"547.50" in data  # 127.50 + 2 x 210.00
