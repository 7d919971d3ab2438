"""The column layout never splits a word or an amount, at every roll width."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from receipt_samples import LINES, sample_receipt

from pos_app.printing.layout import (
    COLUMNS,
    ELLIPSIS,
    PrintLine,
    QrCode,
    ReceiptLabels,
    fit,
    lay_out,
    readable_number,
    row,
    wrap,
)

LABELS = ReceiptLabels(
    receipt="Receipt", date="Date", cashier="Cashier", total="TOTAL", vat="incl. VAT %1",
    tendered="Tendered", change="Change", reference="Ref.", collected_by="Collected by",
    status="Status", test_mode="TEST MODE", no_real_money="No real money moved.",
    reprint="REPRINT", thanks="Thank you!", methods={"cash": "Cash"}, statuses={},
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


def test_the_receipt_number_reads_aloud_in_two_groups() -> None:
    assert readable_number("1a2b3c4d-0000-4000-8000-000000000000") == "1A2B-3C4D"
    assert any(line.endswith("1A2B-3C4D") for line in lay_out(sample_receipt(), LABELS, 42).lines)


def test_only_roll_widths_are_accepted() -> None:
    with pytest.raises(ValueError):
        lay_out(sample_receipt(), LABELS, 40)
