"""An eTIMS shop's product, added or changed, asks the relay to register it with KRA in the
catalogue change's own transaction (outbox event etims.item_changed with the saveItem body),
under the same item code its sales name. A shop without eTIMS writes none of it."""

from __future__ import annotations

from ledger_helpers import Till, kes
from test_etims_invoices import etims_on, sign_requests

from pos_app.core.orders import OrderLine
from pos_app.core.quantities import Unit
from pos_app.services.etims_invoices import item_of
from pos_app.services.grants import Action
from pos_app.store import audit, outbox
from sync.protocol import ETIMS_ITEM_CHANGED
from sync.providers.etims import ItemRequest


def item_events(till: Till) -> list[outbox.OutboxEvent]:
    with till.ledger.read() as conn:
        return [e for e in outbox.pending(conn, till.ledger.cipher) if e.type == ETIMS_ITEM_CHANGED]


def test_an_added_and_a_repriced_product_ask_to_be_registered(till: Till) -> None:
    etims_on(till)
    catalogue = till.services.catalogue
    rice = catalogue.add_product(
        "Mchele Pishori 1kg", kes(22000), barcode="6161100400074", tax_class="A",
        grant=till.grant(Action.CATALOGUE),
    )  # fmt: skip
    catalogue.add_product(
        "Sukari ya Kupima", kes(17000), unit=Unit.KG, grant=till.grant(Action.CATALOGUE)
    )
    catalogue.update_product(rice.id, price=kes(23000), grant=till.grant(Action.CATALOGUE))

    first, weighed, repriced = item_events(till)
    body = first.payload["item"]
    assert first.payload["product_id"] == rice.id
    assert body == {
        **body,
        "itemCd": item_of(rice.id, Unit.EACH).item_code,
        "itemClsCd": "5059690800",
        "itemTyCd": "2",
        "itemNm": "Mchele Pishori 1kg",
        "orgnNatCd": "KE",
        "pkgUnitCd": "NT",
        "qtyUnitCd": "NO",
        "taxTyCd": "A",  # exempt, the product's own class
        "bcd": "6161100400074",
        "dftPrc": 220.0,
        "useYn": "Y",
        "regrNm": "Amina",
    }
    ItemRequest.model_validate(body)  # what the relay takes
    assert weighed.payload["item"]["qtyUnitCd"] == "KG"
    assert weighed.payload["item"]["taxTyCd"] == "B"  # the shop's standard class
    assert repriced.payload["item"]["itemCd"] == body["itemCd"]
    assert repriced.payload["item"]["dftPrc"] == 230.0
    with till.ledger.read() as conn:
        audited = [e for e in audit.entries(conn) if e.action == ETIMS_ITEM_CHANGED]
    assert len(audited) == 3


def test_a_sale_names_the_item_its_product_registered(till: Till) -> None:
    etims_on(till)
    rice = till.services.catalogue.add_product(
        "Mchele", kes(22000), tax_class="A", grant=till.grant(Action.CATALOGUE)
    )
    draft = till.services.orders.draft([OrderLine("Mchele", kes(22000), 2, product_id=rice.id)])
    till.services.payments.record_cash_sale(draft, kes(50000), cashier_id=till.cashier.id)
    (item,) = item_events(till)
    (sale,) = sign_requests(till)
    (line,) = sale.payload["body"]["itemList"]
    registered = item.payload["item"]
    assert line["itemCd"] == registered["itemCd"]
    assert (line["itemClsCd"], line["qtyUnitCd"], line["taxTyCd"]) == (
        registered["itemClsCd"], registered["qtyUnitCd"], registered["taxTyCd"],
    )  # fmt: skip


def test_an_imported_catalogue_registers_each_product(till: Till) -> None:
    etims_on(till)
    report = till.services.catalogue.import_csv(
        "name,price,sku,barcode,quick_key,tax_class,unit\n"
        "Unga 2kg,210.00,UNGA,,,C,each\nSukari,185.00,SUKARI,,,B,each\n",
        grant=till.grant(Action.CATALOGUE),
    )
    assert report.added == 2
    assert [e.payload["item"]["itemNm"] for e in item_events(till)] == ["Unga 2kg", "Sukari"]


def test_a_shop_without_etims_registers_nothing(till: Till) -> None:
    till.services.catalogue.add_product("Mchele", kes(22000), grant=till.grant(Action.CATALOGUE))
    assert item_events(till) == []
