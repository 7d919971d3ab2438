from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pos_app.config import TillSettings
from pos_app.store.db import Ledger


@pytest.fixture
def settings(tmp_path: Path) -> TillSettings:
    return TillSettings(data_dir=tmp_path, keyring="memory")


@pytest.fixture
def ledger(
    settings: TillSettings, open_test_ledger: Callable[[TillSettings], Ledger]
) -> Iterator[Ledger]:
    opened = open_test_ledger(settings)
    yield opened
    opened.close()
