from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from ledger_helpers import CASHIER_PIN, SUPERVISOR_PIN, Till, kes

from pos_app.config import TillSettings
from pos_app.core.errors import (
    CatalogueError,
    InvalidInput,
    NotASupervisor,
    ShiftError,
    UserLocked,
    WrongPin,
)
from pos_app.services import build_services
from pos_app.services.customers import CustomerDetails
from pos_app.services.grants import Action
from pos_app.services.shifts import ShortageNeedsReason
from pos_app.store.db import open_ledger
from pos_app.store.rotate import retire_old_keys, rotate_data_key


# --- users ----------
def test_first_user_must_be_a_supervisor(settings: TillSettings) -> None:
    ledger = open_ledger(settings)
    users = build_services(ledger).users
    with pytest.raises(InvalidInput, match="first user"):
        users.create_user("Brian", "cashier", "1234")
    with pytest.raises(InvalidInput, match="4 to 8 digits"):
        users.create_user("Amina", "supervisor", "12a4")
    assert not users.has_users()
    ledger.close()


def test_only_a_supervisor_adds_users(till: Till) -> None:
    with pytest.raises(NotASupervisor):
        till.services.users.create_user(
            "Eve", "cashier", "1111", grant=till.grant(Action.STAFF, till.cashier)
        )


def test_pin_lockout_after_five_wrong_tries(till: Till) -> None:
    users = till.services.users
    assert users.verify_pin(till.cashier.id, CASHIER_PIN).id == till.cashier.id
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPin) as info:
            users.verify_pin(till.cashier.id, "0000")
        assert info.value.attempts_left == left
    with pytest.raises(UserLocked):
        users.verify_pin(till.cashier.id, "0000")
    with pytest.raises(UserLocked):  # even the right PIN, while locked
        users.verify_pin(till.cashier.id, CASHIER_PIN)
    db = sqlite3.connect(till.ledger.settings.database)
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat(timespec="microseconds")
    db.execute("UPDATE users SET locked_until = ? WHERE id = ?", (past, till.cashier.id))
    db.commit()
    db.close()
    assert users.verify_pin(till.cashier.id, CASHIER_PIN).id == till.cashier.id
    actions = [e.action for e in till.services.audit.recent(limit=10)]
    assert actions.count("user.pin_failed") == 5


def test_require_supervisor(till: Till) -> None:
    users = till.services.users
    assert users.require_supervisor(SUPERVISOR_PIN).id == till.supervisor.id
    assert users.require_supervisor("9753").id == till.second_supervisor.id
    with pytest.raises(WrongPin):
        users.require_supervisor(CASHIER_PIN)
    with pytest.raises(NotASupervisor):
        users.require_supervisor(CASHIER_PIN, till.cashier.id)


# --- shifts ----------
def test_shift_z_report(till: Till) -> None:
    shifts = till.services.shifts
    shift = shifts.open_shift(till.cashier.id, kes(500000))
    with pytest.raises(ShiftError, match="already open"):
        shifts.open_shift(till.cashier.id, kes(0))
    pay = till.services.payments
    pay.record_cash_sale(till.draft(10000), kes(20000), cashier_id=till.cashier.id)
    pay.record_cash_sale(till.draft(2500), kes(2500), cashier_id=till.cashier.id)
    order_id = till.order(7000)
    pay.submit_manual_payment_proof(order_id, "mpesa_receipt", "QWE1234567")
    [proof_payment] = pay.payments_for_order(order_id)
    pay.confirm_manual_payment(proof_payment.id, till.grant(Action.DECIDE_PAYMENT), True)
    shifts.cash_movement(shift.id, "out", kes(3000), "bought milk", user_id=till.cashier.id)
    shifts.cash_movement(shift.id, "in", kes(1000), "change top-up", user_id=till.cashier.id)
    with pytest.raises(InvalidInput):
        shifts.cash_movement(shift.id, "sideways", kes(1), "?", user_id=till.cashier.id)
    counted = {"cash": kes(510000), "manual_mobile_money": kes(7000)}
    with pytest.raises(ShortageNeedsReason):  # 5.00 short, and the shop tolerates nothing
        shifts.close_shift(shift.id, counted, user_id=till.cashier.id)
    assert shifts.current_shift() is not None
    report = shifts.close_shift(
        shift.id, counted, user_id=till.cashier.id, shortage_reason="Change given twice"
    )
    assert report["shortage_reason"] == "Change given twice"
    assert report["methods"]["cash"] == {
        "expected_minor": 500000 + 12500 - 3000 + 1000,
        "counted_minor": 510000,
        "difference_minor": -500,
    }
    assert report["methods"]["manual_mobile_money"]["difference_minor"] == 0
    assert shifts.current_shift() is None
    with pytest.raises(ShiftError, match="already closed"):
        shifts.close_shift(shift.id, {}, user_id=till.cashier.id)


# --- catalogue ----------
def test_catalogue_add_search_barcode(till: Till) -> None:
    cat = till.services.catalogue
    milk = cat.add_product(
        "Brookside Milk 500ml",
        kes(6500),
        barcode="6161100600012",
        quick_key=1,
        grant=till.grant(Action.CATALOGUE),
    )
    cat.add_product("Unga 2kg", kes(21000), sku="UNGA2", grant=till.grant(Action.CATALOGUE))
    with pytest.raises(CatalogueError, match="already"):
        cat.add_product(
            "Other", kes(100), barcode="6161100600012", grant=till.grant(Action.CATALOGUE)
        )
    assert cat.find_by_barcode("6161100600012") == milk
    assert cat.find_by_barcode("000") is None
    assert [p.name for p in cat.search("unga")] == ["Unga 2kg"]
    assert [p.name for p in cat.quick_keys()] == ["Brookside Milk 500ml"]
    cheaper = cat.update_product(milk.id, price=kes(6000), grant=till.grant(Action.CATALOGUE))
    assert cheaper.price == kes(6000)
    cat.update_product(milk.id, active=False, grant=till.grant(Action.CATALOGUE))
    assert [p.name for p in cat.list_products()] == ["Unga 2kg"]


def test_catalogue_csv_import_is_all_or_nothing(till: Till) -> None:
    cat = till.services.catalogue
    bad = (
        "name,price,sku,barcode\n"
        "Soap,120.00,S1,111\n,50,S2,222\nSalt,1.005,S3,333\nOil,300,S4,111\n"
    )
    report = cat.import_csv(bad, grant=till.grant(Action.CATALOGUE))
    assert report.added == 0 and [line for line, _ in report.errors] == [3, 4, 5]
    assert cat.list_products() == []
    good = 'name,price,sku,barcode,quick_key\nSoap,120.00,S1,111,\nSalt,"1,050.50",S3,333,2\n'
    assert cat.import_csv(good, grant=till.grant(Action.CATALOGUE)).added == 2
    again = cat.import_csv(
        "name,price,barcode\nSoap bar,130,111\n", grant=till.grant(Action.CATALOGUE)
    )
    assert (again.added, again.updated) == (0, 1)
    assert cat.find_by_barcode("111").price == kes(13000)  # type: ignore[union-attr]
    assert cat.find_by_barcode("333").price == kes(105050)  # type: ignore[union-attr]


# --- shop settings ----------
def test_shop_settings(till: Till) -> None:
    shop = till.services.shop
    assert shop.get().vat_bps == 1600 and shop.get().currency == "KES"
    with pytest.raises(NotASupervisor):
        shop.update(till.grant(Action.SETTINGS, till.cashier), vat_bps=800)
    with pytest.raises(InvalidInput):
        shop.update(till.grant(Action.SETTINGS), vat_bps=20000)
    shop.update(till.grant(Action.SETTINGS), vat_bps=800, shop_name="Mama Njeri Shop")
    assert shop.get().vat_bps == 800
    assert till.draft(10800).vat == kes(800)


# --- key rotation ----------
def test_key_rotation_re_encrypts_everything(till: Till) -> None:
    pay = till.services.payments
    jane = CustomerDetails(name="Jane", phone="0712345678", address="Nairobi")
    p = pay.create_payment(till.order(5000), 5000, "KES", None, "mpesa_stk", jane)
    pay.process_payment(p.id, {"phone_number": "0712345678"})
    order_id = till.order(3000)
    pay.submit_manual_payment_proof(order_id, "mpesa_receipt", "ROT1234567", b"img", "note")

    version, rows = rotate_data_key(till.ledger)
    assert version == 2 and rows > 0
    db = sqlite3.connect(till.ledger.settings.database)
    blobs = [
        b
        for sql in (
            "SELECT name_ct FROM customers",
            "SELECT phone_ct FROM customers",
            "SELECT provider_data_ct FROM payments WHERE provider_data_ct IS NOT NULL",
            "SELECT reference_ct FROM proofs",
            "SELECT image_ct FROM proofs",
            "SELECT payload_ct FROM outbox",
        )
        for (b,) in db.execute(sql)
    ]
    db.close()
    assert blobs and all(till.ledger.cipher.version_of(b) == 2 for b in blobs)

    retire_old_keys(till.ledger)
    assert till.ledger.cipher.versions == [2]
    assert pay.customer(p.customer_id or "").name == "Jane"
    assert [x.id for x in pay.payments_for_phone("+254712345678")] == [p.id]
    other = till.order(3000)
    pay.submit_manual_payment_proof(other, "mpesa_receipt", "rot 1234567")
    [again] = pay.payments_for_order(other)
    assert "proof_reference_reused" in [r.name for r in again.risk_reasons]
    # the till reopens with only the new key
    till.ledger.close()
    open_ledger(till.ledger.settings).close()
