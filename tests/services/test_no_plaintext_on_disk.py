"""Customer names, phones, addresses, proof references, notes and images never reach the
database file or its write-ahead log in clear text."""

from __future__ import annotations

import uuid
from pathlib import Path

from ledger_helpers import kes

from pos_app.config import TillSettings
from pos_app.core.orders import OrderLine
from pos_app.services import build_services
from pos_app.services.customers import CustomerDetails
from pos_app.services.grants import Action
from pos_app.store.db import open_ledger

CUSTOMERS = [
    ("Wanjiku Kamau-Otieno", "0712 345 678", "+254712345678", "Kenyatta Avenue Plot 42"),
    ("Chukwuemeka Adebayo", "0722 987 654", "+254722987654", "Herufi House Flat 7"),
]
PROOF_REFS = ["RKT7QWERTZ", "FT26118XYZQ", "SMSCODE9911"]
NOTES = "Customer insists she paid via KCB app at 15:42"
LINES = [OrderLine("Unga 2kg", kes(21000)), OrderLine("Sukari 1kg", kes(18000))]
IMAGE = b"JFIF-proof-image-unique-bytes-0xDEADBEEF"
STK_REFERENCE = "ws_CO_281120261042123456789"


def needles() -> list[bytes]:
    found: list[str] = []
    for name, typed, e164, address in CUSTOMERS:
        digits = e164.lstrip("+")
        found += [name, typed, e164, digits, digits[3:], "0" + digits[3:], address]
    found += [*PROOF_REFS, NOTES, STK_REFERENCE]
    encoded = [n.encode() for n in found] + [n.encode("utf-16-le") for n in found]
    return [*encoded, IMAGE]


def scan(paths: list[Path]) -> list[tuple[str, bytes]]:
    hits = []
    for path in paths:
        data = path.read_bytes()
        hits += [(path.name, n) for n in needles() if n in data]
    return hits


def test_personal_data_is_never_on_disk_in_clear(tmp_path: Path) -> None:
    ledger = open_ledger(TillSettings(data_dir=tmp_path, keyring="memory"))
    s = build_services(ledger)
    sup = s.users.create_user("Owner", "supervisor", "2468")
    cashier = s.users.create_user(
        "Till One", "cashier", "1357", grant=s.users.grant(sup.id, "2468", Action.STAFF)
    )
    for (name, typed, _, address), ref in zip(CUSTOMERS, PROOF_REFS, strict=False):
        order = s.orders.create_order(LINES, cashier_id=cashier.id)
        payment = s.payments.create_payment(
            order.id,
            order.total,
            None,
            None,
            "mpesa_stk",
            CustomerDetails(name=name, phone=typed, address=address),
        )
        s.payments.process_payment(payment.id, {"phone_number": typed})
        s.payments.outcomes.mark_awaiting_customer(payment.id, STK_REFERENCE)
        s.payments.outcomes.apply_provider_event(
            str(uuid.uuid4()),
            payment_id=payment.id,
            status="succeeded",
            amount_minor=order.total.minor,
            currency="KES",
            receipt_number=ref,
        )
    order = s.orders.create_order(LINES, cashier_id=cashier.id)
    s.payments.submit_manual_payment_proof(
        order.id, "bank_transfer", PROOF_REFS[2], IMAGE, NOTES, submitted_by=cashier.id
    )
    [payment] = s.payments.payments_for_order(order.id)
    s.payments.confirm_manual_payment(
        payment.id, s.users.grant(sup.id, "2468", Action.DECIDE_PAYMENT), True, NOTES
    )
    cod_order = s.orders.create_order(LINES)
    s.payments.create_cod(cod_order.id, CustomerDetails(*CUSTOMERS[1][:2], CUSTOMERS[1][3]))

    db = ledger.settings.database
    wal = db.with_name(db.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the WAL holds the recent commits
    assert scan([db, wal]) == []
    # and the data is really there, readable with the key
    assert s.payments.payments_for_phone(CUSTOMERS[0][1])[0].receipt_number == PROOF_REFS[0]

    ledger.close()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("till.db")]
    assert scan(files) == []


def test_a_text_receipts_phone_is_never_on_disk_in_clear(tmp_path: Path) -> None:
    from pos_app.services.counter import Counter
    from pos_app.services.sms_receipts import SmsWords, latest_for

    ledger = open_ledger(TillSettings(data_dir=tmp_path, keyring="memory"))
    s = build_services(ledger)
    order = s.orders.create_order(LINES)
    s.payments.record_cash_sale(order.id, order.total)
    counter = Counter(s)
    typed, e164 = "0733 481 926", "+254733481926"
    asked = counter.send_receipt_sms(order.id, typed, SmsWords("Receipt", "Total", "eTIMS", {}))
    assert latest_for(ledger, order.id) == asked  # kept, readable with the key
    digits = e164.lstrip("+")
    phone_needles = [typed, e164, digits, digits[3:], "0" + digits[3:]]
    needles_bytes = [n.encode() for n in phone_needles]
    needles_bytes += [n.encode("utf-16-le") for n in phone_needles]
    db = ledger.settings.database
    wal = db.with_name(db.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    ledger.close()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("till.db")]
    assert files
    for path in files:
        data = path.read_bytes()
        assert [n for n in needles_bytes if n in data] == [], path.name
