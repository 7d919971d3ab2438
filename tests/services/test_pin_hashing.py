"""PINs are hashed at the production scrypt cost (the suite's fixtures swap in a cheap one)."""

from __future__ import annotations

import hashlib

import pytest

from pos_app.services import users
from pos_app.services.users import hash_pin

PRODUCTION = {"n": 2**14, "r": 8, "p": 1, "dklen": 32, "maxmem": 64 * 1024 * 1024}
SALT = b"0" * 16


def test_the_module_hashes_pins_at_the_production_cost(
    cheap_pin_hashing: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # cheap_pin_hashing hands back the cost pos_app.services.users set before the suite's swap
    assert cheap_pin_hashing == PRODUCTION
    monkeypatch.setattr(users, "PIN_SCRYPT", cheap_pin_hashing)
    assert hash_pin("2468", SALT) == hashlib.scrypt(b"2468", salt=SALT, **PRODUCTION)


def test_the_suite_hashes_cheaply() -> None:
    assert users.PIN_SCRYPT["n"] < PRODUCTION["n"]
