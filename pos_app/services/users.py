"""Staff: PINs, lock-out after repeated wrong PINs, and the grants a verified PIN produces.

A PIN is stretched with scrypt (per-user salt) and the result is stored encrypted under the
data key (pos_app.store.crypto, bound to the user's row): till.db alone gives nothing to run
a PIN search against. Checking the lock and counting an attempt happen in one write
transaction (BEGIN IMMEDIATE), so concurrent guesses cannot slip past a lock-out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, func, select, update

from pos_app.core.errors import (
    InactiveUser,
    InvalidInput,
    NotASupervisor,
    NotFound,
    UserLocked,
    WrongPin,
)
from pos_app.services import grants
from pos_app.services.bus import EventBus
from pos_app.services.grants import Action, Grant
from pos_app.services.unit import ledger_change
from pos_app.store import pin_seal
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import Ledger
from pos_app.store.schema import shop_settings, users

ROLES: Final = ("cashier", "supervisor")
MAX_ATTEMPTS: Final = 5
LOCKOUT: Final = timedelta(minutes=5)
MAX_PIN_LENGTH: Final = 8


@dataclass(frozen=True, slots=True)
class PinKdf:
    """scrypt's cost. Tills use PIN_KDF, read when a UserService is made, so that the test
    suite can swap in a cheap one for its fixtures (tests/conftest.py)."""

    n: int = 2**14
    r: int = 8
    p: int = 1

    def stretch(self, pin: str, salt: bytes) -> bytes:
        return hashlib.scrypt(
            pin.encode(), salt=salt, n=self.n, r=self.r, p=self.p, dklen=32,
            maxmem=64 * 1024 * 1024,
        )


PIN_KDF = PinKdf()


def pin_matches(cipher: FieldCipher, kdf: PinKdf, pin: object, row: Any) -> bool:
    if not isinstance(pin, str):
        return False
    stored = pin_seal.unseal(cipher, row.pin_hash, row.id)
    return hmac.compare_digest(kdf.stretch(pin, row.pin_salt), stored)


def check_pin_format(pin: object, min_length: int = 4) -> str:
    if not (isinstance(pin, str) and pin.isdigit() and min_length <= len(pin) <= MAX_PIN_LENGTH):
        raise InvalidInput(f"A PIN is {min_length} to {MAX_PIN_LENGTH} digits.")
    return pin


@dataclass(frozen=True, slots=True)
class UserView:
    id: str
    name: str
    role: str
    active: bool
    language: str | None
    locked_until: datetime | None

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


def _view(row: Any) -> UserView:
    return UserView(row.id, row.name, row.role, bool(row.active), row.language, row.locked_until)


def require_role(conn: Connection, user_id: str | None, role: str) -> UserView:
    """The active user `user_id`, who must hold `role` (supervisor covers cashier)."""
    if user_id is None:
        raise NotASupervisor() if role == "supervisor" else InvalidInput("Sign in first.")
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFound("user", user_id)
    if not row.active:
        raise InactiveUser()
    if role == "supervisor" and row.role != "supervisor":
        raise NotASupervisor()
    return _view(row)


def authorise(conn: Connection, grant: object, action: Action) -> UserView:
    """The user behind a genuine, unexpired, unspent `grant` for `action`, who still holds
    its role (checked in `conn`, the caller's write transaction, which also spends the
    grant); NoAuthority otherwise."""
    checked = grants.check(grant, action)
    user = require_role(conn, checked.user_id, checked.role)
    grants.spend(conn, checked)
    return user


class UserService:
    def __init__(self, ledger: Ledger, bus: EventBus, kdf: PinKdf | None = None) -> None:
        self._ledger = ledger
        self._bus = bus
        self._kdf = kdf or PIN_KDF

    def min_pin_length(self) -> int:
        with self._ledger.read() as conn:
            return int(
                conn.execute(
                    select(shop_settings.c.min_pin_length).where(shop_settings.c.id == 1)
                ).scalar()
                or 4
            )

    def new_pin_hash(self, pin: str, user_id: str) -> tuple[bytes, bytes]:
        """(sealed hash, salt) of a new PIN, checked against the shop's PIN length."""
        check_pin_format(pin, self.min_pin_length())
        salt = secrets.token_bytes(16)
        stretched = self._kdf.stretch(pin, salt)  # slow on purpose: outside the write lock
        return pin_seal.seal(self._ledger.cipher, stretched, user_id), salt

    def create_user(
        self,
        name: str,
        role: str,
        pin: str,
        *,
        grant: Grant | None = None,
        language: str | None = None,
    ) -> UserView:
        """Add a user. The very first user needs no grant and must be a supervisor; every
        later one needs a supervisor's STAFF grant."""
        if role not in ROLES:
            raise InvalidInput(f"A role is one of {', '.join(ROLES)}.")
        if not name.strip():
            raise InvalidInput("A user needs a name.")
        user_id = str(uuid.uuid4())
        pin_hash, salt = self.new_pin_hash(pin, user_id)
        now = datetime.now(UTC)
        with ledger_change(self._ledger, self._bus, grants.actor(grant)) as change:
            count = change.conn.execute(select(func.count()).select_from(users)).scalar_one()
            if count == 0:
                if role != "supervisor":
                    raise InvalidInput("The first user must be a supervisor.")
            else:
                authorise(change.conn, grant, Action.STAFF)
            change.conn.execute(
                users.insert().values(
                    id=user_id,
                    name=name.strip(),
                    role=role,
                    pin_hash=pin_hash,
                    pin_salt=salt,
                    failed_attempts=0,
                    locked_until=None,
                    active=True,
                    language=language,
                    created_at=now,
                )
            )
            change.record(
                "user.created",
                entity="user",
                entity_id=user_id,
                details={"role": role},
                payload={"user_id": user_id, "name": name.strip(), "role": role},
            )
        return UserView(user_id, name.strip(), role, True, language, None)

    def list_users(self, *, include_inactive: bool = False) -> list[UserView]:
        query = select(users).order_by(users.c.name)
        if not include_inactive:
            query = query.where(users.c.active.is_(True))
        with self._ledger.read() as conn:
            return [_view(r) for r in conn.execute(query)]

    def has_users(self) -> bool:
        with self._ledger.read() as conn:
            return bool(conn.execute(select(func.count()).select_from(users)).scalar_one())

    def verify_pin(self, user_id: str, pin: str) -> UserView:
        """The user, if the PIN is right; WrongPin / UserLocked otherwise (5 tries, 5 minutes)."""
        with self._ledger.read() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound("user", user_id)
        if not row.active:
            raise InactiveUser()
        now = datetime.now(UTC)
        if row.locked_until is not None and row.locked_until > now:
            raise UserLocked(row.locked_until)  # early answer; _settle_attempt decides
        ok = pin_matches(self._ledger.cipher, self._kdf, pin, row)
        return self._settle_attempt(row.id, ok, now)

    def grant(self, user_id: str, pin: str, action: Action) -> Grant:
        """A short-lived proof that `user_id` typed their PIN to approve `action`."""
        user = self.verify_pin(user_id, pin)
        if grants.min_role(action) == "supervisor" and not user.is_supervisor:
            raise NotASupervisor()
        return grants.issue(user.id, user.role, action)

    def _settle_attempt(self, user_id: str, ok: bool, now: datetime) -> UserView:
        """Check the lock and count the attempt in ONE write transaction: a right PIN typed
        while another thread's wrong one locks the user is refused."""
        locked: datetime | None = None
        with ledger_change(self._ledger, self._bus, user_id) as change:
            row = change.conn.execute(select(users).where(users.c.id == user_id)).one()
            if row.locked_until is not None and row.locked_until > now:
                change.record(
                    "user.pin_refused_locked", entity="user", entity_id=user_id, details={}
                )
                locked = row.locked_until
            elif ok:
                change.conn.execute(
                    update(users)
                    .where(users.c.id == user_id)
                    .values(failed_attempts=0, locked_until=None)
                )
                change.record("user.signed_in", entity="user", entity_id=user_id, details={})
                return _view(row)
            else:
                attempts = row.failed_attempts + 1
                locked = now + LOCKOUT if attempts >= MAX_ATTEMPTS else None
                change.conn.execute(
                    update(users)
                    .where(users.c.id == user_id)
                    .values(failed_attempts=0 if locked else attempts, locked_until=locked)
                )
                change.record(
                    "user.pin_failed",
                    entity="user",
                    entity_id=user_id,
                    details={"attempts": attempts, "locked": locked is not None},
                )
        # the attempt is committed before the error is raised
        if locked is not None:
            raise UserLocked(locked)
        raise WrongPin(MAX_ATTEMPTS - attempts)

    def require_supervisor(self, pin: str, user_id: str | None = None) -> UserView:
        """The supervisor whose PIN this is. Without a user id every active supervisor is tried;
        a PIN matching none counts as a wrong try against all of them (no free guessing)."""
        if user_id is not None:
            user = self.verify_pin(user_id, pin)
            if not user.is_supervisor:
                raise NotASupervisor()
            return user
        now = datetime.now(UTC)
        with self._ledger.read() as conn:
            supervisors = list(
                conn.execute(
                    select(users).where(users.c.role == "supervisor", users.c.active.is_(True))
                )
            )
        if not supervisors:
            raise NotASupervisor()
        unlocked = [s for s in supervisors if s.locked_until is None or s.locked_until <= now]
        if not unlocked:
            raise UserLocked(min(s.locked_until for s in supervisors))
        for row in unlocked:
            if pin_matches(self._ledger.cipher, self._kdf, pin, row):
                return self._settle_attempt(row.id, True, now)
        error: WrongPin | UserLocked = WrongPin(None)
        for row in unlocked:
            try:
                self._settle_attempt(row.id, False, now)
            except (WrongPin, UserLocked) as exc:
                error = exc if isinstance(exc, UserLocked) else error
        raise error

    def set_pin(self, user_id: str, new_pin: str, grant: Grant) -> None:
        """A supervisor sets a new PIN (the user forgot theirs); clears any lock-out."""
        pin_hash, salt = self.new_pin_hash(new_pin, user_id)
        with ledger_change(self._ledger, self._bus, grants.actor(grant)) as change:
            authorise(change.conn, grant, Action.STAFF)
            result = change.conn.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(pin_hash=pin_hash, pin_salt=salt, failed_attempts=0, locked_until=None)
            )
            if result.rowcount != 1:
                raise NotFound("user", user_id)
            change.record("user.pin_reset", entity="user", entity_id=user_id, details={})

    def change_pin(self, user_id: str, old_pin: str, new_pin: str) -> None:
        check_pin_format(new_pin, self.min_pin_length())
        self.verify_pin(user_id, old_pin)
        new_hash, salt = self.new_pin_hash(new_pin, user_id)
        with ledger_change(self._ledger, self._bus, user_id) as change:
            change.conn.execute(
                update(users).where(users.c.id == user_id).values(pin_hash=new_hash, pin_salt=salt)
            )
            change.record("user.pin_changed", entity="user", entity_id=user_id, details={})
