"""Random sequences of payment operations through the services never break the ledger's
invariants: a refused operation changes nothing, no order is paid beyond its total, every
status a payment passes through is a legal transition, and the audit chain holds."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_helpers import Till, kes
from sqlalchemy import select

from pos_app.config import TillSettings
from pos_app.core.errors import DukaError
from pos_app.core.payments import PAID_STATUSES, PaymentStatus, can_transition
from pos_app.services import build_services
from pos_app.services.grants import Action
from pos_app.store.db import open_ledger
from pos_app.store.schema import payments

TOTAL = 10_000
methods = st.sampled_from(
    ["cash", "mpesa_stk", "mpesa_paybill", "bank_transfer", "cash_on_delivery"]
)
amounts = st.sampled_from([1, 2_500, 5_000, 10_000, 10_001, 0, -5])
create = st.tuples(st.just("create"), methods, amounts)
operation = st.one_of(
    create,
    st.tuples(st.just("process"), st.integers(0, 3)),
    st.tuples(st.just("prompted"), st.integers(0, 3)),
    st.tuples(
        st.just("outcome"), st.integers(0, 3), st.sampled_from(["succeeded", "failed"]), amounts
    ),
    st.tuples(st.just("proof"), st.integers(0, 3)),
    st.tuples(st.just("decide"), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("settle_cod"), st.integers(0, 3), amounts),
    st.tuples(st.just("cancel"), st.integers(0, 3)),
    st.tuples(st.just("refund"), st.integers(0, 3), amounts),
    st.tuples(st.just("expire"), st.integers(0, 3)),
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Till]:
    path: Path = tmp_path_factory.mktemp("props")
    ledger = open_ledger(TillSettings(data_dir=path, keyring="memory"))
    s = build_services(ledger)
    sup = s.users.create_user("Amina", "supervisor", "2468")
    sup2 = s.users.create_user(
        "Kofi", "supervisor", "9753", grant=s.users.grant(sup.id, "2468", Action.STAFF)
    )
    cashier = s.users.create_user(
        "Brian", "cashier", "1357", grant=s.users.grant(sup.id, "2468", Action.STAFF)
    )
    yield Till(ledger, s, sup, cashier, sup2)
    ledger.close()


def statuses(till: Till, order_id: str) -> dict[str, tuple[str, int, int]]:
    with till.ledger.read() as conn:
        rows = conn.execute(
            select(
                payments.c.id, payments.c.status, payments.c.amount_minor, payments.c.refunded_minor
            ).where(payments.c.order_id == order_id)
        )
        return {r.id: (r.status, r.amount_minor, r.refunded_minor) for r in rows}


def run(
    till: Till, order_id: str, ids: list[str], op: tuple[Any, ...], grants: dict[Action, Any]
) -> None:
    pay = till.services.payments
    name = op[0]
    pick = (lambda i: ids[i % len(ids)]) if ids else None
    if name == "create":
        ids.append(pay.create_payment(order_id, op[2], "KES", None, op[1]).id)
        return
    if pick is None:
        return
    pid = pick(op[1])
    if name == "process":
        pay.process_payment(pid, {"phone_number": "0712345678"})
    elif name == "prompted":
        pay.outcomes.mark_awaiting_customer(pid, f"ws_CO_{uuid.uuid4().hex[:12]}")
    elif name == "outcome":
        pay.outcomes.apply_provider_event(
            str(uuid.uuid4()), payment_id=pid, status=op[2], amount_minor=op[3], currency="KES"
        )
    elif name == "proof":
        pay.submit_manual_payment_proof(
            order_id, "mpesa_receipt", uuid.uuid4().hex[:10], payment_id=pid
        )
    elif name == "decide":
        pay.confirm_manual_payment(pid, grants[Action.DECIDE_PAYMENT], op[2])
    elif name == "settle_cod":
        pay.settle_cod(pid, kes(op[2]), actor_id=till.cashier.id)
    elif name == "cancel":
        pay.cancel_payment(pid, actor_id=till.cashier.id, reason="test")
    elif name == "refund":
        pay.refund(pid, kes(op[2]), "test", grant=grants[Action.REFUND])
    elif name == "expire":
        pay.outcomes.expire_payment(pid)


@settings(
    max_examples=int(os.environ.get("DUKA_PROP_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(create, st.lists(operation, max_size=12))
def test_random_operations_keep_the_ledger_consistent(
    shared: Till,
    first: tuple[Any, ...],
    rest: list[tuple[Any, ...]],
) -> None:
    till = shared
    ops = [first, *rest]
    order_id = till.order(TOTAL)
    ids: list[str] = []
    for op in ops:
        # the PINs are typed before each operation (a verified PIN is audited; a grant
        # allows one change)
        grants = {a: till.grant(a) for a in (Action.DECIDE_PAYMENT, Action.REFUND)}
        before = statuses(till, order_id)
        counts = till.counts()
        try:
            run(till, order_id, ids, op, grants)
        except DukaError:
            assert statuses(till, order_id) == before and till.counts() == counts
            continue
        after = statuses(till, order_id)
        for pid, (status, _, _) in after.items():
            if pid in before and before[pid][0] != status:
                old = before[pid][0]
                # one call may pass through an intermediate state (proof on a paybill prompt)
                assert can_transition(old, status) or any(
                    can_transition(old, mid) and can_transition(mid, status)
                    for mid in PaymentStatus
                ), (old, status, op)
        paid = sum(a - r for s, a, r in after.values() if PaymentStatus(s) in PAID_STATUSES)
        assert 0 <= paid <= TOTAL
        order = till.services.orders.get_order(order_id)
        assert order.outstanding.minor >= 0
        if order.status == "paid":
            assert paid >= TOTAL or any(r for _, _, r in after.values())
    assert till.services.audit.verify_chain() is None
