"""The relay's eTIMS books: each shop's OSCU device (what KRA gave at initialisation, sealed)
and the invoices its tills asked to sign, with KRA's number for each and its outcome.

The rule that keeps an invoice from being signed twice starts here: a document is unique by
(shop, till, receipt number), its invcNo is given once, stored with the final body *before*
anything is sent, and kept through every retry (docs/etims.md, "Signing queue").
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from sync.protocol import EtimsEvent, EtimsKind, EtimsOutcome
from sync.providers.etims import DeviceInfo, EtimsConfig, SaleRequest, Signed, same_item
from sync.relay.store import schema as t
from sync.relay.store.at_rest import open_json, seal_json
from sync.relay.store.etims_queue import QUEUED, REGISTERED, document_context, want_item
from sync.relay.store.store import Store, next_shop_seq, notify_pullers, utcnow

SIGNED = "signed"
REFUSED = "refused"


class WaitingForOriginal(Exception):
    """A credit note's original sale is not signed yet: KRA needs its invcNo first."""


class OriginalRefused(Exception):
    """A credit note's original sale was refused by KRA, or never sent to it: there is no
    invoice number to credit."""


def device_context(shop_id: str) -> str:
    return f"etims-device:{shop_id}"


@dataclass(frozen=True)
class EtimsDevice:
    shop_id: str
    device_serial: str
    device: DeviceInfo
    base_url: str | None
    receipt_host: str | None

    def config(self, **overrides: Any) -> EtimsConfig:
        """The signing config; `overrides` are the relay's defaults (hosts, timeouts)."""
        values: dict[str, Any] = {**overrides}
        if self.base_url:
            values["base_url"] = self.base_url
        if self.receipt_host:
            values["receipt_host"] = self.receipt_host
        config = EtimsConfig(self.device.tin, self.device.bhf_id, **values)
        return config.with_device(self.device)


@dataclass(frozen=True)
class EtimsDocument:
    id: int
    shop_id: str
    till_id: str
    receipt_number: str
    kind: EtimsKind
    original_receipt_number: str | None
    body: dict[str, Any]  # without invcNo until numbered
    state: str
    invoice_number: int | None
    in_doubt: bool
    attempts: int
    next_try_at: datetime | None

    def request(self) -> SaleRequest:
        """The numbered body exactly as stored before the first send."""
        assert self.invoice_number is not None
        return SaleRequest.model_validate(self.body)


class EtimsBooks:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ---- the device --------------------------------------------------------------------------

    def set_device(
        self,
        shop_id: str,
        device_serial: str,
        device: DeviceInfo,
        base_url: str | None,
        receipt_host: str | None,
        actor: str,
    ) -> None:
        """Keep what KRA gave (the communication key among it) sealed; KRA gives it once."""
        sealed = self.store.box.seal(device.model_dump_json(), device_context(shop_id))
        values = {
            "tin": device.tin,
            "bhf_id": device.bhf_id,
            "device_serial": device_serial,
            "device_enc": sealed,
            "base_url": base_url,
            "receipt_host": receipt_host,
            "initialised_at": utcnow(),
        }
        with self.store.write() as conn:
            key = t.etims_devices.c.shop_id == shop_id
            if conn.execute(update(t.etims_devices).where(key).values(**values)).rowcount == 0:
                conn.execute(
                    insert(t.etims_devices).values(shop_id=shop_id, next_invoice_number=1, **values)
                )
            self.store._audit(
                conn,
                shop_id,
                actor,
                "etims_device_initialised",
                {"tin": device.tin, "bhf_id": device.bhf_id, "control_unit": device.sdc_id},
            )

    def device(self, shop_id: str) -> EtimsDevice | None:
        with self.store.read() as conn:
            row = conn.execute(
                select(t.etims_devices).where(t.etims_devices.c.shop_id == shop_id)
            ).first()
        if row is None:
            return None
        plain = self.store.box.open(row.device_enc, device_context(shop_id))
        return EtimsDevice(
            shop_id,
            row.device_serial,
            DeviceInfo.model_validate(json.loads(plain)),
            row.base_url,
            row.receipt_host,
        )

    def move_device(self, shop_id: str, base_url: str) -> int:
        """The device is reached at `base_url` from now on (demo mode: a sandbox that started
        on another port); returns its next invoice number."""
        with self.store.write() as conn:
            key = t.etims_devices.c.shop_id == shop_id
            conn.execute(update(t.etims_devices).where(key).values(base_url=base_url))
            return int(
                conn.execute(select(t.etims_devices.c.next_invoice_number).where(key)).scalar_one()
            )

    def shops_with_work(self, now: datetime) -> list[str]:
        """Shops with a device and a queued document or item that is due."""
        shops: list[str] = []
        with self.store.read() as conn:
            for table in (t.etims_documents, t.etims_items):
                for shop_id in conn.execute(
                    select(table.c.shop_id)
                    .join(t.etims_devices, t.etims_devices.c.shop_id == table.c.shop_id)
                    .where((table.c.state == QUEUED) & (table.c.next_try_at <= now))
                    .distinct()
                ).scalars():
                    if shop_id not in shops:
                        shops.append(shop_id)
        return shops

    # ---- the queue ---------------------------------------------------------------------------

    def head(self, shop_id: str) -> EtimsDocument | None:
        """The device's next document: the oldest still queued. Numbered documents go first,
        so that one in doubt is settled before any later number is used (one in flight)."""
        with self.store.read() as conn:
            row = conn.execute(
                select(t.etims_documents)
                .where(
                    (t.etims_documents.c.shop_id == shop_id) & (t.etims_documents.c.state == QUEUED)
                )
                .order_by(t.etims_documents.c.invoice_number.is_(None), t.etims_documents.c.id)
                .limit(1)
            ).first()
        return None if row is None else self._document(row)

    def document(self, shop_id: str, till_id: str, receipt_number: str) -> EtimsDocument | None:
        with self.store.read() as conn:
            row = conn.execute(
                select(t.etims_documents).where(
                    (t.etims_documents.c.shop_id == shop_id)
                    & (t.etims_documents.c.till_id == till_id)
                    & (t.etims_documents.c.receipt_number == receipt_number)
                )
            ).first()
        return None if row is None else self._document(row)

    def number(self, doc: EtimsDocument) -> EtimsDocument:
        """Give `doc` the device's next invcNo (and its original's, for a credit note) and
        store the final body before it is sent. A numbered document keeps its number."""
        if doc.invoice_number is not None:
            return doc
        with self.store.write() as conn:
            original = 0
            if doc.kind is EtimsKind.CREDIT_NOTE:
                original = self._original_number(conn, doc)
            number = int(
                conn.execute(
                    select(t.etims_devices.c.next_invoice_number)
                    .where(t.etims_devices.c.shop_id == doc.shop_id)
                    .with_for_update()
                ).scalar_one()
            )
            # never below a number this relay already gave (a counter set back by hand)
            used = conn.execute(
                select(func.max(t.etims_documents.c.invoice_number)).where(
                    t.etims_documents.c.shop_id == doc.shop_id
                )
            ).scalar()
            number = max(number, int(used or 0) + 1)
            final = SaleRequest.model_validate(
                {**doc.body, "invcNo": number, "orgInvcNo": original}
            ).model_dump(mode="json", by_alias=True)
            conn.execute(
                update(t.etims_devices)
                .where(t.etims_devices.c.shop_id == doc.shop_id)
                .values(next_invoice_number=number + 1)
            )
            context = document_context(doc.shop_id, doc.till_id, doc.receipt_number)
            conn.execute(
                update(t.etims_documents)
                .where(t.etims_documents.c.id == doc.id)
                .values(
                    invoice_number=number,
                    body=seal_json(self.store.box, final, context),
                    updated_at=utcnow(),
                )
            )
        return EtimsDocument(
            doc.id, doc.shop_id, doc.till_id, doc.receipt_number, doc.kind,
            doc.original_receipt_number, final, doc.state, number, doc.in_doubt, doc.attempts,
            doc.next_try_at,
        )  # fmt: skip

    def _original_number(self, conn: Connection, doc: EtimsDocument) -> int:
        row = conn.execute(
            select(t.etims_documents.c.state, t.etims_documents.c.invoice_number).where(
                (t.etims_documents.c.shop_id == doc.shop_id)
                & (t.etims_documents.c.till_id == doc.till_id)
                & (t.etims_documents.c.receipt_number == doc.original_receipt_number)
            )
        ).first()
        if row is not None and row.state == QUEUED:
            raise WaitingForOriginal(doc.original_receipt_number)
        if row is None:  # never sent to be signed (sold before eTIMS was on)
            raise OriginalRefused(doc.original_receipt_number)
        if row.state != SIGNED:
            raise OriginalRefused(doc.original_receipt_number)
        return int(row.invoice_number)

    def signed(self, doc: EtimsDocument, signed: Signed) -> int:
        """Keep KRA's signature and put it in the shop's stream; returns its seq."""
        signature = {
            "invoice_number": signed.invoice_number,
            "control_unit_id": signed.control_unit_id,
            "cu_invoice_number": signed.cu_invoice_number,
            "receipt_counter": signed.receipt_number,
            "total_receipt_counter": signed.total_receipt_number,
            "internal_data": signed.internal_data,
            "receipt_signature": signed.receipt_signature,
            "signed_at": signed.signed_at.isoformat() if signed.signed_at else None,
            "qr_url": signed.qr_url,
            "recovered": signed.recovered,
        }
        return self._settle(doc, state=SIGNED, signature=signature, in_doubt=False)

    def refused(self, doc: EtimsDocument, code: str, message: str, next_number: int | None) -> int:
        """KRA said no: the number goes back to the device (nothing later was numbered, one
        document being in flight), or to the one KRA named as next."""
        with self.store.write() as conn:
            if doc.invoice_number is not None:
                conn.execute(
                    update(t.etims_devices)
                    .where(t.etims_devices.c.shop_id == doc.shop_id)
                    .values(next_invoice_number=next_number or doc.invoice_number)
                )
            return self._settle_in(
                conn, doc, state=REFUSED, invoice_number=None, in_doubt=False,
                refusal_code=code[:32], refusal_message=message[:200],
            )  # fmt: skip

    def renumber(self, doc: EtimsDocument, next_number: int) -> bool:
        """KRA will not take `doc` under its number, which it did not sign (it holds that
        number for another receipt, or expects another one next): `doc` goes back to the
        head of the queue unnumbered, and the device continues at `next_number`. False, and
        nothing changed, when that would give `doc` the same number again (KRA expects a
        number this relay already gave: only a person can sort that out)."""
        with self.store.write() as conn:
            used = conn.execute(
                select(func.max(t.etims_documents.c.invoice_number)).where(
                    (t.etims_documents.c.shop_id == doc.shop_id)
                    & (t.etims_documents.c.id != doc.id)
                )
            ).scalar()
            if max(next_number, int(used or 0) + 1) == doc.invoice_number:
                return False
            conn.execute(
                update(t.etims_devices)
                .where(t.etims_devices.c.shop_id == doc.shop_id)
                .values(next_invoice_number=next_number)
            )
            conn.execute(
                update(t.etims_documents)
                .where(t.etims_documents.c.id == doc.id)
                .values(
                    invoice_number=None,
                    in_doubt=False,
                    attempts=doc.attempts + 1,
                    next_try_at=utcnow(),
                    updated_at=utcnow(),
                )
            )
        return True

    def retry_later(self, doc: EtimsDocument, at: datetime, *, in_doubt: bool) -> None:
        """Try again at `at` with the same number and body; `in_doubt`: ask KRA first."""
        with self.store.write() as conn:
            conn.execute(
                update(t.etims_documents)
                .where(t.etims_documents.c.id == doc.id)
                .values(
                    in_doubt=doc.in_doubt or in_doubt,
                    attempts=doc.attempts + 1,
                    next_try_at=at,
                    updated_at=utcnow(),
                )
            )

    def _settle(self, doc: EtimsDocument, **values: Any) -> int:
        with self.store.write() as conn:
            return self._settle_in(conn, doc, **values)

    def _settle_in(self, conn: Connection, doc: EtimsDocument, **values: Any) -> int:
        seq = next_shop_seq(conn, doc.shop_id)
        conn.execute(
            update(t.etims_documents)
            .where(t.etims_documents.c.id == doc.id)
            .values(
                stream_seq=seq,
                stream_event_id=str(uuid.uuid4()),
                attempts=doc.attempts + 1,
                next_try_at=None,
                updated_at=utcnow(),
                **values,
            )
        )
        notify_pullers(conn, doc.shop_id)
        return seq

    # ---- the items (saveItem) ----------------------------------------------------------------

    def want_item(self, shop_id: str, body: dict[str, Any]) -> bool:
        """Note an item the device must know; True when KRA must be told (new or changed)."""
        with self.store.write() as conn:
            return want_item(conn, shop_id, body, utcnow())

    def items_due(self, shop_id: str, now: datetime) -> list[dict[str, Any]]:
        """The saveItem bodies waiting to go, due now, oldest change first."""
        with self.store.read() as conn:
            return [
                dict(body)
                for body in conn.execute(
                    select(t.etims_items.c.body)
                    .where(
                        (t.etims_items.c.shop_id == shop_id)
                        & (t.etims_items.c.state == QUEUED)
                        & (t.etims_items.c.next_try_at <= now)
                    )
                    .order_by(t.etims_items.c.updated_at)
                ).scalars()
            ]

    def item_body(self, shop_id: str, item_code: str) -> dict[str, Any] | None:
        with self.store.read() as conn:
            body = conn.execute(
                select(t.etims_items.c.body).where(_item_key(shop_id, item_code))
            ).scalar()
        return None if body is None else dict(body)

    def unregistered(self, shop_id: str, item_codes: set[str]) -> set[str]:
        """Those of `item_codes` KRA does not hold as the tills want them."""
        with self.store.read() as conn:
            done = set(
                conn.execute(
                    select(t.etims_items.c.item_code).where(
                        (t.etims_items.c.shop_id == shop_id)
                        & t.etims_items.c.item_code.in_(item_codes)
                        & (t.etims_items.c.state == REGISTERED)
                    )
                ).scalars()
            )
        return item_codes - done

    def item_registered(self, shop_id: str, body: dict[str, Any]) -> None:
        """KRA accepted `body`; the item stays queued if a till changed it meanwhile."""
        with self.store.write() as conn:
            row = conn.execute(
                select(t.etims_items.c.body).where(_item_key(shop_id, body["itemCd"]))
            ).first()
            current = row is not None and same_item(dict(row.body), body)
            values: dict[str, Any] = {"registered": body, "updated_at": utcnow()}
            if current:
                values |= {"state": REGISTERED, "next_try_at": None, "refusal": None}
            conn.execute(
                update(t.etims_items).where(_item_key(shop_id, body["itemCd"])).values(**values)
            )

    def item_later(self, shop_id: str, item_code: str, at: datetime) -> None:
        with self.store.write() as conn:
            conn.execute(
                update(t.etims_items)
                .where(_item_key(shop_id, item_code))
                .values(attempts=t.etims_items.c.attempts + 1, next_try_at=at)
            )

    def item_refused(self, shop_id: str, item_code: str, refusal: str) -> None:
        """KRA will not take the item as it is: it waits for the product to change."""
        with self.store.write() as conn:
            conn.execute(
                update(t.etims_items)
                .where(_item_key(shop_id, item_code))
                .values(state=REFUSED, refusal=refusal[:240], next_try_at=None, updated_at=utcnow())
            )

    # ---- the stream --------------------------------------------------------------------------

    def events_after(self, shop_id: str, after_seq: int, limit: int) -> list[EtimsEvent]:
        with self.store.read() as conn:
            rows = conn.execute(
                select(t.etims_documents)
                .where(
                    (t.etims_documents.c.shop_id == shop_id)
                    & (t.etims_documents.c.stream_seq > after_seq)
                )
                .order_by(t.etims_documents.c.stream_seq)
                .limit(limit)
            ).all()
        return [_event(row) for row in rows]

    def _document(self, row: Row[Any]) -> EtimsDocument:
        context = document_context(row.shop_id, row.till_id, row.receipt_number)
        return EtimsDocument(
            id=row.id,
            shop_id=row.shop_id,
            till_id=row.till_id,
            receipt_number=row.receipt_number,
            kind=EtimsKind(row.kind),
            original_receipt_number=row.original_receipt_number,
            body=open_json(self.store.box, row.body, context),
            state=row.state,
            invoice_number=row.invoice_number,
            in_doubt=bool(row.in_doubt),
            attempts=row.attempts,
            next_try_at=row.next_try_at,
        )


def _item_key(shop_id: str, item_code: str) -> Any:
    return (t.etims_items.c.shop_id == shop_id) & (t.etims_items.c.item_code == item_code)


def _event(row: Row[Any]) -> EtimsEvent:
    common: dict[str, Any] = {
        "seq": row.stream_seq,
        "event_id": row.stream_event_id,
        "till_id": row.till_id,
        "receipt_number": row.receipt_number,
        "kind": row.kind,
    }
    if row.state == SIGNED:
        return EtimsEvent(type=EtimsOutcome.SIGNED, **common, **(row.signature or {}))
    return EtimsEvent(
        type=EtimsOutcome.REFUSED,
        code=row.refusal_code,
        message=row.refusal_message,
        **common,
    )
