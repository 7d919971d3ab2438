from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pos_app.config import TillSettings
from pos_app.services.bus import EventBus
from pos_app.services.orders import OrderService
from pos_app.services.payments import PaymentService
from pos_app.store.db import Ledger


@pytest.fixture
def till_settings(tmp_path: Path) -> TillSettings:
    return TillSettings(data_dir=tmp_path / "till", keyring="memory", till_id="till-test")


@pytest.fixture
def ledger(
    till_settings: TillSettings, open_test_ledger: Callable[[TillSettings], Ledger]
) -> Iterator[Ledger]:
    opened = open_test_ledger(till_settings)
    yield opened
    opened.close()


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def payments(ledger: Ledger, bus: EventBus) -> PaymentService:
    return PaymentService(ledger, bus)


@pytest.fixture
def orders(ledger: Ledger, bus: EventBus) -> OrderService:
    return OrderService(ledger, bus)
