"""Sales are tax-correct end to end: each product's class, VAT per line and per band, stored
with the lines and sent to the relay; gap-free receipt numbers per till."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from ledger_helpers import Till, kes
from sqlalchemy import delete, select

from pos_app.config import TillSettings
from pos_app.core.errors import InsufficientTender, InvalidInput, UnknownTaxClass
from pos_app.core.orders import OrderLine
from pos_app.core.receipt_numbers import ReceiptNumber
from pos_app.resources import resource
from pos_app.services import build_services
from pos_app.services.grants import Action
from pos_app.services.receipts import build_receipt
from pos_app.store import outbox
from pos_app.store.db import open_ledger
from pos_app.store.schema import order_lines, receipt_counters


def demo(till: Till) -> dict[str, OrderLine]:
    report = till.services.catalogue.import_csv(
        resource("demo_catalogue.csv").read_text(encoding="utf-8"),
        grant=till.grant(Action.CATALOGUE),
    )
    assert report.added == 21 and not report.errors
    return {
        p.name: OrderLine(p.name, p.price, 1, p.id) for p in till.services.catalogue.list_products()
    }


def test_the_demo_catalogue_sale_charges_no_vat_on_maize_flour(till: Till) -> None:
    products = demo(till)
    catalogue = {p.name: p for p in till.services.catalogue.list_products()}
    assert catalogue["Unga wa Ugali 2kg"].tax_class == "C"
    assert catalogue["Sukari 1kg"].tax_class == "B"
    draft = till.services.orders.draft([products["Unga wa Ugali 2kg"], products["Sukari 1kg"]])
    sale = till.services.payments.record_cash_sale(draft, kes(50000), cashier_id=till.cashier.id)
    order = till.services.orders.get_order(sale.order_id)
    # 210.00 zero-rated, 185.00 at 16 %: VAT only on the sugar (18500 - 15948)
    assert order.total == kes(39500)
    assert order.vat == kes(2552)
    assert order.taxes.band("C").taxable == kes(21000) and order.taxes.band("C").tax.is_zero
    assert order.taxes.band("B").tax == kes(2552)
    with till.ledger.read() as conn:
        rows = conn.execute(
            select(
                order_lines.c.tax_class, order_lines.c.tax_rate_bps, order_lines.c.vat_minor
            ).order_by(order_lines.c.position)
        ).all()
    assert [tuple(r) for r in rows] == [("C", 0, 0), ("B", 1600, 2552)]
    receipt = build_receipt(
        till.ledger, till.services.orders, till.services.payments, sale.order_id
    )
    assert [(b.tax_class, b.vat.minor) for b in receipt.taxes] == [
        ("A", 0),
        ("B", 2552),
        ("C", 0),
        ("D", 0),
        ("E", 0),
    ]
    assert [line.tax_class for line in receipt.lines] == ["C", "B"]
    assert receipt.receipt_number == "TILL1-000001"


def test_a_csv_without_classes_takes_the_default_and_a_wrong_class_is_refused(
    till: Till,
) -> None:
    catalogue = till.services.catalogue
    catalogue.import_csv("name,price\nChai,50\n", grant=till.grant(Action.CATALOGUE))
    assert catalogue.search("Chai")[0].tax_class == "B"
    report = catalogue.import_csv(
        "name,price,tax_class\nX,5,Z\n", grant=till.grant(Action.CATALOGUE)
    )
    assert report.errors and "not a tax class" in report.errors[0][1]
    with pytest.raises(UnknownTaxClass):
        catalogue.add_product(
            "Mchele", kes(15000), tax_class="Q", grant=till.grant(Action.CATALOGUE)
        )
    rice = catalogue.add_product(
        "Mchele", kes(15000), tax_class="a", unit="kg", grant=till.grant(Action.CATALOGUE)
    )
    assert (rice.tax_class, rice.unit) == ("A", "kg")
    assert (
        catalogue.update_product(
            rice.id, tax_class="E", grant=till.grant(Action.CATALOGUE)
        ).tax_class
        == "E"
    )


def test_a_line_names_its_own_class_over_the_products(till: Till) -> None:
    products = demo(till)
    line = products["Sukari 1kg"]
    draft = till.services.orders.draft(
        [OrderLine(line.name, line.unit_price, 1, line.product_id, tax_class="A")]
    )
    assert draft.vat.is_zero


def payload_of(till: Till, event_type: str) -> list[dict[str, object]]:
    with till.ledger.read() as conn:
        events = outbox.pending(conn, till.ledger.cipher, 1000)
    return [e.payload for e in events if e.type == event_type]


def test_receipt_numbers_are_gap_free_and_travel_to_the_relay(till: Till) -> None:
    pay = till.services.payments
    first = pay.record_cash_sale(till.draft(1000), kes(1000))
    with pytest.raises(InsufficientTender):
        pay.record_cash_sale(till.draft(5000), kes(10))  # rolled back with its number
    second = pay.record_cash_sale(till.draft(2000), kes(2000))
    third = till.services.orders.create_order(till.draft(300)).receipt_number
    numbers = [till.services.orders.get_order(s.order_id).receipt_number for s in (first, second)]
    assert [str(n) for n in [*numbers, third]] == ["TILL1-000001", "TILL1-000002", "TILL1-000003"]
    sales = payload_of(till, "sale.cash")
    orders = [p["order"] for p in sales]
    assert [(o["receipt_prefix"], o["receipt_sequence"]) for o in orders] == [  # type: ignore[index]
        ("TILL1", 1),
        ("TILL1", 2),
    ]
    assert payload_of(till, "order.created")[0]["receipt_sequence"] == 3


def test_numbers_continue_after_a_restart_and_after_a_restore_without_the_counter(
    settings: TillSettings, till: Till
) -> None:
    till.services.payments.record_cash_sale(till.draft(1000), kes(1000))
    till.services.shop.update(till.grant(Action.SETTINGS), receipt_prefix="TILL2")
    till.services.payments.record_cash_sale(till.draft(1000), kes(1000))
    till.ledger.close()
    ledger = open_ledger(settings)
    services = build_services(ledger)
    with ledger.write() as conn:  # a restored copy that lost the counter rows
        conn.execute(delete(receipt_counters))
    sale = services.payments.record_cash_sale(
        services.orders.draft([OrderLine("Chai", kes(500))]), kes(500)
    )
    assert services.orders.get_order(sale.order_id).receipt_number == ReceiptNumber("TILL2", 2)
    till.ledger = ledger  # the fixture closes this one


def test_shop_settings_refuse_an_unknown_country_or_a_bad_prefix(till: Till) -> None:
    shop = till.services.shop
    with pytest.raises(InvalidInput):
        shop.update(till.grant(Action.SETTINGS), country="ZZ")
    with pytest.raises(InvalidInput):
        shop.update(till.grant(Action.SETTINGS), receipt_prefix="till-1")
    with pytest.raises(InvalidInput):
        shop.update(till.grant(Action.SETTINGS), scale_layouts="21=volume")
    assert shop.get().country == "KE"


@examples(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(1, 500_000), st.integers(1, 5), st.sampled_from("ABCDE")),
        min_size=1,
        max_size=6,
    )
)
def test_stored_bands_add_up_to_the_total(till: Till, lines: list[tuple[int, int, str]]) -> None:
    drafts = [OrderLine(f"Item {i}", kes(p), q, tax_class=c) for i, (p, q, c) in enumerate(lines)]
    order = till.services.orders.create_order(drafts)
    stored = till.services.orders.get_order(order.id)
    assert stored.taxes.gross == stored.total == kes(sum(p * q for p, q, _ in lines))
    assert stored.vat == stored.taxes.tax
    for band in stored.taxes.bands:
        if band.tax_class.rate_bps == 0:
            assert band.tax.is_zero
