"""Staff: PINs (scrypt, per-user salt), lock-out after repeated wrong PINs, supervisor checks."""

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
from pos_app.services.bus import EventBus
from pos_app.services.unit import ledger_change
from pos_app.store.db import Ledger
from pos_app.store.schema import users

ROLES: Final = ("cashier", "supervisor")
MAX_ATTEMPTS: Final = 5
LOCKOUT: Final = timedelta(minutes=5)
# Read at each call, so that the test suite can swap in a cheap cost (tests/conftest.py).
PIN_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32, "maxmem": 64 * 1024 * 1024}


def hash_pin(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, **PIN_SCRYPT)


def _check_pin_format(pin: str) -> None:
    if not (isinstance(pin, str) and pin.isdigit() and 4 <= len(pin) <= 8):
        raise InvalidInput("A PIN is 4 to 8 digits.")


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


class UserService:
    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus

    def create_user(
        self,
        name: str,
        role: str,
        pin: str,
        *,
        created_by: str | None = None,
        language: str | None = None,
    ) -> UserView:
        """Add a user. The very first user needs no creator and must be a supervisor."""
        if role not in ROLES:
            raise InvalidInput(f"A role is one of {', '.join(ROLES)}.")
        if not name.strip():
            raise InvalidInput("A user needs a name.")
        _check_pin_format(pin)
        salt = secrets.token_bytes(16)
        pin_hash = hash_pin(pin, salt)  # slow on purpose: outside the write lock
        user_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        with ledger_change(self._ledger, self._bus, created_by) as change:
            count = change.conn.execute(select(func.count()).select_from(users)).scalar_one()
            if count == 0:
                if role != "supervisor":
                    raise InvalidInput("The first user must be a supervisor.")
            else:
                require_role(change.conn, created_by, "supervisor")
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
            raise UserLocked(row.locked_until)
        ok = isinstance(pin, str) and hmac.compare_digest(hash_pin(pin, row.pin_salt), row.pin_hash)
        return self._settle_attempt(row.id, ok, now)

    def _settle_attempt(self, user_id: str, ok: bool, now: datetime) -> UserView:
        with ledger_change(self._ledger, self._bus, user_id) as change:
            row = change.conn.execute(select(users).where(users.c.id == user_id)).one()
            if ok:
                change.conn.execute(
                    update(users)
                    .where(users.c.id == user_id)
                    .values(failed_attempts=0, locked_until=None)
                )
                change.record("user.signed_in", entity="user", entity_id=user_id, details={})
                return _view(row)
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
        # the failed attempt is committed before the error is raised
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
            if isinstance(pin, str) and hmac.compare_digest(
                hash_pin(pin, row.pin_salt), row.pin_hash
            ):
                return self._settle_attempt(row.id, True, now)
        error: WrongPin | UserLocked = WrongPin(None)
        for row in unlocked:
            try:
                self._settle_attempt(row.id, False, now)
            except (WrongPin, UserLocked) as exc:
                error = exc if isinstance(exc, UserLocked) else error
        raise error

    def change_pin(self, user_id: str, old_pin: str, new_pin: str) -> None:
        _check_pin_format(new_pin)
        self.verify_pin(user_id, old_pin)
        salt = secrets.token_bytes(16)
        new_hash = hash_pin(new_pin, salt)
        with ledger_change(self._ledger, self._bus, user_id) as change:
            change.conn.execute(
                update(users).where(users.c.id == user_id).values(pin_hash=new_hash, pin_salt=salt)
            )
            change.record("user.pin_changed", entity="user", entity_id=user_id, details={})
