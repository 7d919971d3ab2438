from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ledger_helpers import CASHIER_PIN, SUPERVISOR_PIN, Till

from pos_app.config import TillSettings
from pos_app.services import build_services
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
    sup2 = services.users.create_user("Kofi", "supervisor", "9753", created_by=sup.id)
    cashier = services.users.create_user("Brian", "cashier", CASHIER_PIN, created_by=sup.id)
    yield Till(ledger, services, sup, cashier, sup2)
    ledger.close()
