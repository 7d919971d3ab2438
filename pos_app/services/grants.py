"""Authority as a proof: a Grant says "this user, in this role, may do this action until then".

Only `UserService.grant` makes one, after the user's PIN was verified. A grant carries an HMAC
over its fields keyed with a secret made when this process started and kept nowhere else: a
Grant built by hand, copied with `dataclasses.replace` to another action or a later expiry,
or carried over from another process fails `authorise`. (A private constructor token would
stop the first but not the second: the MAC binds every field.) Services take a Grant where
they used to take a supervisor's user id, and check it inside their own write transaction
(`pos_app.services.users.authorise`), so a user deactivated or demoted meanwhile is refused
too. A grant allows one change: `spend` records its nonce in that change's transaction, so a
second use is refused, and a change that rolls back leaves the grant unspent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Final

from sqlalchemy import Connection, delete, insert, select

from pos_app.core.errors import GrantProblem, NoAuthority
from pos_app.store.schema import used_grants

GRANT_LIFETIME: Final = timedelta(minutes=2)
_PROCESS_SECRET: Final = secrets.token_bytes(32)


class Action(StrEnum):
    DECIDE_PAYMENT = "decide_payment"  # approve / reject a proof, resolve unknown, clear a flag
    REFUND = "refund"  # refunds and voids
    SETTINGS = "settings"  # shop settings, provider test mode, relay pairing
    STAFF = "staff"  # add users, reset PINs, (de)activate, language
    CATALOGUE = "catalogue"  # products and prices
    OVERRIDE = "override"  # at the counter: a price, a started tender, unsynced close
    RESTORE = "restore"  # rebuild the ledger from a backup and the relay


# DECIDE_PAYMENT is open to cashiers: the payment service applies the shop's proof policy.
_MIN_ROLE: Final = {action: "supervisor" for action in Action} | {
    Action.DECIDE_PAYMENT: "cashier"
}


def min_role(action: Action) -> str:
    return _MIN_ROLE[action]


def _mac(user_id: str, role: str, action: str, expires_at: datetime, nonce: str) -> bytes:
    message = "\x1f".join((user_id, role, action, expires_at.isoformat(), nonce)).encode()
    return hmac.new(_PROCESS_SECRET, message, hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class Grant:
    user_id: str
    role: str
    action: Action
    expires_at: datetime
    nonce: str
    mac: bytes = field(repr=False)

    @property
    def id(self) -> str:
        """The approving user's id (screens that showed "who approved" keep working)."""
        return self.user_id


def issue(user_id: str, role: str, action: Action, now: datetime | None = None) -> Grant:
    """Called by UserService.grant once the PIN is verified (and the role checked); nowhere
    else. `now` lets a test make an expired grant."""
    expires = (now or datetime.now(UTC)) + GRANT_LIFETIME
    nonce = secrets.token_hex(16)
    return Grant(user_id, role, action, expires, nonce, _mac(user_id, role, action, expires, nonce))


def check(grant: object, action: Action) -> Grant:
    """`grant` itself if it is genuine, for `action` and unexpired; NoAuthority otherwise.
    The caller still checks, in its transaction, that the user holds the role
    (pos_app.services.users.authorise)."""
    if not isinstance(grant, Grant):
        raise NoAuthority(GrantProblem.MISSING)
    expected = _mac(grant.user_id, grant.role, grant.action, grant.expires_at, grant.nonce)
    if not hmac.compare_digest(expected, grant.mac):
        raise NoAuthority(GrantProblem.NOT_VALID)
    if grant.action != action:
        raise NoAuthority(GrantProblem.OTHER_ACTION)
    if grant.expires_at <= datetime.now(UTC):
        raise NoAuthority(GrantProblem.EXPIRED)
    return grant


def spend(conn: Connection, grant: Grant) -> None:
    """Mark `grant` used inside the caller's write transaction (BEGIN IMMEDIATE: no other
    writer can spend it meanwhile); NoAuthority when it already was. Rows of expired grants
    go: an expired grant is refused by `check` anyway."""
    now = datetime.now(UTC)
    conn.execute(delete(used_grants).where(used_grants.c.expires_at <= now))
    spent = conn.execute(
        select(used_grants.c.nonce).where(used_grants.c.nonce == grant.nonce)
    ).first()
    if spent is not None:
        raise NoAuthority(GrantProblem.USED)
    conn.execute(insert(used_grants).values(nonce=grant.nonce, expires_at=grant.expires_at))


def actor(grant: object) -> str | None:
    """Who a change is recorded under (a refused change rolls back, so a forged grant
    never leaves its claimed user on the record)."""
    return grant.user_id if isinstance(grant, Grant) else None
