"""Authority is a proof: every privileged service call refuses anything but a fresh grant for
its own action, made from a verified PIN; the lock-out cannot be raced."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ledger_helpers import Till, kes
from sqlalchemy import select

from pos_app.config import TillSettings
from pos_app.core.errors import DukaError, NoAuthority, UserLocked, WrongPin
from pos_app.services import grants
from pos_app.services.admin import AdminService
from pos_app.services.bus import EventBus
from pos_app.services.counter import Counter
from pos_app.services.grants import Action
from pos_app.services.recovery import begin_restore
from pos_app.services.refund_requests import RelayRefunds
from pos_app.services.users import MAX_ATTEMPTS, PinKdf, UserService
from pos_app.store.db import open_ledger
from pos_app.store.schema import audit_log
from pos_app.ui.errors import error_message

Call = Callable[[Till, dict[str, Any], Any], object]


def _admin(t: Till) -> AdminService:
    return AdminService(t.ledger, t.services.bus, t.services.users, t.services.shop, lambda: None)


# each privileged call, the action its grant must name, and how it is made with grant `g`
PRIVILEGED: dict[str, tuple[Action, Call]] = {
    "change shop settings": (
        Action.SETTINGS,
        lambda t, s, g: t.services.shop.update(g, vat_bps=800),
    ),
    "add a user": (
        Action.STAFF,
        lambda t, s, g: t.services.users.create_user("Eve", "supervisor", "4444", grant=g),
    ),
    "reset a supervisor's PIN to 0000": (
        Action.STAFF,
        lambda t, s, g: _admin(t).reset_pin(t.second_supervisor.id, "0000", grant=g),
    ),
    "deactivate a user": (
        Action.STAFF,
        lambda t, s, g: _admin(t).set_active(t.cashier.id, False, grant=g),
    ),
    "change a user's language": (
        Action.STAFF,
        lambda t, s, g: _admin(t).set_language(t.cashier.id, "sw", grant=g),
    ),
    "add a product": (
        Action.CATALOGUE,
        lambda t, s, g: t.services.catalogue.add_product("Soap", kes(100), grant=g),
    ),
    "change a price": (
        Action.CATALOGUE,
        lambda t, s, g: t.services.catalogue.update_product(s["product"], grant=g, price=kes(1)),
    ),
    "import a catalogue": (
        Action.CATALOGUE,
        lambda t, s, g: t.services.catalogue.import_csv("name,price\nSalt,1\n", grant=g),
    ),
    "approve a proof": (
        Action.DECIDE_PAYMENT,
        lambda t, s, g: t.services.payments.confirm_manual_payment(s["proof"], g, True),
    ),
    "resolve an unknown payment as paid": (
        Action.DECIDE_PAYMENT,
        lambda t, s, g: t.services.payments.outcomes.resolve_unknown(s["open"], g, True),
    ),
    "refund cash": (
        Action.REFUND,
        lambda t, s, g: t.services.payments.refund(s["paid"], kes(100), "x", grant=g),
    ),
    "record a card refund": (
        Action.REFUND,
        lambda t, s, g: RelayRefunds(t.ledger, t.services.bus, lambda: None).request(
            s["paid"], kes(100), "x", method="paystack_refund", grant=g
        ),
    ),
    "start a restore of the ledger": (
        Action.RESTORE,
        lambda t, s, g: begin_restore(t.ledger, t.services.bus, g),
    ),
    "override a price at the counter": (
        Action.OVERRIDE,
        lambda t, s, g: Counter(t.services).record_price_override(kes(100), kes(50), 1, g),
    ),
}


@pytest.fixture
def state(till: Till) -> dict[str, Any]:
    pay = till.services.payments
    sale = pay.record_cash_sale(till.draft(5000), kes(5000))
    proof_order = till.order(7000)
    pay.submit_manual_payment_proof(proof_order, "mpesa_receipt", "QAB1234567")
    [proof] = pay.payments_for_order(proof_order)
    product = till.services.catalogue.add_product(
        "Milk", kes(6500), grant=till.grant(Action.CATALOGUE)
    )
    unclear = pay.create_payment(till.order(3000), 3000, "KES", "cash", "cash")
    return {"paid": sale.payment_id, "proof": proof.id, "open": unclear.id, "product": product.id}


def _bad_grants(till: Till, action: Action) -> dict[str, object]:
    """Everything that is not a valid grant for `action` (all made before counting rows)."""
    other = Action.OVERRIDE if action is not Action.OVERRIDE else Action.SETTINGS
    genuine = till.grant(action)
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    return {
        "no grant": None,
        "a bare supervisor id": till.supervisor.id,
        "an expired grant": grants.issue(till.supervisor.id, "supervisor", action, hour_ago),
        "a grant for another action": till.grant(other),
        "a grant re-labelled to this action": dataclasses.replace(till.grant(other), action=action),
        "a grant with a later expiry": dataclasses.replace(
            genuine, expires_at=genuine.expires_at + timedelta(days=1)
        ),
        "a grant claiming another user": dataclasses.replace(
            genuine, user_id=till.second_supervisor.id
        ),
    }


@pytest.mark.parametrize("name", list(PRIVILEGED))
def test_privileged_call_refuses_anything_but_its_grant(
    till: Till, state: dict[str, Any], name: str
) -> None:
    action, call = PRIVILEGED[name]
    for why, bad in _bad_grants(till, action).items():
        before = till.counts()
        with pytest.raises(NoAuthority):
            call(till, state, bad)
        assert till.counts() == before, f"{name} with {why} changed the ledger"
    call(till, state, till.grant(action))  # and the real thing works


@pytest.mark.parametrize("name", list(PRIVILEGED))
def test_a_grant_allows_one_change(till: Till, state: dict[str, Any], name: str) -> None:
    action, call = PRIVILEGED[name]
    grant = till.grant(action)
    call(till, state, grant)
    before = till.counts()
    with pytest.raises(NoAuthority, match="already used") as refused:
        call(till, state, grant)
    assert till.counts() == before, f"{name} ran twice on one grant"
    assert error_message(refused.value) != refused.value.message  # a translated sentence


def test_a_refused_change_leaves_its_grant_unspent(till: Till) -> None:
    grant = till.grant(Action.SETTINGS)
    with pytest.raises(DukaError):
        till.services.shop.update(grant, vat_bps=20000)  # out of range: rolled back
    till.services.shop.update(grant, vat_bps=800)
    assert till.services.shop.get().vat_bps == 800


def test_a_grant_spent_in_one_process_is_spent_for_every_service(till: Till) -> None:
    """The spent list is in the ledger, not in a service: another service over the same file
    refuses the grant too."""
    grant = till.grant(Action.STAFF)
    till.services.users.create_user("Eve", "cashier", "4444", grant=grant)
    with pytest.raises(NoAuthority):
        _admin(till).set_language(till.cashier.id, "sw", grant=grant)


def test_a_grant_names_its_supervisor_on_the_record(till: Till, state: dict[str, Any]) -> None:
    till.services.shop.update(till.grant(Action.SETTINGS, till.second_supervisor), vat_bps=800)
    with till.ledger.read() as conn:
        actor = conn.execute(
            select(audit_log.c.actor).where(audit_log.c.action == "settings.updated")
        ).scalar_one()
    assert actor == till.second_supervisor.id


def test_a_wrong_pin_gives_no_grant(till: Till) -> None:
    with pytest.raises(WrongPin):
        till.services.users.grant(till.supervisor.id, "0000", Action.REFUND)


def test_a_deactivated_supervisors_grant_stops_working(till: Till) -> None:
    grant = till.grant(Action.SETTINGS, till.second_supervisor)
    _admin(till).set_active(till.second_supervisor.id, False, grant=till.grant(Action.STAFF))
    with pytest.raises(Exception, match="deactivated"):
        till.services.shop.update(grant, vat_bps=800)


# --- the lock-out race ------------------------------------------------------------------------
CHEAP = PinKdf(n=2**4, r=1, p=1)  # the race is about transactions, not about scrypt's cost


def test_100_concurrent_guesses_accept_nothing_while_locked(tmp_path: Path) -> None:
    ledger = open_ledger(TillSettings(data_dir=tmp_path, keyring="memory"))
    users = UserService(ledger, EventBus(), kdf=CHEAP)
    boss = users.create_user("Amina", "supervisor", "2468")
    start = threading.Barrier(100)
    outcomes: list[str] = []
    lock = threading.Lock()

    def guess(pin: str) -> None:
        start.wait()
        try:
            users.verify_pin(boss.id, pin)
            result = "accepted"
        except UserLocked:
            result = "locked"
        except WrongPin:
            result = "wrong"
        with lock:
            outcomes.append(result)

    # 90 wrong guesses and 10 right ones, interleaved
    pins = ["2468" if i % 10 == 5 else f"{1000 + i}" for i in range(100)]
    threads = [threading.Thread(target=guess, args=(pin,)) for pin in pins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 100

    # replay the committed attempts in order: no sign-in after the lock-out began
    with ledger.read() as conn:
        actions = [
            (row.action, row.details)
            for row in conn.execute(
                select(audit_log.c.action, audit_log.c.details)
                .where(audit_log.c.entity_id == boss.id)
                .order_by(audit_log.c.seq)
            )
        ]
    failed = 0
    locked = False
    for action, _ in actions:
        if action == "user.pin_failed":
            failed += 1
            locked = locked or failed >= MAX_ATTEMPTS
        elif action == "user.signed_in":
            assert not locked, "a right PIN was accepted while the user was locked"
            failed = 0
    assert locked and outcomes.count("locked") > 0
    assert outcomes.count("accepted") == sum(a == "user.signed_in" for a, _ in actions)
    ledger.close()
