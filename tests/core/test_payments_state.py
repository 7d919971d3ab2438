from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.core.errors import IllegalTransition
from pos_app.core.payments import (
    PAID_STATUSES,
    TERMINAL_STATUSES,
    TRANSITIONS,
    PaymentMethod,
    PaymentStatus,
    can_transition,
    initial_status,
    transition,
)

S = PaymentStatus
statuses = st.sampled_from(list(PaymentStatus))


def test_every_status_has_a_row() -> None:
    assert set(TRANSITIONS) == set(PaymentStatus)


@pytest.mark.parametrize(
    "path",
    [
        # online: STK push
        [S.PENDING, S.INITIATING, S.AWAITING_CUSTOMER, S.SUCCEEDED, S.REFUNDED],
        [S.PENDING, S.INITIATING, S.AWAITING_CUSTOMER, S.FAILED],
        [S.PENDING, S.INITIATING, S.AWAITING_CUSTOMER, S.CANCELLED],
        [S.PENDING, S.INITIATING, S.AWAITING_CUSTOMER, S.EXPIRED],
        [S.PENDING, S.INITIATING, S.AWAITING_CUSTOMER, S.UNKNOWN, S.SUCCEEDED],
        [S.PENDING, S.INITIATING, S.UNKNOWN, S.FAILED],
        # manual proof
        [S.PENDING, S.AWAITING_VERIFICATION, S.VERIFIED, S.PARTIALLY_REFUNDED, S.REFUNDED],
        [S.PENDING, S.AWAITING_VERIFICATION, S.REJECTED],
        # cash on delivery
        [S.AWAITING_COD, S.SUCCEEDED],
        [S.AWAITING_COD, S.CANCELLED],
        # cash
        [S.PENDING, S.SUCCEEDED, S.VOIDED],
    ],
)
def test_documented_paths_are_allowed(path: list[PaymentStatus]) -> None:
    status = path[0]
    for nxt in path[1:]:
        status = transition(status, nxt)
    assert status == path[-1]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.SUCCEEDED, S.FAILED),
        (S.FAILED, S.SUCCEEDED),
        (S.REJECTED, S.VERIFIED),
        (S.PENDING, S.VERIFIED),  # no approval without a proof
        (S.AWAITING_VERIFICATION, S.SUCCEEDED),
        (S.AWAITING_COD, S.REFUNDED),
        (S.REFUNDED, S.SUCCEEDED),
        (S.CANCELLED, S.PENDING),
    ],
)
def test_illegal_transitions_name_both_ends(current: PaymentStatus, target: PaymentStatus) -> None:
    with pytest.raises(IllegalTransition) as info:
        transition(current, target)
    assert info.value.current == current.value
    assert info.value.target == target.value
    assert current.value in info.value.message and target.value in info.value.message


@given(statuses, statuses)
def test_transition_agrees_with_the_table(current: PaymentStatus, target: PaymentStatus) -> None:
    allowed = target in TRANSITIONS[current]
    assert can_transition(current, target) == allowed
    if allowed:
        assert transition(current, target) is target
    else:
        with pytest.raises(IllegalTransition):
            transition(current, target)


@given(st.sampled_from(list(PaymentMethod)), st.lists(statuses, max_size=30))
def test_any_walk_only_visits_reachable_states(
    method: PaymentMethod, attempts: list[PaymentStatus]
) -> None:
    status = initial_status(method)
    for target in attempts:
        try:
            status = transition(status, target)
        except IllegalTransition:
            continue
        assert status is target
    if status in TERMINAL_STATUSES:
        assert not TRANSITIONS[status]


@given(statuses)
def test_terminal_states_are_final_and_money_only_leaves_paid_states(status: PaymentStatus) -> None:
    if status in TERMINAL_STATUSES:
        assert all(not can_transition(status, t) for t in PaymentStatus)
    for target in (S.REFUNDED, S.PARTIALLY_REFUNDED):
        if can_transition(status, target):
            assert status in PAID_STATUSES


def test_unknown_strings_are_never_allowed() -> None:
    assert not can_transition("pending", "teleported")
    with pytest.raises(IllegalTransition):
        transition("nonsense", "succeeded")


def test_initial_status_per_method() -> None:
    assert initial_status(PaymentMethod.CASH_ON_DELIVERY) is S.AWAITING_COD
    assert initial_status(PaymentMethod.MPESA_PAYBILL) is S.AWAITING_CUSTOMER
    assert initial_status(PaymentMethod.MPESA_STK) is S.PENDING
