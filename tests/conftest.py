"""Test-wide set-up that must happen before anything imports Qt or touches a keyring."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The OS keyring is unusable on a headless CI machine; tests use the in-memory backend.
os.environ["DUKA_KEYRING"] = "memory"
os.environ.pop("DUKA_DATA_KEY", None)


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    """asyncio only: the till and the relay run on it, and anyio would also run every
    `pytest.mark.anyio` test on trio, which selenium (the console's browser tests) installs."""
    return "asyncio"
