from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ledger_helpers import CASHIER_PIN, SECOND_SUPERVISOR_PIN, SUPERVISOR_PIN, Till

from pos_app.config import TillSettings
from pos_app.services import build_services
from pos_app.services.grants import Action, Grant
from pos_app.store.db import Ledger


@pytest.fixture
def settings(tmp_path: Path) -> TillSettings:
    return TillSettings(data_dir=tmp_path, keyring="memory")


@pytest.fixture
def till(
    settings: TillSettings, open_test_ledger: Callable[[TillSettings], Ledger]
) -> Iterator[Till]:
    ledger = open_test_ledger(settings)
    services = build_services(ledger)
    sup = services.users.create_user("Amina", "supervisor", SUPERVISOR_PIN)

    def staff() -> Grant:
        return services.users.grant(sup.id, SUPERVISOR_PIN, Action.STAFF)

    sup2 = services.users.create_user("Kofi", "supervisor", SECOND_SUPERVISOR_PIN, grant=staff())
    cashier = services.users.create_user("Brian", "cashier", CASHIER_PIN, grant=staff())
    yield Till(ledger, services, sup, cashier, sup2)
    ledger.close()
