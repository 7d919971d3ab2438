"""What the owner's console shows of a shop's eTIMS: the device (initialised or not), the last
signature, how many invoices and items wait, the invoices and items KRA refused with its
code and message, and when KRA's code lists and item classes were last fetched. Read-only;
the books themselves are sync.relay.store.etims and etims_reference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select

from sync.providers.etims import PRODUCTION_RECEIPT_HOST
from sync.relay.store import schema as t
from sync.relay.store.etims import REFUSED, SIGNED, EtimsBooks
from sync.relay.store.etims_queue import QUEUED
from sync.relay.store.etims_reference import EtimsReference, ReferenceList, ReferenceState
from sync.relay.store.store import Store

REFUSALS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class EtimsDeviceView:
    tin: str
    branch: str
    serial: str
    control_unit_id: str
    live: bool
    initialised_at: datetime
    next_invoice_number: int


@dataclass(frozen=True, slots=True)
class EtimsRefusal:
    at: datetime
    till: str  # the till's name
    receipt_number: str
    kind: str  # sale | credit_note
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class EtimsOverview:
    device: EtimsDeviceView | None  # None: not initialised (duka-relay etims-init)
    waiting: int  # invoices queued for KRA's signature
    signed: int
    last_signed_at: datetime | None
    items_waiting: int
    refusals: tuple[EtimsRefusal, ...]  # newest first
    refused_items: tuple[str, ...]  # "itemCd: KRA's code and message"
    codes: ReferenceState  # KRA's code lists as cached
    item_classes: ReferenceState


def etims_overview(store: Store, shop_id: str) -> EtimsOverview:
    device = EtimsBooks(store).device(shop_id)
    reference = EtimsReference(store).states(shop_id)
    docs = t.etims_documents
    with store.read() as conn:
        view = None
        if device is not None:
            row = conn.execute(
                select(t.etims_devices).where(t.etims_devices.c.shop_id == shop_id)
            ).one()
            view = EtimsDeviceView(
                tin=device.device.tin,
                branch=device.device.bhf_id,
                serial=device.device_serial,
                control_unit_id=device.device.sdc_id,
                live=device.receipt_host == PRODUCTION_RECEIPT_HOST,
                initialised_at=row.initialised_at,
                next_invoice_number=int(row.next_invoice_number),
            )
        counts: dict[str, int] = dict(
            conn.execute(
                select(docs.c.state, func.count())
                .where(docs.c.shop_id == shop_id)
                .group_by(docs.c.state)
            ).all()
        )
        last_signed = conn.execute(
            select(func.max(docs.c.updated_at)).where(
                (docs.c.shop_id == shop_id) & (docs.c.state == SIGNED)
            )
        ).scalar()
        refusals = conn.execute(
            select(docs, t.tills.c.name.label("till_name"))
            .outerjoin(t.tills, t.tills.c.id == docs.c.till_id)
            .where((docs.c.shop_id == shop_id) & (docs.c.state == REFUSED))
            .order_by(docs.c.updated_at.desc(), docs.c.id.desc())
            .limit(REFUSALS_SHOWN)
        ).all()
        items: dict[str, int] = dict(
            conn.execute(
                select(t.etims_items.c.state, func.count())
                .where(t.etims_items.c.shop_id == shop_id)
                .group_by(t.etims_items.c.state)
            ).all()
        )
        refused_items = conn.execute(
            select(t.etims_items.c.refusal)
            .where((t.etims_items.c.shop_id == shop_id) & (t.etims_items.c.state == REFUSED))
            .order_by(t.etims_items.c.updated_at.desc())
            .limit(REFUSALS_SHOWN)
        ).scalars()
        return EtimsOverview(
            device=view,
            waiting=int(counts.get(QUEUED, 0)),
            signed=int(counts.get(SIGNED, 0)),
            last_signed_at=last_signed,
            items_waiting=int(items.get(QUEUED, 0)),
            refusals=tuple(_refusal(r) for r in refusals),
            refused_items=tuple(text or "" for text in refused_items),
            codes=reference[ReferenceList.CODES],
            item_classes=reference[ReferenceList.ITEM_CLASSES],
        )


def _refusal(row: Row[Any]) -> EtimsRefusal:
    return EtimsRefusal(
        at=row.updated_at,
        till=row.till_name or row.till_id,
        receipt_number=row.receipt_number,
        kind=row.kind,
        code=row.refusal_code or "",
        message=row.refusal_message or "",
    )
