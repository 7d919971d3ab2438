"""PINs are stretched at the production scrypt cost (the suite's fixtures swap in a cheap one)."""

from __future__ import annotations

import hashlib

from pos_app.services import users

SALT = b"0" * 16


def test_the_module_stretches_pins_at_the_production_cost(cheap_pin_hashing: users.PinKdf) -> None:
    # cheap_pin_hashing hands back the cost pos_app.services.users set before the suite's swap
    assert (cheap_pin_hashing.n, cheap_pin_hashing.r, cheap_pin_hashing.p) == (2**14, 8, 1)
    expected = hashlib.scrypt(b"2468", salt=SALT, n=2**14, r=8, p=1, dklen=32)
    assert cheap_pin_hashing.stretch("2468", SALT) == expected


def test_the_suite_stretches_cheaply() -> None:
    assert users.PIN_KDF.n < 2**14
