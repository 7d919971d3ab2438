"""Data-key rotation: a new key version, then every ciphertext and blind index rewritten
under it in one transaction. The old version stays in the keyring until `retire` is called,
so a crash mid-way leaves a database that still opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import column, inspect, select, table, update
from sqlalchemy.sql.expression import TableClause

from pos_app.core.identifiers import normalize_reference
from pos_app.store import state
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import KEY_CHECK, KEY_CHECK_PLAINTEXT, Ledger, verify_key
from pos_app.store.schema import sync_state


@dataclass(frozen=True, slots=True)
class Encrypted:
    table: str
    key: str  # the column whose value is the row id in the associated data
    columns: tuple[str, ...]
    # blind-index column -> (ciphertext column it indexes, index kind, normaliser)
    indexes: tuple[tuple[str, str, str, Callable[[str], str]], ...] = ()

    def construct(self) -> TableClause:
        names = {self.key, *self.columns, *(i[0] for i in self.indexes)}
        return table(self.table, *(column(n) for n in sorted(names)))


def _same(text: str) -> str:
    return text


def _code(text: str) -> str:
    return "".join(text.split()).upper()


# Every encrypted column of the till, including tables other modules migrate in.
ENCRYPTED: Final = (
    Encrypted(
        "customers",
        "id",
        ("name_ct", "phone_ct", "address_ct"),
        (("phone_bidx", "phone_ct", "phone", _same),),
    ),
    Encrypted(
        "payments",
        "id",
        ("provider_reference_ct", "receipt_number_ct", "provider_data_ct"),
        (
            ("provider_reference_bidx", "provider_reference_ct", "reference", normalize_reference),
            ("receipt_number_bidx", "receipt_number_ct", "reference", normalize_reference),
        ),
    ),
    Encrypted(
        "proofs",
        "id",
        ("reference_ct", "image_ct", "notes_ct", "decision_notes_ct"),
        (("reference_bidx", "reference_ct", "reference", normalize_reference),),
    ),
    Encrypted("outbox", "event_id", ("payload_ct",)),
    Encrypted("sms_receipts", "id", ("phone_ct",)),
    Encrypted("users", "id", ("pin_hash",)),
    Encrypted(
        "provider_events",
        "event_id",
        ("reference_ct", "receipt_ct", "payer_ct"),
        (
            ("reference_bidx", "reference_ct", "provider_reference", _code),
            ("receipt_bidx", "receipt_ct", "provider_receipt", _code),
        ),
    ),
)


def rotate_data_key(ledger: Ledger) -> tuple[int, int]:
    """Make a new data key version and re-encrypt everything under it.
    Returns (new version, rows rewritten)."""
    new_keys = ledger.key_store.add_version()
    cipher = FieldCipher(new_keys)
    rewritten = 0
    with ledger.write() as conn:
        existing = set(inspect(conn).get_table_names())
        for spec in ENCRYPTED:
            if spec.table not in existing:
                continue
            clause = spec.construct()
            key_col = clause.c[spec.key]
            for row in conn.execute(select(clause)).all():
                row_id = getattr(row, spec.key)
                plain: dict[str, bytes] = {}
                values: dict[str, bytes] = {}
                for column in spec.columns:
                    blob = getattr(row, column)
                    if blob is None:
                        continue
                    value = cipher.decrypt(blob, spec.table, column, row_id)
                    plain[column] = value
                    values[column] = cipher.encrypt(value, spec.table, column, row_id)
                for index_col, source, kind, normalise in spec.indexes:
                    if source in plain:
                        text = normalise(plain[source].decode())
                        values[index_col] = cipher.blind_index(kind, text)
                if values:
                    conn.execute(update(clause).where(key_col == row_id).values(**values))
                    rewritten += 1
        secret_keys = conn.execute(
            select(sync_state.c.key).where(sync_state.c.key.startswith(state.SECRET_PREFIX))
        ).scalars()
        for key in list(secret_keys):
            secret = state.get_secret(conn, cipher, key)
            if secret is not None:
                state.put_secret(conn, cipher, key, secret)
                rewritten += 1
        blob = cipher.encrypt(KEY_CHECK_PLAINTEXT, "sync_state", "value", KEY_CHECK)
        state.put(conn, KEY_CHECK, blob.hex())
    verify_key(cipher, blob.hex())
    ledger.cipher = cipher
    return new_keys.current, rewritten


def retire_old_keys(ledger: Ledger) -> None:
    """Drop every key version but the current one, once nothing is encrypted under them."""
    for version in ledger.cipher.versions:
        if version != ledger.cipher.current_version:
            ledger.key_store.retire(version)
    ledger.reload_keys()
