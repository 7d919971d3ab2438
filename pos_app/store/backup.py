"""Encrypted backups of the ledger file, and restoring one.

A backup is SQLite's online backup API copying the live file page by page (writers wait
only for one step at a time), then the copy sealed with AES-256-GCM under a key derived
from the data key (crypto.BACKUP_INFO), streamed in 1 MiB chunks. Each chunk's nonce is the
file's random prefix plus the chunk number, and its associated data the file header, the
chunk number and a "last chunk" flag: chunks cannot be reordered, dropped or cut off without
the tag failing. Every backup (and every copy of it) is checked after writing: decrypted
into a temporary file and put through quick_check.

The plain snapshot exists only for the moments of sealing and checking, next to till.db,
which holds the same bytes already (personal fields stay encrypted inside either way).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO, Final

from cryptography.exceptions import InvalidTag

from pos_app.core.errors import StoreError
from pos_app.store import integrity
from pos_app.store.crypto import FieldCipher

MAGIC: Final = b"DUKABAK1"
SUFFIX: Final = ".dukabak"
CHUNK: Final = 1 << 20
STEP_PAGES: Final = 256
_HEAD = struct.Struct(">8sH8s")  # magic, data-key version, nonce prefix
_LEN = struct.Struct(">I")


class BackupUnreadable(StoreError):
    """A backup that does not decrypt, is cut short, or holds a damaged ledger."""


@dataclass(frozen=True, slots=True)
class BackupMade:
    path: Path
    copies: tuple[Path, ...]
    size: int


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


@contextmanager
def _temporary(near: Path, label: str) -> Iterator[Path]:
    path = near.parent / f".{near.name}.{label}.{secrets.token_hex(4)}.tmp"
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def snapshot(db: Path, to: Path) -> None:
    """A consistent copy of the live ledger through SQLite's online backup API."""
    source = sqlite3.connect(db)
    target = sqlite3.connect(to)
    try:
        source.backup(target, pages=STEP_PAGES)
    finally:
        target.close()
        source.close()


def _aad(header: bytes, number: int, last: bool) -> bytes:
    return header + number.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def seal(cipher: FieldCipher, plain: Path, out: Path) -> None:
    prefix = secrets.token_bytes(8)
    header = _HEAD.pack(MAGIC, cipher.current_version, prefix)
    aead = cipher.backup_aead()
    with plain.open("rb") as src, out.open("wb") as dst:
        dst.write(header)
        number, chunk = 0, src.read(CHUNK)
        while True:
            following = src.read(CHUNK)
            last = not following
            nonce = prefix + number.to_bytes(4, "big")
            body = aead.encrypt(nonce, chunk, _aad(header, number, last))
            dst.write(_LEN.pack(len(body)) + body)
            if last:
                break
            number, chunk = number + 1, following
        dst.flush()
        os.fsync(dst.fileno())


def _read_exact(src: BinaryIO, size: int, what: str) -> bytes:
    data = src.read(size)
    if len(data) != size:
        raise BackupUnreadable(f"{what} is cut short: it cannot be restored.")
    return data


def unseal(cipher: FieldCipher, sealed: Path, out: Path) -> None:
    what = f"The backup {sealed.name}"
    with sealed.open("rb") as src, out.open("wb") as dst:
        header = src.read(_HEAD.size)
        if len(header) != _HEAD.size or header[:8] != MAGIC:
            raise BackupUnreadable(f"{what} is not a Duka POS backup.")
        _, version, prefix = _HEAD.unpack(header)
        aead = cipher.backup_aead(version)
        number = 0
        size_bytes = _read_exact(src, _LEN.size, what)
        while True:
            body = _read_exact(src, _LEN.unpack(size_bytes)[0], what)
            size_bytes = src.read(_LEN.size)
            last = not size_bytes
            try:
                dst.write(
                    aead.decrypt(
                        prefix + number.to_bytes(4, "big"), body, _aad(header, number, last)
                    )
                )
            except InvalidTag:
                raise BackupUnreadable(
                    f"{what} does not decrypt with this till's data key, or was altered or cut "
                    "short."
                ) from None
            if last:
                return
            number += 1


def verify(cipher: FieldCipher, sealed: Path) -> None:
    """Decrypt into a temporary file and quick_check it; BackupUnreadable when unsound."""
    with _temporary(sealed, "check") as plain:
        unseal(cipher, sealed, plain)
        result = integrity.quick_check(plain, budget_s=60.0)
        if not result.sound:
            raise BackupUnreadable(
                f"The backup {sealed.name} holds a damaged ledger: " + "; ".join(result.findings)
            )


def make_backup(
    db: Path,
    cipher: FieldCipher,
    data_dir: Path,
    *,
    copy_dir: Path | None = None,
    keep_days: int = 14,
    now: datetime | None = None,
) -> BackupMade:
    """Snapshot, seal, check; copy to `copy_dir` (checked too); drop backups older than
    `keep_days` in both places. Slow: call it from a worker, never the GUI thread."""
    now = now or datetime.now(UTC)
    folder = backups_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"till-{now:%Y%m%dT%H%M%S%fZ}{SUFFIX}"
    with _temporary(db, "snapshot") as plain, _temporary(final, "partial") as partial:
        snapshot(db, plain)
        seal(cipher, plain, partial)
        verify(cipher, partial)
        os.replace(partial, final)
    copies: list[Path] = []
    if copy_dir is not None:
        copy_dir.mkdir(parents=True, exist_ok=True)
        copy = copy_dir / final.name
        shutil.copyfile(final, copy)
        verify(cipher, copy)
        copies.append(copy)
    for place in (folder, *([copy_dir] if copy_dir else [])):
        prune(place, keep_days, now)
    return BackupMade(final, tuple(copies), final.stat().st_size)


def prune(folder: Path, keep_days: int, now: datetime) -> list[Path]:
    cutoff = (now - timedelta(days=keep_days)).timestamp()
    gone = [p for p in folder.glob(f"till-*{SUFFIX}") if p.stat().st_mtime < cutoff]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def latest(*folders: Path | None) -> Path | None:
    found = [p for f in folders if f is not None and f.is_dir() for p in f.glob(f"till-*{SUFFIX}")]
    return max(found, key=lambda p: p.name) if found else None


@dataclass(frozen=True, slots=True)
class Restored:
    backup: Path
    set_aside: Path | None  # where the replaced (damaged) files went


def restore(cipher: FieldCipher, backup: Path, db: Path, now: datetime | None = None) -> Restored:
    """Put `backup` in place of the ledger at `db`. The files it replaces are moved to a
    "damaged-<time>" folder beside it, never deleted (support may need them)."""
    now = now or datetime.now(UTC)
    db.parent.mkdir(parents=True, exist_ok=True)
    with _temporary(db, "restore") as plain:
        unseal(cipher, backup, plain)
        result = integrity.quick_check(plain, budget_s=60.0)
        if not result.sound:
            raise BackupUnreadable(f"The backup {backup.name} holds a damaged ledger.")
        aside: Path | None = None
        for suffix in ("", "-wal", "-shm"):
            old = db.with_name(db.name + suffix)
            if old.exists():
                aside = aside or db.parent / f"damaged-{now:%Y%m%dT%H%M%SZ}"
                aside.mkdir(exist_ok=True)
                os.replace(old, aside / old.name)
        os.replace(plain, db)
    return Restored(backup, aside)
