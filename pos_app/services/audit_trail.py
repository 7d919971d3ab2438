"""Reading the audit log for the supervisor: filter, verify the hash chain, export CSV.

Read-only: the log is written only by the services that change data (store.audit.append).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from pos_app.store import audit
from pos_app.store.schema import audit_log, users

MAX_ROWS = 2_000


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor: str | None = None  # user id
    action: str | None = None
    since: date | None = None  # shop-local calendar days, inclusive
    until: date | None = None
    limit: int = MAX_ROWS


@dataclass(frozen=True, slots=True)
class AuditRow:
    seq: int
    at: datetime
    actor_id: str | None
    actor_name: str
    action: str
    entity: str
    entity_id: str | None
    details: str


@dataclass(frozen=True, slots=True)
class ChainCheck:
    intact: bool
    entries: int
    first_broken: AuditRow | None


class AuditTrailService:
    def __init__(self, ledger: Any, timezone: str = "Africa/Nairobi") -> None:
        self._ledger = ledger
        self._zone = ZoneInfo(timezone)

    def _bounds(self, day: date, end: bool) -> datetime:
        local = datetime.combine(day + timedelta(days=1) if end else day, time(), self._zone)
        return local.astimezone(UTC)

    def actions(self) -> list[str]:
        with self._ledger.read() as conn:
            return list(
                conn.execute(select(audit_log.c.action).distinct().order_by(audit_log.c.action))
                .scalars()
                .all()
            )

    def actors(self) -> list[tuple[str, str]]:
        """(user id, name) of everybody who appears in the log or the user list."""
        with self._ledger.read() as conn:
            rows = conn.execute(select(users.c.id, users.c.name).order_by(users.c.name)).all()
        return [(r.id, r.name) for r in rows]

    def search(self, flt: AuditFilter | None = None) -> list[AuditRow]:
        """Newest first, at most `limit` rows."""
        flt = flt or AuditFilter()
        query = (
            select(audit_log, users.c.name.label("actor_name"))
            .select_from(audit_log.outerjoin(users, users.c.id == audit_log.c.actor))
            .order_by(audit_log.c.seq.desc())
            .limit(flt.limit)
        )
        if flt.actor:
            query = query.where(audit_log.c.actor == flt.actor)
        if flt.action:
            query = query.where(audit_log.c.action == flt.action)
        if flt.since:
            query = query.where(audit_log.c.at >= self._bounds(flt.since, end=False))
        if flt.until:
            query = query.where(audit_log.c.at < self._bounds(flt.until, end=True))
        with self._ledger.read() as conn:
            return [_row(r) for r in conn.execute(query)]

    def verify(self) -> ChainCheck:
        with self._ledger.read() as conn:
            broken = audit.verify_chain(conn)
            count = conn.execute(select(audit_log.c.seq)).all()
            row = None
            if broken is not None:
                found = conn.execute(
                    select(audit_log, users.c.name.label("actor_name"))
                    .select_from(audit_log.outerjoin(users, users.c.id == audit_log.c.actor))
                    .where(audit_log.c.seq == broken)
                ).first()
                row = _row(found) if found is not None else _missing(broken)
        return ChainCheck(broken is None, len(count), row)

    def to_csv(self, rows: list[AuditRow]) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["seq", "at_utc", "user", "action", "entity", "entity_id", "details"])
        for r in rows:
            writer.writerow(
                [
                    r.seq,
                    r.at.isoformat(),
                    r.actor_name,
                    r.action,
                    r.entity,
                    r.entity_id or "",
                    r.details,
                ]
            )
        return out.getvalue()


def _row(r: Any) -> AuditRow:
    try:
        details = json.dumps(json.loads(r.details), ensure_ascii=False, sort_keys=True)
    except ValueError:
        details = str(r.details)
    return AuditRow(
        seq=int(r.seq),
        at=r.at,
        actor_id=r.actor,
        actor_name=r.actor_name or (r.actor or "system"),
        action=r.action,
        entity=r.entity,
        entity_id=r.entity_id,
        details=details,
    )


def _missing(seq: int) -> AuditRow:
    """An entry that was deleted: the chain names the gap."""
    return AuditRow(seq, datetime.now(UTC), None, "?", "(missing)", "audit_log", None, "")
