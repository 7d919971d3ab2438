"""A real sale saved as PDF is one page, one roll wide, with every word and amount whole."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from receipt_samples import kes, sample_receipt

from pos_app.config import TillSettings
from pos_app.core.orders import OrderLine
from pos_app.services import build_services
from pos_app.services.grants import Action
from pos_app.services.receipts import ReceiptData, build_receipt
from pos_app.store.db import open_ledger

POINTS_PER_MM = 72 / 25.4


@pytest.fixture
def sale(tmp_path: Path) -> Iterator[ReceiptData]:
    ledger = open_ledger(TillSettings(data_dir=tmp_path, keyring="memory"))
    s = build_services(ledger)
    boss = s.users.create_user("Amina", "supervisor", "2468")
    cashier = s.users.create_user(
        "Brian", "cashier", "1357", grant=s.users.grant(boss.id, "2468", Action.STAFF)
    )
    s.shifts.open_shift(cashier.id, kes(500_00))
    draft = s.orders.draft([
        OrderLine("Maziwa Brookside Tarehe ya mwisho 12/12 500ml", kes(21000), 2),
        OrderLine("Unga wa mahindi Jogoo 2kg", kes(21000)),
        *(OrderLine(f"Bidhaa namba {n} ya duka", kes(1000 + n), n % 3 + 1) for n in range(20)),
    ])
    paid = s.payments.record_cash_sale(draft, kes(2_000_00), cashier_id=cashier.id)
    yield build_receipt(ledger, s.orders, s.payments, paid.order_id)
    ledger.close()


@pytest.mark.parametrize(("width_mm", "columns"), [(58, 32), (80, 42)])
def test_one_page_at_roll_width_with_nothing_split(
    qapp: object, sale: ReceiptData, tmp_path: Path, width_mm: int, columns: int
) -> None:
    from pos_app.ui.receipts.render import receipt_layout, save_pdf

    pdf = PdfReader(save_pdf(sale, tmp_path / f"r{width_mm}.pdf", width_mm))
    assert len(pdf.pages) == 1  # 22 lines of goods still make one strip
    box = pdf.pages[0].mediabox
    assert float(box.left) == 0 and float(box.bottom) == 0
    assert float(box.width) == pytest.approx(width_mm * POINTS_PER_MM, abs=0.5)
    lines = receipt_layout(sale, width_mm).lines
    # the page is as tall as the text: about 4.2 mm a line on 58 mm paper, 5.3 mm on 80 mm
    height_mm = float(box.height) / POINTS_PER_MM
    per_line = height_mm / len(lines)
    assert 3.0 < per_line < 6.0, per_line
    # line for line what the layout says (blanks dropped: pypdf guesses spaces from glyph
    # gaps), so no word or amount was broken over two lines and no page number was added
    def squeezed(texts: list[str]) -> list[str]:
        return ["".join(t.split()) for t in texts if t.strip()]

    printed = squeezed(pdf.pages[0].extract_text().splitlines())
    assert printed == squeezed(lines)
    assert any(line.startswith("MaziwaBrooksideTarehe") for line in printed)
    assert "2x210.00420.00B" in printed  # no class given: the standard band
    assert all(len(line) <= columns for line in lines)


def test_a_swahili_till_prints_swahili_words(qapp: object) -> None:
    from PySide6.QtCore import QCoreApplication

    from pos_app.ui.application import Translations
    from pos_app.ui.receipts.render import receipt_layout

    app = QCoreApplication.instance()
    assert app is not None
    translations = Translations(app)
    translations.use("sw")
    try:
        lines = receipt_layout(sample_receipt(method="paystack_link", test_mode=True), 58).lines
    finally:
        translations.use("en")
    text = "\n".join(lines)
    assert "HALI YA MAJARIBIO" in text and "Hakuna pesa halisi" in text
    assert all(len(line) <= 32 for line in lines)
