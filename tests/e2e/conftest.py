"""End-to-end fixtures: the real relay and the sandbox (sync.demo) and a till core."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import Till, make_till

from pos_app.config import TillSettings
from pos_app.store.db import open_ledger
from sync.demo import DemoStack, start_demo_stack
from sync.sandbox.state import SandboxConfig


@pytest.fixture
def till_settings(tmp_path: Path) -> TillSettings:
    return TillSettings(data_dir=tmp_path / "till", keyring="memory", till_id="e2e-till")


@pytest.fixture
def stack(tmp_path: Path, till_settings: TillSettings) -> Iterator[DemoStack]:
    ledger = open_ledger(till_settings)  # pairing keeps the terminal token in the till's ledger
    demo = start_demo_stack(
        tmp_path,
        till=(till_settings, ledger),
        sandbox_config=SandboxConfig(callback_delay_s=0.2, duplicate_gap_s=0.2),
        stk_requery_after_s=1,
        paystack_verify_after_s=1,
        job_interval_s=60.0,  # the till's re-query, not the relay's own timer, must recover
    )
    ledger.close()
    yield demo
    demo.stop()


@pytest.fixture
def till(stack: DemoStack, till_settings: TillSettings) -> Iterator[Till]:
    made = make_till(till_settings)
    yield made
    made.close()
