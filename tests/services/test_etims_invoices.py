"""An eTIMS shop's completed sale asks the relay for KRA's signature in its own transaction:
one outbox event whose body the relay can sign once numbered, and a waiting invoice; the
relay's answer is kept with the order. A shop without eTIMS writes none of it."""

from __future__ import annotations

import pytest
from ledger_helpers import SUPERVISOR_PIN, Till, kes
from sqlalchemy import select

from pos_app.core.errors import InvalidInput
from pos_app.core.orders import OrderLine
from pos_app.core.quantities import Quantity, Unit
from pos_app.services import etims_invoices
from pos_app.services.etims_invoices import EtimsOutcome, EtimsSignature, EtimsState
from pos_app.services.grants import Action
from pos_app.services.refunds import RefundService
from pos_app.services.unit import Change
from pos_app.store import audit, outbox
from pos_app.store.schema import etims_invoices as invoices_table
from sync.protocol import ETIMS_SIGN_REQUESTED
from sync.providers.etims import SaleRequest


def etims_on(till: Till) -> None:
    till.services.shop.update(till.grant(Action.SETTINGS), etims_enabled=True)


def sell(till: Till) -> str:
    draft = till.services.orders.draft(
        [
            OrderLine("Sukari 1kg", kes(18500), 1, tax_class="B"),
            OrderLine("Unga 2kg", kes(21000), 2, tax_class="C"),
            OrderLine("Nyanya", kes(12000), Quantity(1255, Unit.KG), tax_class="A"),
        ]
    )
    sale = till.services.payments.record_cash_sale(draft, kes(100000), cashier_id=till.cashier.id)
    return sale.order_id


def sign_requests(till: Till) -> list[outbox.OutboxEvent]:
    with till.ledger.read() as conn:
        return [
            e for e in outbox.pending(conn, till.ledger.cipher) if e.type == ETIMS_SIGN_REQUESTED
        ]


def test_a_completed_sale_asks_for_its_signature_once(till: Till) -> None:
    etims_on(till)
    order_id = sell(till)
    (event,) = sign_requests(till)
    payload = event.payload
    assert payload["receipt_number"] == "TILL1-000001" and payload["kind"] == "sale"
    body = payload["body"]
    assert "invcNo" not in body and body["trdInvcNo"] == "TILL1-000001"
    signed = SaleRequest.model_validate({**body, "invcNo": 7, "orgInvcNo": 0})
    assert signed.tot_amt * 100 == till.services.orders.get_order(order_id).total.minor
    assert [i.tax_ty_cd for i in signed.item_list] == ["B", "C", "A"]
    assert signed.pmt_ty_cd == "01"  # cash
    with till.ledger.read() as conn:
        assert etims_invoices.waiting_count(conn) == 1
        invoice = etims_invoices.invoice_of(conn, order_id)
        entries = [e.action for e in audit.entries(conn)]
    assert invoice is not None and invoice.state is EtimsState.WAITING
    assert ETIMS_SIGN_REQUESTED in entries
    # the same sale completing again (a later payment move) asks nothing more
    with till.ledger.write() as conn:
        etims_invoices.sale_completed(Change(conn, till.ledger.cipher, None), order_id)
    assert len(sign_requests(till)) == 1


def test_an_open_order_asks_nothing_until_it_is_paid(till: Till) -> None:
    etims_on(till)
    order_id = till.order(5000)
    assert sign_requests(till) == []
    till.services.payments.record_cash_sale(order_id, kes(5000), cashier_id=till.cashier.id)
    assert [e.payload["receipt_number"] for e in sign_requests(till)] == ["TILL1-000001"]


def test_a_shop_without_etims_writes_nothing_of_it(till: Till) -> None:
    sell(till)
    assert sign_requests(till) == []
    with till.ledger.read() as conn:
        assert conn.execute(select(invoices_table)).first() is None


def test_the_signature_is_kept_with_the_order_and_is_final(till: Till) -> None:
    etims_on(till)
    order_id = sell(till)
    signature = EtimsSignature(
        invoice_number=42, control_unit_id="KRACU0100000123",
        cu_invoice_number="KRACU0100000123/42", receipt_counter=40, total_receipt_counter=42,
        internal_data="B4QZ7KXM2TLRWV5NJYDC3HPAEG", receipt_signature="K7TQ2MXW5RZB3NVA",
        signed_at=None, qr_url="https://etims-sbx.kra.go.ke/x?Data=P051234567X00K7TQ2MXW5RZB3NVA",
    )  # fmt: skip
    with till.ledger.write() as conn:
        signed = EtimsOutcome("e1", 5, "TILL1-000001", signature)
        assert etims_invoices.apply_outcome(conn, signed) == "signed"
        refused = EtimsOutcome("e2", 6, "TILL1-000001", None, "910", "no")
        assert etims_invoices.apply_outcome(conn, refused) == "already_signed"
        stranger = EtimsOutcome("e3", 7, "TILL9-000001", signature)
        assert etims_invoices.apply_outcome(conn, stranger) == "unknown_receipt"
    with till.ledger.read() as conn:
        invoice = etims_invoices.invoice_of(conn, order_id)
        assert etims_invoices.waiting_count(conn) == 0
    assert invoice is not None and invoice.signature == signature


def test_a_line_refund_asks_for_a_credit_note_against_the_sale(till: Till) -> None:
    etims_on(till)
    order_id = sell(till)
    payment_id = till.services.payments.payments_for_order(order_id)[0].id
    refunds = RefundService(
        till.ledger, till.services.bus, till.services.payments, till.services.users
    )
    for line in (0, 1):  # the sugar comes back, then one bag of unga
        refunds.refund_lines(
            payment_id, {line: Quantity.each(1)}, "Returned",
            supervisor_id=till.supervisor.id, pin=SUPERVISOR_PIN,
        )  # fmt: skip
    sale, first, second = sign_requests(till)
    assert sale.payload["kind"] == "sale"
    assert (first.payload["kind"], first.payload["receipt_number"]) == (
        "credit_note", "TILL1-000001-R1",
    )  # fmt: skip
    assert first.payload["original_receipt_number"] == "TILL1-000001"
    assert second.payload["receipt_number"] == "TILL1-000001-R2"
    note = SaleRequest.model_validate({**first.payload["body"], "invcNo": 8, "orgInvcNo": 7})
    assert note.rcpt_ty_cd == "R" and note.rfd_rsn_cd == "06"
    assert [i.item_nm for i in note.item_list] == ["Sukari 1kg"] and note.tot_amt == 185
    with till.ledger.read() as conn:
        assert etims_invoices.waiting_count(conn) == 3
        # the receipt's eTIMS block is the sale's, not a credit note's
        sale_invoice = etims_invoices.invoice_of(conn, order_id)
    assert sale_invoice is not None and sale_invoice.receipt_number == "TILL1-000001"


def test_a_refund_by_amount_of_an_invoiced_sale_is_refused_and_audited(till: Till) -> None:
    etims_on(till)
    order_id = sell(till)
    payment_id = till.services.payments.payments_for_order(order_id)[0].id
    refunds = RefundService(
        till.ledger, till.services.bus, till.services.payments, till.services.users
    )
    with pytest.raises(InvalidInput, match="pick the items and quantities"):
        refunds.refund(
            payment_id, kes(5000), "Goodwill",
            supervisor_id=till.supervisor.id, pin=SUPERVISOR_PIN,
        )  # fmt: skip
    assert till.services.payments.get_payment(payment_id).refunded.is_zero
    assert [e.payload["kind"] for e in sign_requests(till)] == ["sale"]
    with till.ledger.read() as conn:
        refused = [e for e in audit.entries(conn) if e.action == "refund.refused"]
    assert len(refused) == 1


def test_a_voided_sale_asks_for_a_credit_note_of_every_line(till: Till) -> None:
    etims_on(till)
    till.services.shifts.open_shift(till.cashier.id, kes(0))
    order_id = sell(till)
    refunds = RefundService(
        till.ledger, till.services.bus, till.services.payments, till.services.users
    )
    refunds.void_sale(order_id, "Rang up twice", supervisor_id=till.supervisor.id,
                      pin=SUPERVISOR_PIN)  # fmt: skip
    _sale, void = sign_requests(till)
    assert void.payload["receipt_number"] == "TILL1-000001-R1"
    note = SaleRequest.model_validate({**void.payload["body"], "invcNo": 2, "orgInvcNo": 1})
    total = till.services.orders.get_order(order_id).total
    assert note.tot_amt * 100 == total.minor and len(note.item_list) == 3
