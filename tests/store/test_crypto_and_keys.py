from __future__ import annotations

import base64
import os
import sqlite3
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from keyring.errors import NoKeyringError

from pos_app.config import TillSettings
from pos_app.core.errors import DecryptionError, KeyUnavailable, WrongDataKey
from pos_app.store import state
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import demo_key_file, open_ledger
from pos_app.store.keys import (
    DEMO_KEY_FILE,
    ENV_KEY,
    DataKeys,
    EnvKeyStore,
    KeyringKeyStore,
    MemoryKeyring,
    is_demo,
    key_store,
)
from pos_app.store.rotate import retire_old_keys, rotate_data_key


def cipher(seed: int = 1, version: int = 1) -> FieldCipher:
    return FieldCipher(DataKeys({version: bytes([seed]) * 32}, version))


def test_round_trip_and_random_nonce() -> None:
    c = cipher()
    a = c.encrypt("Jane Wanjiru", "customers", "name_ct", "row-1")
    b = c.encrypt("Jane Wanjiru", "customers", "name_ct", "row-1")
    assert a != b  # a fresh nonce each time
    assert c.decrypt_text(a, "customers", "name_ct", "row-1") == "Jane Wanjiru"
    assert b"Jane" not in a


@pytest.mark.parametrize(
    ("table", "column", "row"),
    [
        ("customers", "name_ct", "row-2"),  # moved to another row
        ("customers", "phone_ct", "row-1"),  # moved to another column
        ("proofs", "name_ct", "row-1"),  # moved to another table
    ],
)
def test_ciphertext_moved_elsewhere_does_not_decrypt(table: str, column: str, row: str) -> None:
    c = cipher()
    blob = c.encrypt("0712345678", "customers", "name_ct", "row-1")
    with pytest.raises(DecryptionError, match="altered or copied"):
        c.decrypt(blob, table, column, row)


def test_tampered_ciphertext_does_not_decrypt() -> None:
    c = cipher()
    blob = bytearray(c.encrypt("QKX1234ABC", "proofs", "reference_ct", "p1"))
    blob[-1] ^= 0x01
    with pytest.raises(DecryptionError):
        c.decrypt(bytes(blob), "proofs", "reference_ct", "p1")
    with pytest.raises(DecryptionError, match="too short"):
        c.decrypt(b"\x01\x00", "proofs", "reference_ct", "p1")


def test_wrong_key_does_not_decrypt() -> None:
    blob = cipher(1).encrypt("secret", "t", "c", "r")
    with pytest.raises(DecryptionError):
        cipher(2).decrypt(blob, "t", "c", "r")


def test_relabelled_key_version_does_not_decrypt() -> None:
    keys = DataKeys({1: b"\x01" * 32, 2: b"\x01" * 32}, 2)
    c = FieldCipher(keys)
    blob = bytearray(c.encrypt("x", "t", "c", "r", version=1))
    blob[2] = 2  # claim version 2 (same key bytes, but the header is authenticated)
    with pytest.raises(DecryptionError):
        c.decrypt(bytes(blob), "t", "c", "r")


def test_ciphertext_carries_its_key_version() -> None:
    c = FieldCipher(DataKeys({1: b"\x01" * 32, 3: b"\x03" * 32}, 3))
    assert c.version_of(c.encrypt("x", "t", "c", "r")) == 3
    old = c.encrypt("x", "t", "c", "r", version=1)
    assert c.version_of(old) == 1
    assert c.decrypt_text(old, "t", "c", "r") == "x"
    only_new = FieldCipher(DataKeys({3: b"\x03" * 32}, 3))
    with pytest.raises(KeyUnavailable, match="version 1"):
        only_new.decrypt(old, "t", "c", "r")


def test_blind_index_is_keyed_deterministic_and_separated_by_kind() -> None:
    c = cipher(1)
    assert c.blind_index("phone", "+254712345678") == c.blind_index("phone", "+254712345678")
    assert c.blind_index("phone", "+254712345678") != c.blind_index("reference", "+254712345678")
    assert c.blind_index("phone", "+254712345678") != cipher(2).blind_index(
        "phone", "+254712345678"
    )
    # the index key is not the encryption key: different HKDF labels
    assert len(c.blind_index("phone", "x")) == 32


def test_key_material_never_printed() -> None:
    keys = DataKeys({1: b"\x42" * 32}, 1)
    assert "42" not in repr(keys) and "B" * 4 not in repr(keys)
    assert "\\x42" not in repr(FieldCipher(keys))


# --- key stores ---------------------------------------------------------------------------------
def test_fail_keyring_without_fallback_refuses_with_instructions() -> None:
    with pytest.raises(KeyUnavailable, match="DUKA_DATA_KEY") as info:
        KeyringKeyStore(keyring.backends.fail.Keyring())
    assert "unencrypted" in info.value.message


def test_keyring_raising_no_keyring_error_is_key_unavailable() -> None:
    class Broken(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise NoKeyringError("none")

    with pytest.raises(KeyUnavailable, match="DUKA_DATA_KEY"):
        KeyringKeyStore(Broken()).load()


def test_first_run_creates_a_32_byte_key_in_the_keyring() -> None:
    backend = MemoryKeyring()
    store = KeyringKeyStore(backend)
    assert store.load() is None
    keys = store.create_first()
    raw = base64.b64decode(backend.get_password("duka-pos", "data-key-v1") or "")
    assert len(raw) == 32 and keys.keys[1] == raw and keys.current == 1
    assert store.add_version().current == 2
    assert sorted(store.load().keys) == [1, 2]  # type: ignore[union-attr]


def test_env_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    key = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv(ENV_KEY, key)
    store = key_store("")
    assert isinstance(store, EnvKeyStore)
    assert store.load().keys[1] == base64.b64decode(key)
    monkeypatch.setenv(ENV_KEY, f"2:{key},1:{key}")
    loaded = key_store("").load()
    assert loaded is not None and loaded.current == 2
    for bad in ("not base64!", base64.b64encode(b"short").decode(), "x:" + key):
        monkeypatch.setenv(ENV_KEY, bad)
        with pytest.raises(KeyUnavailable):
            key_store("")


def test_unknown_keyring_choice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    with pytest.raises(KeyUnavailable, match="DUKA_KEYRING"):
        key_store("vault")


# --- the ledger and its key ---------------------------------------------------------------------
def test_open_refuses_when_the_key_of_an_existing_database_is_missing(tmp_path: Path) -> None:
    settings = TillSettings(data_dir=tmp_path, keyring="memory")
    open_ledger(settings, keys=KeyringKeyStore(MemoryKeyring())).close()
    empty = MemoryKeyring()
    with pytest.raises(KeyUnavailable, match="not in the keyring"):
        open_ledger(settings, keys=KeyringKeyStore(empty))
    assert empty.get_password("duka-pos", "data-key-current") is None  # no new key made


def test_open_refuses_a_wrong_key_and_changes_nothing(tmp_path: Path) -> None:
    settings = TillSettings(data_dir=tmp_path, keyring="memory")
    open_ledger(settings, keys=KeyringKeyStore(MemoryKeyring())).close()
    before = (tmp_path / "till.db").read_bytes()
    other = KeyringKeyStore(MemoryKeyring())
    other.create_first()
    with pytest.raises(WrongDataKey, match="does not belong"):
        open_ledger(settings, keys=other)
    db = sqlite3.connect(tmp_path / "till.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    assert (tmp_path / "till.db").read_bytes() == before


def test_open_with_env_key_and_reopen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_KEY, base64.b64encode(os.urandom(32)).decode())
    settings = TillSettings(data_dir=tmp_path, keyring="")
    open_ledger(settings).close()
    open_ledger(settings).close()
    monkeypatch.setenv(ENV_KEY, base64.b64encode(os.urandom(32)).decode())
    with pytest.raises(WrongDataKey):
        open_ledger(settings)


def test_memory_keyring_is_never_picked_automatically() -> None:
    # keyring registers every backend subclass; a viable one would beat the `fail` backend
    # on a headless till and keep the data key only in memory
    assert MemoryKeyring.viable is False
    backend = MemoryKeyring()
    backend.set_password("duka-pos", "x", "y")
    assert backend.get_password("duka-pos", "x") == "y"


def test_with_no_keyring_only_demo_mode_keeps_its_own_key_in_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    monkeypatch.setattr(keyring, "get_keyring", keyring.backends.fail.Keyring)
    demo = TillSettings(data_dir=tmp_path / "demo", keyring="")
    ledger = open_ledger(demo)
    assert is_demo(ledger.key_store)
    ledger.close()
    open_ledger(demo).close()  # the same key again, from the file
    real = TillSettings(data_dir=tmp_path / "real", keyring="", relay_url="https://relay.test")
    with pytest.raises(KeyUnavailable, match="No working OS keyring"):
        open_ledger(real)
    # a ledger made with a keyring that has gone: never silently a demo key
    made_with_keyring = TillSettings(data_dir=tmp_path / "was-keyring", keyring="")
    open_ledger(made_with_keyring, keys=KeyringKeyStore(MemoryKeyring())).close()
    assert demo_key_file(made_with_keyring) is None
    with pytest.raises(KeyUnavailable, match="No working OS keyring"):
        open_ledger(made_with_keyring)
    assert not (tmp_path / "was-keyring" / DEMO_KEY_FILE).exists()


def test_key_rotation_re_encrypts_the_secret_facts(tmp_path: Path) -> None:
    keys = KeyringKeyStore(MemoryKeyring())
    ledger = open_ledger(TillSettings(data_dir=tmp_path, keyring="memory"), keys=keys)
    try:
        with ledger.write() as conn:
            state.put_secret(conn, ledger.cipher, state.SECRET_PREFIX + "token", "s3cret")
        rotate_data_key(ledger)
        retire_old_keys(ledger)
        with ledger.read() as conn:
            assert state.get_secret(conn, ledger.cipher, state.SECRET_PREFIX + "token") == "s3cret"
    finally:
        ledger.close()
