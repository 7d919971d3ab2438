"""Why an STK push failed reaches the till's ledger: the sandbox answers with Daraja's result
codes, the real relay turns them into canonical events, the till keeps the code on the payment."""

from __future__ import annotations

import pytest
from e2e_support import Till, wait_for
from test_payments_live import _start_stk

# the sandbox scripts an outcome by the phone's last digits (sync/sandbox/scripts.py)
CASES = [
    ("0712341032", "cancelled", "1032"),
    ("0712341037", "expired", "1037"),
    ("0712342001", "failed", "2001"),
    ("0712340001", "failed", "1"),
]


@pytest.mark.parametrize(("phone", "status", "code"), CASES, ids=[c[2] for c in CASES])
def test_the_result_code_of_a_declined_prompt_is_kept(
    till: Till, phone: str, status: str, code: str
) -> None:
    pid = _start_stk(till, phone)
    wait_for(lambda: till.payments.get_payment(pid).status == status, what=f"the {status} outcome")
    payment = till.payments.get_payment(pid)
    assert payment.result_code == code
    assert payment.result_message  # Daraja's ResultDesc, shortened
    assert "712" not in payment.result_message  # no phone number in it
