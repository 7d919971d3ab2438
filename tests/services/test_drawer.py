"""A "No sale" drawer opening is audited, by a signed-in user, inside an open shift."""

from __future__ import annotations

import pytest
from ledger_helpers import Till, kes

from pos_app.core.errors import NotFound, ShiftError
from pos_app.services.drawer import record_no_sale


def test_no_sale_is_one_audited_change_in_the_open_shift(till: Till) -> None:
    s = till.services
    with pytest.raises(ShiftError):
        record_no_sale(s.ledger, s.bus, till.cashier.id)
    shift = s.shifts.open_shift(till.cashier.id, kes(500_00))
    before = till.counts()
    assert record_no_sale(s.ledger, s.bus, till.cashier.id) == shift.id
    entry = s.audit.recent(limit=1)[0]
    assert (entry.action, entry.actor, entry.entity_id) == (
        "drawer.no_sale", till.cashier.id, shift.id
    )
    after = till.counts()
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"audit_log"}  # no money moved: nothing but the record
    assert s.audit.verify_chain() is None


def test_an_unknown_user_cannot_open_the_drawer(till: Till) -> None:
    s = till.services
    s.shifts.open_shift(till.cashier.id, kes(500_00))
    before = till.counts()
    with pytest.raises(NotFound):
        record_no_sale(s.ledger, s.bus, "not-a-user")
    assert till.counts() == before
