"""The providers' published samples (copied byte for byte from the shared reference folder)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).parent / "samples"


def sample_bytes(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def sample(name: str) -> Any:
    return json.loads(sample_bytes(name))
