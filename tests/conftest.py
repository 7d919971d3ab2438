"""Test-wide set-up that must happen before anything imports Qt or touches a keyring."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The OS keyring is unusable on a headless CI machine; tests use the in-memory backend.
os.environ["DUKA_KEYRING"] = "memory"
os.environ.pop("DUKA_DATA_KEY", None)

@pytest.fixture
def anyio_backend() -> str:
    """The relay and the provider clients run on asyncio (uvicorn); anyio would otherwise also
    run every async test on trio whenever some package installs it (selenium does)."""
    return "asyncio"
