"""Field encryption (AES-256-GCM) and keyed blind indexes (HMAC-SHA256).

Ciphertext layout: format byte (1) | key version (2, big-endian) | nonce (12) | ct + tag.
The associated data is "table|column|row_id" plus the header, so a value copied to another
row or column, or re-labelled with another key version, fails authentication.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import struct
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pos_app.core.errors import DecryptionError, KeyUnavailable
from pos_app.store.keys import DataKeys

FORMAT: Final = 1
_HEADER = struct.Struct(">BH")
NONCE_BYTES: Final = 12
FIELD_INFO: Final = b"duka-pos/field-encryption/aes-256-gcm"
INDEX_INFO: Final = b"duka-pos/blind-index/hmac-sha256"
BACKUP_INFO: Final = b"duka-pos/backup/aes-256-gcm"


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


class FieldCipher:
    def __init__(self, keys: DataKeys) -> None:
        self.current_version = keys.current
        self._aead = {v: AESGCM(_derive(k, FIELD_INFO)) for v, k in keys.keys.items()}
        self._index = {v: _derive(k, INDEX_INFO) for v, k in keys.keys.items()}
        self._backup = {v: AESGCM(_derive(k, BACKUP_INFO)) for v, k in keys.keys.items()}

    def __repr__(self) -> str:
        return f"FieldCipher(versions={sorted(self._aead)}, current={self.current_version})"

    @property
    def versions(self) -> list[int]:
        return sorted(self._aead)

    def encrypt(
        self,
        value: str | bytes,
        table: str,
        column: str,
        row_id: str,
        version: int | None = None,
    ) -> bytes:
        version = self.current_version if version is None else version
        data = value.encode() if isinstance(value, str) else value
        header = _HEADER.pack(FORMAT, version)
        nonce = secrets.token_bytes(NONCE_BYTES)
        aad = header + f"{table}|{column}|{row_id}".encode()
        return header + nonce + self._aead_for(version).encrypt(nonce, data, aad)

    def encrypt_opt(
        self, value: str | bytes | None, table: str, column: str, row_id: str
    ) -> bytes | None:
        return None if value is None else self.encrypt(value, table, column, row_id)

    def decrypt(self, blob: bytes, table: str, column: str, row_id: str) -> bytes:
        where = f"{table}.{column} of row {row_id}"
        version = self.version_of(blob, where)
        header, nonce, body = blob[:3], blob[3 : 3 + NONCE_BYTES], blob[3 + NONCE_BYTES :]
        aad = header + f"{table}|{column}|{row_id}".encode()
        try:
            return self._aead_for(version).decrypt(nonce, bytes(body), aad)
        except InvalidTag:
            raise DecryptionError(
                f"Cannot decrypt {where}: the data key is wrong, or the stored value was "
                "altered or copied from another row."
            ) from None

    def decrypt_text(self, blob: bytes, table: str, column: str, row_id: str) -> str:
        return self.decrypt(blob, table, column, row_id).decode()

    def decrypt_text_opt(
        self, blob: bytes | None, table: str, column: str, row_id: str
    ) -> str | None:
        return None if blob is None else self.decrypt_text(blob, table, column, row_id)

    def version_of(self, blob: bytes, where: str = "a value") -> int:
        if len(blob) < _HEADER.size + NONCE_BYTES + 16:
            raise DecryptionError(f"Cannot decrypt {where}: it is too short to be ciphertext.")
        fmt, version = _HEADER.unpack_from(blob)
        if fmt != FORMAT:
            raise DecryptionError(f"Cannot decrypt {where}: unknown format {fmt}.")
        return int(version)

    def _aead_for(self, version: int) -> AESGCM:
        try:
            return self._aead[version]
        except KeyError:
            raise KeyUnavailable(
                f"Data key version {version} is needed but not in the keyring."
            ) from None

    def backup_aead(self, version: int | None = None) -> AESGCM:
        """The AEAD that seals whole-file backups (a key of its own, derived like the rest)."""
        version = self.current_version if version is None else version
        try:
            return self._backup[version]
        except KeyError:
            raise KeyUnavailable(
                f"Data key version {version} is needed for this backup but not in the keyring."
            ) from None

    def blind_index(self, kind: str, normalized: str, version: int | None = None) -> bytes:
        """A keyed, deterministic tag of a normalised value: equal inputs, equal tags."""
        version = self.current_version if version is None else version
        try:
            key = self._index[version]
        except KeyError:
            raise KeyUnavailable(f"Data key version {version} is not in the keyring.") from None
        return hmac.new(key, f"{kind}\x00{normalized}".encode(), hashlib.sha256).digest()
