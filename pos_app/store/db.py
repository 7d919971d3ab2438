"""Opening the ledger: engine with durable pragmas, migrations at start-up, key check.

Write transactions start with BEGIN IMMEDIATE so two writers never deadlock upgrading a
read lock; reads use a plain deferred BEGIN and see a WAL snapshot without blocking writers.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.exc import OperationalError

from pos_app.config import TillSettings
from pos_app.core.errors import (
    DecryptionError,
    DiskFull,
    KeyUnavailable,
    LedgerDamaged,
    WrongDataKey,
)
from pos_app.store import integrity, pin_seal, state
from pos_app.store.crypto import FieldCipher
from pos_app.store.keys import DEMO_KEY_FILE, KeyStore, key_store
from pos_app.store.schema import sync_state

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# Checkpoints run on a background thread (see Checkpointer); this only bounds the WAL
# should that thread ever fall behind.
AUTOCHECKPOINT_BACKSTOP_PAGES = 20_000
CHECKPOINT_INTERVAL_S = 0.5
KEY_CHECK = "key_check"
KEY_CHECK_PLAINTEXT = b"duka-pos key check"
_WRITE = "duka_write"


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # let SQLAlchemy's begin hook below emit BEGIN itself (the pysqlite recipe)
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",  # see docs/ledger.md: a sale acknowledged is a sale on disk
        "foreign_keys=ON",
        f"busy_timeout={BUSY_TIMEOUT_MS}",
        f"wal_autocheckpoint={AUTOCHECKPOINT_BACKSTOP_PAGES}",
        "journal_size_limit=67108864",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(_WRITE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def create_ledger_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite+pysqlite:///{path}", pool_size=4, max_overflow=4)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def is_disk_full(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "database or disk is full" in str(orig)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One BEGIN IMMEDIATE ... COMMIT; rolled back whole on any error."""
    try:
        with engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn
    except OperationalError as exc:
        if is_disk_full(exc):
            raise DiskFull() from exc
        raise


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn


# --- migrations -------------------------------------------------------------------------------
def alembic_config() -> Config:
    """Alembic configured from the installed package (works from a PyInstaller bundle too)."""
    cfg = Config()
    location = resources.files("pos_app.store") / "migrations"
    cfg.set_main_option("script_location", str(location))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    try:
        with write_transaction(engine) as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        cfg.attributes.pop("connection", None)


class Checkpointer:
    """Copies the WAL back into the database on its own thread and connection.

    A commit then only appends its pages to the WAL and fsyncs it; it never pays for a
    checkpoint of other transactions' pages (SQLite's default runs one inside whichever
    commit crosses 1000 pages, a latency spike for that sale). PASSIVE never blocks
    readers or writers.
    """

    def __init__(self, path: Path, interval: float = CHECKPOINT_INTERVAL_S) -> None:
        self._path = path
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ledger-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous=FULL")
            while not self._stop.wait(self._interval):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error as exc:  # e.g. disk full: commits report it themselves
                    log.warning("WAL checkpoint failed: %s", exc)
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


# --- the ledger -------------------------------------------------------------------------------
@dataclass
class Ledger:
    engine: Engine
    cipher: FieldCipher
    settings: TillSettings
    key_store: KeyStore
    checkpointer: Checkpointer | None = None
    # set when a check found the file damaged: new sales are refused (services.orders)
    damage: LedgerDamaged | None = None
    # False when the start-up quick_check stopped unfinished (a file too large for its
    # budget): services.guard.finish_start_check runs it whole in the background
    start_check_finished: bool = True

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with write_transaction(self.engine) as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with read_transaction(self.engine) as conn:
            yield conn

    def reload_keys(self) -> None:
        keys = self.key_store.load()
        if keys is None:
            raise KeyUnavailable("The data key disappeared from the keyring.")
        self.cipher = FieldCipher(keys)

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.engine.dispose()


def open_ledger(settings: TillSettings | None = None, *, keys: KeyStore | None = None) -> Ledger:
    """Open (creating if needed) the till's database, migrated to head, with its data key."""
    settings = settings or TillSettings()
    # no usable keyring: refuse before any file, unless this is (or becomes) a demo ledger
    store = keys or key_store(settings.keyring, demo_key_file(settings))
    checked = True
    if settings.database.exists():  # a damaged file must never be migrated or sold into
        result = integrity.quick_check(settings.database)
        integrity.require_sound(result)
        checked = result.finished
    engine = create_ledger_engine(settings.database)
    try:
        migrate(engine)
        with read_transaction(engine) as conn:
            check = conn.execute(
                select(sync_state.c.value).where(sync_state.c.key == KEY_CHECK)
            ).scalar_one_or_none()
        data_keys = store.load()
        if data_keys is None:
            if check is not None:
                raise KeyUnavailable(
                    "This till's database is encrypted, but its data key is not in the "
                    "keyring (service 'duka-pos'). Restore the keyring, or set DUKA_DATA_KEY "
                    "to the saved key."
                )
            data_keys = store.create_first()
        cipher = FieldCipher(data_keys)
        if check is None:
            with write_transaction(engine) as conn:
                blob = cipher.encrypt(KEY_CHECK_PLAINTEXT, "sync_state", "value", KEY_CHECK)
                state.put(conn, KEY_CHECK, blob.hex())
        else:
            verify_key(cipher, check)
        with write_transaction(engine) as conn:
            pin_seal.seal_legacy(conn, cipher)
    except BaseException:
        engine.dispose()
        raise
    checkpointer = Checkpointer(settings.database)
    checkpointer.start()
    return Ledger(engine, cipher, settings, store, checkpointer, start_check_finished=checked)


def demo_key_file(settings: TillSettings) -> Path | None:
    """Where demo mode may keep its own data key: only with no relay configured, and only
    for a new ledger or one made that way (never for an existing real shop's ledger)."""
    if settings.relay_url:
        return None
    path = settings.data_dir / DEMO_KEY_FILE
    return path if path.exists() or not settings.database.exists() else None


def verify_key(cipher: FieldCipher, check_hex: str) -> None:
    try:
        plain = cipher.decrypt(bytes.fromhex(check_hex), "sync_state", "value", KEY_CHECK)
    except DecryptionError:
        raise WrongDataKey(
            "The data key does not belong to this database: nothing can be read or written. "
            "Set DUKA_DATA_KEY (or restore the keyring entry) to the key this till was "
            "created with."
        ) from None
    if plain != KEY_CHECK_PLAINTEXT:
        raise WrongDataKey("The data key check of this database is damaged.")
