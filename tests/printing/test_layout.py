"""The column layout never splits a word or an amount, at every roll width."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from receipt_samples import LINES, sample_receipt

from pos_app.core.money import Money
from pos_app.printing.layout import (
    COLUMNS,
    ELLIPSIS,
    EtimsLabels,
    PrintLine,
    QrCode,
    ReceiptLabels,
    fit,
    lay_out,
    readable_number,
    row,
    wrap,
)
from pos_app.services.etims_invoices import EtimsInvoice, EtimsSignature, EtimsState

LABELS = ReceiptLabels(
    receipt="Receipt", date="Date", cashier="Cashier", total="TOTAL", vat="incl. VAT %1",
    discount="Discount", tax_band="VAT band", taxable="Taxable", vat_amount="VAT",
    tendered="Tendered", change="Change", reference="Ref.", collected_by="Collected by",
    status="Status", test_mode="TEST MODE", no_real_money="No real money moved.",
    reprint="REPRINT", thanks="Thank you!", methods={"cash": "Cash"}, statuses={},
    etims=EtimsLabels(
        heading="SCU INFORMATION", signed_at="Signed", cu_id="SCU ID", cu_invoice="CU invoice no.",
        receipt_counter="Receipt no.", internal_data="Internal data:",
        receipt_signature="Receipt signature:", not_tax_invoice="NOT A TAX INVOICE",
        waiting="Waiting for the eTIMS signature.", refused="eTIMS refused this invoice (%1).",
    ),
)
words = st.text(st.characters(codec="ascii", categories=["L", "N", "P"]), min_size=1,
                max_size=60)
widths = st.sampled_from(COLUMNS)


@given(st.lists(words, max_size=20), widths)
def test_wrap_keeps_every_word_whole_and_in_order(text: list[str], width: int) -> None:
    lines = wrap(" ".join(text), width)
    assert all(len(line) <= width for line in lines)
    assert " ".join(lines).split() == [fit(word, width) for word in text]


@given(st.lists(words, max_size=8), st.from_regex(r"[0-9]{1,3}(,[0-9]{3}){0,4}\.[0-9]{2}",
                                                 fullmatch=True), widths)
def test_an_amount_stays_whole_at_the_right_edge(label: list[str], amount: str, width: int) -> None:
    lines = row("  " + " ".join(label), amount, width)
    assert all(len(line) <= width for line in lines)
    before = lines[-1][: -len(amount)]
    assert lines[-1].endswith(amount) and (before == "" or before.endswith(" "))
    assert len(lines[-1]) == width
    assert " ".join(lines).split()[:-1] == [fit(w, width - 2) for w in label]


@pytest.mark.parametrize("columns", COLUMNS)
def test_a_sale_lays_out_without_a_broken_word_or_number(columns: int) -> None:
    layout = lay_out(sample_receipt(), LABELS, columns)
    lines = layout.lines
    assert all(len(line) <= columns for line in lines)
    tokens = " ".join(lines).split()
    for item in LINES:
        for word in item.name.split():
            assert fit(word, columns) in tokens
        assert item.total.format(with_code=False) in tokens
    assert "Tarehe" in tokens
    assert "210.00" in tokens
    # a 51-letter name is cut, not split: its tail is nowhere on the receipt
    long_name = LINES[2].name
    assert fit(long_name, columns).endswith(ELLIPSIS)
    assert long_name[columns:] not in "\n".join(lines)
    assert any(line.endswith("KES " + f"{1_236_982.89:,.2f}") for line in lines)
    assert layout.opens_drawer and not layout.test_mode
    assert not lay_out(replace(sample_receipt(), reprint=True), LABELS, columns).opens_drawer
    assert not any(isinstance(block, QrCode) for block in layout.blocks)


def test_test_payments_are_marked_and_the_qr_payload_is_printed() -> None:
    data = sample_receipt(method="paystack_link", test_mode=True,
                          qr_payload="https://checkout.paystack.com/abc")
    layout = lay_out(data, LABELS, 32)
    assert "*** TEST MODE ***" in layout.lines[0]
    first = layout.blocks[0]
    assert isinstance(first, PrintLine) and first.tall and first.bold
    assert QrCode("https://checkout.paystack.com/abc") in layout.blocks
    assert layout.test_mode and not layout.opens_drawer


def test_the_till_receipt_number_is_printed_and_an_old_sale_falls_back_to_its_id() -> None:
    lines = lay_out(sample_receipt(), LABELS, 42).lines
    assert any(line.startswith("Receipt") and line.endswith("TILL1-000042") for line in lines)
    assert readable_number("1a2b3c4d-0000-4000-8000-000000000000") == "1A2B-3C4D"
    old = replace(sample_receipt(), receipt_number="")
    assert any(line.endswith("1A2B-3C4D") for line in lay_out(old, LABELS, 42).lines)


@pytest.mark.parametrize("columns", COLUMNS)
def test_the_vat_table_lists_every_band_with_rate_taxable_and_vat(columns: int) -> None:
    data = sample_receipt()
    lines = lay_out(data, LABELS, columns).lines
    start = next(i for i, line in enumerate(lines) if line.startswith("VAT band"))
    table = lines[start + 1 : start + 1 + len(data.taxes)]
    for band, line in zip(data.taxes, table, strict=True):
        tokens = line.split()
        assert tokens[0] == band.tax_class and tokens[1] == f"{band.rate_bps / 100:g}%"
        assert tokens[-2:] == [band.taxable.format(with_code=False),
                               band.vat.format(with_code=False)]
        assert len(line) == columns
    # C (zero-rated) unga and milk carry no VAT, B (16 %) the rest; each amount shows its band
    assert [b.tax_class for b in data.taxes] == ["A", "B", "C", "D", "E"]
    assert data.taxes[2].vat.is_zero and data.taxes[2].taxable.minor == 42000 + 19500
    assert any(line.endswith("420.00 C") for line in lines)
    assert any(line.split()[:3] == ["incl.", "VAT", "16%"] for line in lines)


def test_discounts_and_weighed_quantities_are_printed() -> None:
    from pos_app.core.quantities import Quantity, Unit

    weighed = replace(LINES[0], quantity=Quantity(1250, Unit.KG),
                      discount=Money(1000, "KES"), discount_reason="Damaged bag")
    data = replace(sample_receipt(), lines=(weighed,), cart_discount=Money(500, "KES"),
                   cart_discount_reason="Loyal customer")
    lines = lay_out(data, LABELS, 32).lines
    assert any("1.25 kg x 210.00" in line for line in lines)
    assert any(line.startswith("  Discount Damaged bag") and line.endswith("-10.00")
               for line in lines)
    assert any(line.startswith("Discount Loyal customer") and line.endswith("-5.00")
               for line in lines)


def test_only_roll_widths_are_accepted() -> None:
    with pytest.raises(ValueError):
        lay_out(sample_receipt(), LABELS, 40)


SIGNATURE = EtimsSignature(
    invoice_number=1042, control_unit_id="KRACU0100000123",
    cu_invoice_number="KRACU0100000123/1042", receipt_counter=1012, total_receipt_counter=1042,
    internal_data="B4QZ7KXM2TLRWV5NJYDC3HPAEG", receipt_signature="K7TQ2MXW5RZB3NVA",
    signed_at=datetime(2026, 1, 15, 11, 30, 6, tzinfo=UTC),
    qr_url="https://etims.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData"
    "?Data=P051234567X00K7TQ2MXW5RZB3NVA",
)  # fmt: skip


@pytest.mark.parametrize("columns", COLUMNS)
def test_a_signed_etims_receipt_prints_the_scu_block_and_kras_qr(columns: int) -> None:
    data = replace(
        sample_receipt(),
        etims=EtimsInvoice("TILL1-000872", EtimsState.SIGNED, SIGNATURE),
        qr_payload=SIGNATURE.qr_url,
    )
    layout = lay_out(data, LABELS, columns)
    text = "\n".join(layout.lines)
    assert all(len(line) <= columns for line in layout.lines)
    assert "SCU INFORMATION" in text and "KRACU0100000123/1042" in text
    assert "B4QZ-7KXM-2TLR-WV5N-JYDC-3HPA-EG" in text and "K7TQ-2MXW-5RZB-3NVA" in text
    assert "1012/1042" in text and "15/01/2026 14:30:06" in text  # Nairobi time
    assert "NOT A TAX INVOICE" not in text
    assert QrCode(SIGNATURE.qr_url) in layout.blocks


@pytest.mark.parametrize("columns", COLUMNS)
def test_a_waiting_etims_receipt_is_no_tax_invoice_and_has_no_qr(columns: int) -> None:
    data = replace(sample_receipt(), etims=EtimsInvoice("TILL1-000872", EtimsState.WAITING, None))
    layout = lay_out(data, LABELS, columns)
    text = " ".join(" ".join(layout.lines).split())  # words, whatever the wrapping
    assert "NOT A TAX INVOICE" in text and "Waiting for the eTIMS signature." in text
    assert "SCU INFORMATION" not in text
    assert not any(isinstance(b, QrCode) for b in layout.blocks)
    refused = EtimsInvoice("TILL1-000872", EtimsState.REFUSED, None, "910", "no")
    lines = lay_out(replace(data, etims=refused), LABELS, columns).lines
    assert "eTIMS refused this invoice (910)." in " ".join(" ".join(lines).split())
