"""Test-wide set-up that must happen before anything imports Qt or touches a keyring."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The OS keyring is unusable on a headless CI machine; tests use the in-memory backend.
os.environ["DUKA_KEYRING"] = "memory"
os.environ.pop("DUKA_DATA_KEY", None)
# Ledger commits fsync (synchronous=FULL): 6-12 ms each on this project's CI disk under load,
# and a set-up such as seed_demo makes about 90. On a RAM disk they cost next to nothing, and
# a process killed mid-write loses nothing there either, so the crash tests keep their
# meaning. An explicit PYTEST_DEBUG_TEMPROOT wins.
if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
    os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", "/dev/shm")

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from pos_app.config import TillSettings
from pos_app.services import users
from pos_app.store.db import Ledger, create_ledger_engine, migrate, open_ledger

# Hashing a PIN costs about 0.1 s at the production cost, and fixtures create several users per
# test. tests/services/test_pin_hashing.py checks the production cost is the default.
CHEAP_PIN_KDF = users.PinKdf(n=2**4)


@pytest.fixture(scope="session", autouse=True)
def cheap_pin_hashing() -> Iterator[users.PinKdf]:
    """Yields the cost it replaced: the one the module sets, i.e. production's."""
    production = users.PIN_KDF
    # its own MonkeyPatch: a test's monkeypatch.undo() must not bring the slow cost back
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "PIN_KDF", CHEAP_PIN_KDF)
        yield production


@pytest.fixture(scope="session")
def migrated_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty ledger migrated to head, once per run (no data key check: each test's own)."""
    path = tmp_path_factory.mktemp("ledger-template") / "till.db"
    engine = create_ledger_engine(path)
    migrate(engine)
    engine.dispose()  # the last connection closing folds the WAL back: one file to copy
    return path


@pytest.fixture
def open_test_ledger(migrated_ledger: Path) -> Callable[[TillSettings], Ledger]:
    """open_ledger on a copy of the migrated template, when the test has no database yet."""

    def open_copy(settings: TillSettings) -> Ledger:
        if not settings.database.exists():
            settings.database.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(migrated_ledger, settings.database)
        return open_ledger(settings)

    return open_copy

@pytest.fixture
def anyio_backend() -> str:
    """The relay and the provider clients run on asyncio (uvicorn); anyio would otherwise also
    run every async test on trio whenever some package installs it (selenium does)."""
    return "asyncio"
