"""KRA's reference data as each shop's eTIMS device fetched it: the code lists (tax types and
their rates, payment types, refund reasons...) and the item classes, with the lastReqDt each
list was fetched up to. KRA's lists are incremental: a fetch returns only what changed since
lastReqDt, so every row it returns is upserted by its key, never added twice
(docs/etims.md, "Reference data")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, func, insert, or_, select, update

from sync.providers.etims import FIRST_PULL, CodeListUpdate, ItemClassUpdate
from sync.relay.store import schema as t
from sync.relay.store.store import Store, utcnow


class ReferenceList(StrEnum):
    CODES = "codes"
    ITEM_CLASSES = "item_classes"


@dataclass(frozen=True, slots=True)
class ReferenceState:
    """What the owner's console shows of one list."""

    fetched_at: datetime | None  # the last successful fetch; None: never
    cached: int  # rows held
    failure: str | None  # why the last try failed, when it did (an error code)


class EtimsReference:
    def __init__(self, store: Store) -> None:
        self.store = store

    def due(self, now: datetime, every_s: float, retry_s: float) -> dict[str, list[ReferenceList]]:
        """Per shop with a device, its lists not fetched in `every_s` (or never), leaving out
        those whose last try failed less than `retry_s` ago."""
        pulls = t.etims_reference_pulls
        resting = or_(
            pulls.c.fetched_at > now - timedelta(seconds=every_s),
            and_(
                pulls.c.failure.is_not(None),
                pulls.c.tried_at > now - timedelta(seconds=retry_s),
            ),
        )
        with self.store.read() as conn:
            shops = conn.execute(
                select(t.etims_devices.c.shop_id).order_by(t.etims_devices.c.shop_id)
            ).scalars()
            resting_lists = {
                (row.shop_id, row.list)
                for row in conn.execute(select(pulls.c.shop_id, pulls.c.list).where(resting))
            }
            due = {
                shop: [w for w in ReferenceList if (shop, w.value) not in resting_lists]
                for shop in shops
            }
        return {shop: lists for shop, lists in due.items() if lists}

    def since(self, shop_id: str, which: ReferenceList) -> str:
        """The lastReqDt to send: KRA's resultDt of the last success, or the first pull's."""
        pulls = t.etims_reference_pulls
        with self.store.read() as conn:
            found = conn.execute(
                select(pulls.c.last_req_dt).where(_pull_key(shop_id, which))
            ).scalar()
        return str(found) if found else FIRST_PULL

    def save_codes(self, shop_id: str, fetched: CodeListUpdate) -> int:
        """Upsert every code KRA returned and move lastReqDt on, in one transaction."""
        now = utcnow()
        rows = [
            {
                "shop_id": shop_id,
                "cd_cls": cls.cd_cls,
                "cd": detail.cd,
                "cd_cls_nm": cls.cd_cls_nm,
                "cd_nm": detail.cd_nm,
                "use_yn": detail.use_yn,
                "srt_ord": detail.srt_ord,
                "user_dfn_cd1": detail.user_dfn_cd1,
                "updated_at": now,
            }
            for cls in fetched.classes
            for detail in cls.dtl_list
        ]
        with self.store.write() as conn:
            _upsert(conn, t.etims_codes, ("shop_id", "cd_cls", "cd"), rows)
            _fetched(conn, shop_id, ReferenceList.CODES, fetched.since, now)
        return len(rows)

    def save_item_classes(self, shop_id: str, fetched: ItemClassUpdate) -> int:
        now = utcnow()
        rows = [
            {
                "shop_id": shop_id,
                "item_cls_cd": cls.item_cls_cd,
                "item_cls_nm": cls.item_cls_nm,
                "item_cls_lvl": cls.item_cls_lvl,
                "tax_ty_cd": cls.tax_ty_cd,
                "use_yn": cls.use_yn,
                "updated_at": now,
            }
            for cls in fetched.classes
        ]
        with self.store.write() as conn:
            _upsert(conn, t.etims_item_classes, ("shop_id", "item_cls_cd"), rows)
            _fetched(conn, shop_id, ReferenceList.ITEM_CLASSES, fetched.since, now)
        return len(rows)

    def failed(self, shop_id: str, which: ReferenceList, reason: str) -> None:
        """Keep the cache and lastReqDt as they are; note the try, so it waits `retry_s`."""
        with self.store.write() as conn:
            _set_pull(conn, shop_id, which, tried_at=utcnow(), failure=reason[:200])

    def states(self, shop_id: str) -> dict[ReferenceList, ReferenceState]:
        pulls = t.etims_reference_pulls
        with self.store.read() as conn:
            rows = {
                ReferenceList(r.list): r
                for r in conn.execute(select(pulls).where(pulls.c.shop_id == shop_id))
            }
            counts = {
                ReferenceList.CODES: _count(conn, t.etims_codes, shop_id),
                ReferenceList.ITEM_CLASSES: _count(conn, t.etims_item_classes, shop_id),
            }
        return {
            which: ReferenceState(
                fetched_at=rows[which].fetched_at if which in rows else None,
                cached=counts[which],
                failure=rows[which].failure if which in rows else None,
            )
            for which in ReferenceList
        }


def _pull_key(shop_id: str, which: ReferenceList) -> Any:
    pulls = t.etims_reference_pulls
    return (pulls.c.shop_id == shop_id) & (pulls.c.list == which.value)


def _count(conn: Connection, table: Table, shop_id: str) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(table).where(table.c.shop_id == shop_id)
        ).scalar_one()
    )


def _fetched(
    conn: Connection, shop_id: str, which: ReferenceList, since: str, now: datetime
) -> None:
    _set_pull(conn, shop_id, which, last_req_dt=since, fetched_at=now, tried_at=now, failure=None)


def _set_pull(conn: Connection, shop_id: str, which: ReferenceList, **values: Any) -> None:
    pulls = t.etims_reference_pulls
    if conn.execute(update(pulls).where(_pull_key(shop_id, which)).values(**values)).rowcount:
        return
    conn.execute(
        insert(pulls).values(
            shop_id=shop_id, list=which.value, **{"last_req_dt": FIRST_PULL, **values}
        )
    )


def _upsert(
    conn: Connection, table: Table, key: Sequence[str], rows: Iterable[dict[str, Any]]
) -> None:
    """Insert the new rows and update the known ones, portable across SQLite and PostgreSQL.
    A key KRA repeats within one reply keeps its last row."""
    by_key = {tuple(row[k] for k in key): row for row in rows}
    if not by_key:
        return
    shop_ids = {row["shop_id"] for row in by_key.values()}
    columns = [table.c[k] for k in key]
    known = {
        tuple(found)
        for found in conn.execute(select(*columns).where(table.c.shop_id.in_(shop_ids))).all()
    }
    new = [row for k, row in by_key.items() if k not in known]
    old = [row for k, row in by_key.items() if k in known]
    if new:
        conn.execute(insert(table), new)
    if old:
        others = [c.name for c in table.columns if c.name not in key]
        statement = (
            update(table)
            .where(and_(*(table.c[k] == bindparam(f"k_{k}") for k in key)))
            .values({name: bindparam(f"v_{name}") for name in others})
        )
        conn.execute(
            statement,
            [
                {**{f"k_{k}": row[k] for k in key}, **{f"v_{n}": row[n] for n in others}}
                for row in old
            ],
        )
