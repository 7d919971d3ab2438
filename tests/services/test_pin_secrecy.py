"""PIN hashes are sealed under the data key: till.db alone confirms no PIN; old bare hashes
are sealed at start-up and still verify; a shop can require 6-digit PINs."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from pathlib import Path

import pytest
from ledger_helpers import CASHIER_PIN, SUPERVISOR_PIN, Till

from pos_app.config import TillSettings
from pos_app.core.errors import InvalidInput
from pos_app.services import build_services
from pos_app.services import users as users_module
from pos_app.services.grants import Action
from pos_app.store.db import open_ledger
from pos_app.store.pin_seal import BARE_SCRYPT_BYTES


def _offline_guess(db: Path, user_id: str, pin: str) -> bool:
    """What an attacker holding only the file can test: scrypt(pin, salt) against the stored
    hash, bare or under any key derivable from the file."""
    with sqlite3.connect(db) as conn:
        stored, salt = conn.execute(
            "SELECT pin_hash, pin_salt FROM users WHERE id = ?", (user_id,)
        ).fetchone()
    stretched = users_module.PIN_KDF.stretch(pin, salt)
    candidates = {stretched, hmac.new(salt, stretched, hashlib.sha256).digest()}
    return any(c == stored or c in stored for c in candidates)


def test_the_file_alone_does_not_confirm_a_known_pin(till: Till) -> None:
    db = till.ledger.settings.database
    assert not _offline_guess(db, till.cashier.id, CASHIER_PIN)
    assert not _offline_guess(db, till.supervisor.id, SUPERVISOR_PIN)
    # while the till itself, holding the key, still checks it
    assert till.services.users.verify_pin(till.cashier.id, CASHIER_PIN).id == till.cashier.id


def test_bare_hashes_of_an_older_till_are_sealed_at_start_and_still_verify(
    tmp_path: Path,
) -> None:
    settings = TillSettings(data_dir=tmp_path, keyring="memory")
    ledger = open_ledger(settings)
    users = build_services(ledger).users
    boss = users.create_user("Amina", "supervisor", SUPERVISOR_PIN)
    ledger.close()
    with sqlite3.connect(settings.database) as conn:  # as a till before migration 0006 kept it
        (salt,) = conn.execute("SELECT pin_salt FROM users").fetchone()
        conn.execute(
            "UPDATE users SET pin_hash = ?", (users_module.PIN_KDF.stretch(SUPERVISOR_PIN, salt),)
        )
    assert _offline_guess(settings.database, boss.id, SUPERVISOR_PIN)

    ledger = open_ledger(settings)
    try:
        assert not _offline_guess(settings.database, boss.id, SUPERVISOR_PIN)
        with sqlite3.connect(settings.database) as conn:
            (length,) = conn.execute("SELECT length(pin_hash) FROM users").fetchone()
        assert length > BARE_SCRYPT_BYTES
        assert build_services(ledger).users.verify_pin(boss.id, SUPERVISOR_PIN).id == boss.id
    finally:
        ledger.close()


def test_a_shop_may_require_six_digit_pins(till: Till) -> None:
    till.services.shop.update(till.grant(Action.SETTINGS), min_pin_length=6)
    with pytest.raises(InvalidInput, match="6 to 8 digits"):
        till.services.users.create_user("Eve", "cashier", "4321", grant=till.grant(Action.STAFF))
    till.services.users.create_user("Eve", "cashier", "432198", grant=till.grant(Action.STAFF))
    # a PIN chosen before still signs in (it is changed at the next reset)
    assert till.services.users.verify_pin(till.cashier.id, CASHIER_PIN).id == till.cashier.id
    with pytest.raises(InvalidInput):
        till.services.shop.update(till.grant(Action.SETTINGS), min_pin_length=5)
