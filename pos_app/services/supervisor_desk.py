"""The supervisor desk's services over one ledger, and realistic demo data for it.

`SupervisorDesk.over(...)` wires the desk from the ledger's own services; `seed_demo` fills an
empty ledger with a day of trading (proofs with risk reasons, a refund, open COD) for the
screenshots and the GUI tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import PaymentMethod, ProofType
from pos_app.services.admin import AdminService
from pos_app.services.approvals import ApprovalService
from pos_app.services.audit_trail import AuditTrailService
from pos_app.services.bus import EventBus
from pos_app.services.gateway import OnlineGateway
from pos_app.services.orders import OrderService
from pos_app.services.payments import PaymentService
from pos_app.services.provider_events import ProviderEventRecord, ProviderEventService, record
from pos_app.services.refunds import RefundService
from pos_app.services.reports import ReportService
from pos_app.services.shifts import ShiftService
from pos_app.services.shop import ShopService
from pos_app.services.unit import ledger_change
from pos_app.services.users import UserService, UserView
from pos_app.store.db import Ledger
from pos_app.store.schema import orders, payments, proofs


@dataclass
class SupervisorDesk:
    ledger: Ledger
    bus: EventBus
    users: UserService
    shop: ShopService
    payments: PaymentService
    orders: OrderService
    shifts: ShiftService
    approvals: ApprovalService
    refunds: RefundService
    admin: AdminService
    reports: ReportService
    audit: AuditTrailService
    provider_events: ProviderEventService

    @classmethod
    def over(
        cls,
        ledger: Ledger,
        bus: EventBus,
        *,
        users: UserService | None = None,
        shop: ShopService | None = None,
        payments_service: PaymentService | None = None,
        orders_service: OrderService | None = None,
        shifts: ShiftService | None = None,
        gateway: Callable[[], OnlineGateway | None] | None = None,
        pair: Callable[[Any, str, str], Any] | None = None,
        timezone: str = "Africa/Nairobi",
    ) -> SupervisorDesk:
        users = users or UserService(ledger, bus)
        shop = shop or ShopService(ledger, bus)
        pay = payments_service or PaymentService(ledger, bus)
        events = ProviderEventService(ledger)
        return cls(
            ledger=ledger,
            bus=bus,
            users=users,
            shop=shop,
            payments=pay,
            orders=orders_service or OrderService(ledger, bus),
            shifts=shifts or ShiftService(ledger, bus),
            approvals=ApprovalService(ledger, bus, pay, users, events, gateway),
            refunds=RefundService(ledger, bus, pay, users, gateway),
            admin=AdminService(ledger, bus, users, shop, gateway, pair),
            reports=ReportService(ledger, timezone),
            audit=AuditTrailService(ledger, timezone),
            provider_events=events,
        )


# --- demo data ---------------------------------------------------------------------------------
DEMO_PINS = {"Amina Wanjiru": "2468", "Otieno Kamau": "1357", "Grace Njeri": "8642"}


@dataclass
class DemoIds:
    supervisor: UserView
    cashier: UserView
    second_supervisor: UserView
    shift_id: str
    proof_payments: list[str] = field(default_factory=list)
    cash_payments: list[str] = field(default_factory=list)
    cod_payments: list[str] = field(default_factory=list)
    refunded_payment: str = ""


def _kes(shillings: int) -> Money:
    return Money(shillings * 100, "KES")


def _backdate(desk: SupervisorDesk, payment_id: str, when: datetime) -> None:
    """Spread the demo day over real hours (the services stamp everything 'now')."""
    with desk.ledger.write() as conn:
        conn.execute(update(payments).where(payments.c.id == payment_id).values(created_at=when))
        order_id = conn.execute(payments.select().where(payments.c.id == payment_id)).one().order_id
        conn.execute(update(orders).where(orders.c.id == order_id).values(created_at=when))
        conn.execute(
            update(proofs).where(proofs.c.payment_id == payment_id).values(submitted_at=when)
        )


def seed_demo(
    desk: SupervisorDesk, receipt_photo: bytes | None = None, now: datetime | None = None
) -> DemoIds:
    """A shop's day: cash sales over a week, proofs awaiting approval (one reusing a receipt
    code, one with a matching C2B confirmation), an open COD order and a cash refund."""
    now = now or datetime.now(UTC)
    sup = desk.users.create_user("Amina Wanjiru", "supervisor", DEMO_PINS["Amina Wanjiru"])
    cashier = desk.users.create_user(
        "Otieno Kamau", "cashier", DEMO_PINS["Otieno Kamau"], created_by=sup.id, language="sw"
    )
    sup2 = desk.users.create_user(
        "Grace Njeri", "supervisor", DEMO_PINS["Grace Njeri"], created_by=sup.id
    )
    desk.shop.update(
        sup.id,
        shop_name="Mama Njeri General Store",
        receipt_header="Moi Avenue, Nairobi · PIN P051234567X",
    )
    shift = desk.shifts.open_shift(cashier.id, _kes(2_000))
    ids = DemoIds(sup, cashier, sup2, shift.id)

    basket = [
        [("Unga wa ngano 2kg", 210, 2), ("Sukari 1kg", 180, 1)],
        [("Maziwa 500ml", 65, 4), ("Mkate", 70, 1)],
        [("Mchele 5kg", 950, 1)],
        [("Sabuni ya kufulia", 120, 3), ("Chai majani 250g", 150, 1)],
        [("Mafuta ya kupikia 3L", 890, 1), ("Chumvi 1kg", 45, 2)],
        [("Soda 500ml", 80, 6)],
        [("Unga wa mahindi 2kg", 190, 3)],
    ]
    for day, lines in enumerate(basket):
        for repeat in range(1 + day % 3):
            draft = desk.orders.draft(
                [OrderLine(name, _kes(price), qty) for name, price, qty in lines]
            )
            sale = desk.payments.record_cash_sale(
                draft, draft.total + _kes(50 * repeat), cashier_id=cashier.id, shift_id=shift.id
            )
            ids.cash_payments.append(sale.payment_id)
            _backdate(desk, sale.payment_id, now - timedelta(days=6 - day, hours=3 - repeat))

    def proof_sale(
        lines: list[tuple[str, int, int]],
        kind: ProofType,
        code: str,
        note: str,
        hours_ago: float,
        photo: bytes | None,
    ) -> str:
        order = desk.orders.create_order(
            [OrderLine(name, _kes(price), qty) for name, price, qty in lines],
            cashier_id=cashier.id,
            shift_id=shift.id,
        )
        desk.payments.submit_manual_payment_proof(
            order.id, kind, code, photo, note, submitted_by=cashier.id
        )
        pay_id = desk.payments.payments_for_order(order.id)[-1].id
        _backdate(desk, pay_id, now - timedelta(hours=hours_ago))
        ids.proof_payments.append(pay_id)
        return pay_id

    proof_sale(
        [("Gunia la mchele 25kg", 4_200, 1)],
        ProofType.MPESA_RECEIPT,
        "SGK7H2XQ4P",
        "Customer showed the M-Pesa SMS",
        5,
        receipt_photo,
    )
    proof_sale(
        [("Mafuta ya kupikia 3L", 890, 2)],
        ProofType.MPESA_RECEIPT,
        "sgk7h2xq4p",
        "Same code as this morning?",
        1.5,
        None,
    )
    proof_sale(
        [("Bati 3m", 1_150, 6)],
        ProofType.BANK_TRANSFER,
        "KCB-FT-2291-0087",
        "Transfer from KCB app",
        3,
        receipt_photo,
    )
    c2b_pay = proof_sale(
        [("Sukari 2kg", 350, 2)],
        ProofType.MPESA_RECEIPT,
        "SGL3M8TR2A",
        "Paid from the SIM menu",
        0.5,
        None,
    )
    # C2B confirmations the relay has seen; the first carries the receipt code of the proof above
    seen = [
        ("c2b-7d1e6a0c-demo", 41, 70_000, "ORDER", "SGL3M8TR2A", "2547****1234", 35),
        ("c2b-91f4b2d7-demo", 44, 35_000, "JIKO", "SGN2P5TX9C", "2547****9921", 12),
    ]
    with ledger_change(desk.ledger, desk.bus, "relay") as change:
        for event_id, relay_seq, amount_minor, reference, receipt, payer, minutes in seen:
            record(
                change.conn,
                desk.ledger.cipher,
                ProviderEventRecord(
                    event_id=event_id,
                    relay_seq=relay_seq,
                    provider="mpesa",
                    channel="c2b",
                    status="paid",
                    amount_minor=amount_minor,
                    currency="KES",
                    reference=reference,
                    receipt=receipt,
                    payer=payer,
                    test_mode=False,
                    occurred_at=now - timedelta(minutes=minutes),
                    received_at=now - timedelta(minutes=minutes - 1),
                ),
            )
        change.record(
            "provider_event.stored",
            entity="provider_event",
            entity_id="c2b-7d1e6a0c-demo",
            details={"channel": "c2b"},
        )
    assert c2b_pay

    stk_order = desk.orders.create_order(
        [OrderLine("Friji ndogo", _kes(18_500), 1)], cashier_id=cashier.id, shift_id=shift.id
    )
    stk = desk.payments.create_payment(
        stk_order.id, _kes(18_500), None, "mpesa", PaymentMethod.MPESA_STK, created_by=cashier.id
    )
    desk.payments.process_payment(stk.id, {"phone_number": "0712345678"}, actor_id=cashier.id)
    desk.payments.outcomes.mark_awaiting_customer(stk.id, "ws_CO_28112026101512345678")
    desk.payments.outcomes.apply_provider_event(
        "stk-demo-mismatch",
        status="succeeded",
        amount_minor=1_850_000 - 1_000_000,
        currency="KES",
        payment_id=stk.id,
        receipt_number="SGM9K4LQ7B",
    )
    _backdate(desk, stk.id, now - timedelta(minutes=50))

    cod_order = desk.orders.create_order(
        [OrderLine("Jiko la mkaa", _kes(1_800), 1)], cashier_id=cashier.id, shift_id=shift.id
    )
    cod = desk.payments.create_cod(cod_order.id, created_by=cashier.id)
    ids.cod_payments.append(cod.id)
    _backdate(desk, cod.id, now - timedelta(hours=2))

    refunded = ids.cash_payments[-1]
    desk.refunds.refund(
        refunded,
        _kes(80),
        "Soda bottle was broken",
        supervisor_id=sup.id,
        pin=DEMO_PINS["Amina Wanjiru"],
    )
    ids.refunded_payment = refunded
    return ids
