from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.config import TillSettings
from pos_app.store.db import Ledger, open_ledger


@pytest.fixture
def settings(tmp_path: Path) -> TillSettings:
    return TillSettings(data_dir=tmp_path, keyring="memory")


@pytest.fixture
def ledger(settings: TillSettings) -> Iterator[Ledger]:
    opened = open_ledger(settings)
    yield opened
    opened.close()
