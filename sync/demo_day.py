"""A shop's day of trading for the supervisor desk, for the screenshots (.ci/screenshots_*.py)
and the GUI and service tests: cash sales, proofs awaiting approval (one reusing a receipt
code, one with a matching C2B confirmation), a paid amount that does not fit, an open COD order
and a cash refund.

Demo data, not business code: it writes only through the services, as a cashier, a supervisor
and the relay's stream would, so every row has its audit entry and outbox event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import PaymentMethod, ProofType
from pos_app.services.grants import Action, Grant
from pos_app.services.payment_events import PaymentEvents, ProviderOutcome
from pos_app.services.supervisor_desk import SupervisorDesk
from pos_app.services.users import UserView

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


BASKETS = [
    [("Unga wa ngano 2kg", 210, 2), ("Sukari 1kg", 180, 1)],
    [("Maziwa 500ml", 65, 4), ("Mkate", 70, 1)],
    [("Mchele 5kg", 950, 1)],
    [("Sabuni ya kufulia", 120, 3), ("Chai majani 250g", 150, 1)],
    [("Mafuta ya kupikia 3L", 890, 1), ("Chumvi 1kg", 45, 2)],
    [("Soda 500ml", 80, 6)],
    [("Unga wa mahindi 2kg", 190, 3)],
]
# C2B confirmations the relay has seen (event id, relay seq, amount, account reference, receipt,
# payer, minutes ago); the first carries the receipt code of the last proof below
C2B_SEEN = [
    ("c2b-7d1e6a0c-demo", 41, 70_000, "ORDER", "SGL3M8TR2A", "2547****1234", 35),
    ("c2b-91f4b2d7-demo", 44, 35_000, "JIKO", "SGN2P5TX9C", "2547****9921", 12),
]


def seed_demo(
    desk: SupervisorDesk, receipt_photo: bytes | None = None, now: datetime | None = None
) -> DemoIds:
    """Fill an empty ledger with the day; `now` dates the relay's C2B confirmations."""
    now = now or datetime.now(UTC)
    sup = desk.users.create_user("Amina Wanjiru", "supervisor", DEMO_PINS["Amina Wanjiru"])

    def staff() -> Grant:  # each grant allows one change
        return desk.users.grant(sup.id, DEMO_PINS["Amina Wanjiru"], Action.STAFF)

    cashier = desk.users.create_user(
        "Otieno Kamau", "cashier", DEMO_PINS["Otieno Kamau"], grant=staff(), language="sw"
    )
    sup2 = desk.users.create_user(
        "Grace Njeri", "supervisor", DEMO_PINS["Grace Njeri"], grant=staff()
    )
    desk.shop.update(
        desk.users.grant(sup.id, DEMO_PINS["Amina Wanjiru"], Action.SETTINGS),
        shop_name="Mama Njeri General Store",
        receipt_header="Moi Avenue, Nairobi · PIN P051234567X",
    )
    shift = desk.shifts.open_shift(cashier.id, _kes(2_000))
    ids = DemoIds(sup, cashier, sup2, shift.id)

    for day, lines in enumerate(BASKETS):
        for repeat in range(1 + day % 3):
            draft = desk.orders.draft(
                [OrderLine(name, _kes(price), qty) for name, price, qty in lines]
            )
            sale = desk.payments.record_cash_sale(
                draft, draft.total + _kes(50 * repeat), cashier_id=cashier.id, shift_id=shift.id
            )
            ids.cash_payments.append(sale.payment_id)

    def proof_sale(
        lines: list[tuple[str, int, int]],
        kind: ProofType,
        code: str,
        note: str,
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
        ids.proof_payments.append(pay_id)
        return pay_id

    proof_sale(
        [("Gunia la mchele 25kg", 4_200, 1)],
        ProofType.MPESA_RECEIPT,
        "SGK7H2XQ4P",
        "Customer showed the M-Pesa SMS",
        receipt_photo,
    )
    proof_sale(
        [("Mafuta ya kupikia 3L", 890, 2)],
        ProofType.MPESA_RECEIPT,
        "sgk7h2xq4p",
        "Same code as this morning?",
        None,
    )
    proof_sale(
        [("Bati 3m", 1_150, 6)],
        ProofType.BANK_TRANSFER,
        "KCB-FT-2291-0087",
        "Transfer from KCB app",
        receipt_photo,
    )
    proof_sale(
        [("Sukari 2kg", 350, 2)],
        ProofType.MPESA_RECEIPT,
        "SGL3M8TR2A",
        "Paid from the SIM menu",
        None,
    )
    _relay_saw_c2b(desk, now)

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

    cod_order = desk.orders.create_order(
        [OrderLine("Jiko la mkaa", _kes(1_800), 1)], cashier_id=cashier.id, shift_id=shift.id
    )
    cod = desk.payments.create_cod(cod_order.id, created_by=cashier.id)
    ids.cod_payments.append(cod.id)

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


def _relay_saw_c2b(desk: SupervisorDesk, now: datetime) -> None:
    """The C2B confirmations arrive as the pull stream delivers them: matching no open sale,
    they are kept for the supervisor."""
    events = PaymentEvents(desk.ledger, desk.bus)
    with events.batch() as batch:
        for event_id, seq, amount_minor, reference, receipt, payer, minutes in C2B_SEEN:
            outcome = ProviderOutcome(
                event_id=event_id,
                seq=seq,
                provider="mpesa",
                channel="mpesa_c2b",
                status="paid",
                payment_id=None,
                amount_minor=amount_minor,
                currency="KES",
                reference=reference,
                receipt=receipt,
                payer=payer,
                result_code=None,
                message=None,
                test_mode=False,
                occurred_at=now - timedelta(minutes=minutes),
                received_at=now - timedelta(minutes=minutes - 1),
            )
            batch.mark_applied(outcome, events.apply(batch, outcome))
