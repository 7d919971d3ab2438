"""Products: add, edit, search, barcode and scale-label look-up, CSV import (all rows or none).

Each product has a tax class of the shop's country (default: the standard class, B in Kenya)
and a unit (each, kg, l)."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Connection, or_, select, update

from pos_app.core.errors import CatalogueError, DukaError, InvalidInput, NotFound
from pos_app.core.events import CatalogueChanged
from pos_app.core.money import Money
from pos_app.core.quantities import Quantity, Unit, quantity_for_price
from pos_app.core.tax import TaxTable
from pos_app.services.bus import EventBus
from pos_app.services.etims_items import products_changed
from pos_app.services.grants import Action, Grant, actor
from pos_app.services.shop import load_settings, scale_rules, shop_tax_table
from pos_app.services.unit import ledger_change
from pos_app.services.users import authorise
from pos_app.store.db import Ledger
from pos_app.store.schema import products

CSV_COLUMNS: Final = ("name", "price", "sku", "barcode", "quick_key", "tax_class", "unit")


@dataclass(frozen=True, slots=True)
class ProductView:
    id: str
    name: str
    price: Money
    sku: str | None
    barcode: str | None
    quick_key: int | None
    active: bool
    tax_class: str = "B"
    unit: Unit = Unit.EACH
    category: str | None = None
    colour: str | None = None  # "#RRGGBB"


@dataclass(frozen=True, slots=True)
class ScannedItem:
    """A scanned code: the product, and the quantity a scale label carries (None: one piece
    or whatever the cashier types)."""

    product: ProductView
    quantity: Quantity | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int = 0
    updated: int = 0
    errors: tuple[tuple[int, str], ...] = field(default_factory=tuple)  # (line, message)


COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def _view(row: Any) -> ProductView:
    return ProductView(
        row.id,
        row.name,
        Money(row.price_minor, row.currency),
        row.sku,
        row.barcode,
        row.quick_key,
        bool(row.active),
        row.tax_class,
        Unit(row.unit),
        row.category,
        row.colour,
    )


def _tax_class(table: TaxTable, code: str | None) -> str:
    """A class of the shop's country; none given: the default (standard) class."""
    return table.get(code).code if code and code.strip() else table.default_class.code


def _unit(text: str | Unit | None) -> Unit:
    try:
        return Unit((text or Unit.EACH).strip().lower())
    except ValueError:
        raise InvalidInput(f"Unit {text!r}: use each, kg or l.") from None


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _check(
    conn: Connection, name: str, price: Money, barcode: str | None, own_id: str | None
) -> None:
    if not name.strip():
        raise InvalidInput("A product needs a name.")
    price.require_positive("A price")
    code = load_settings(conn).currency
    if price.currency != code:
        raise InvalidInput(f"Prices are in the shop's currency, {code}.")
    if barcode:
        clash = conn.execute(
            select(products.c.id).where(products.c.barcode == barcode)
        ).scalar_one_or_none()
        if clash is not None and clash != own_id:
            raise CatalogueError(f"Barcode {barcode} is already on another product.")


def _check_quick_key(conn: Connection, quick_key: int | None, own_id: str | None) -> None:
    """A quick key holds one product: the grid would show only one of two."""
    if quick_key is None:
        return
    holder = conn.execute(
        select(products.c.id, products.c.name).where(
            products.c.quick_key == quick_key, products.c.active.is_(True)
        )
    ).first()
    if holder is not None and holder.id != own_id:
        raise CatalogueError(
            f"Quick key {quick_key} is already {holder.name}: take it off that product first."
        )


class CatalogueService:
    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus

    def add_product(
        self,
        name: str,
        price: Money,
        *,
        sku: str | None = None,
        barcode: str | None = None,
        quick_key: int | None = None,
        tax_class: str | None = None,
        unit: Unit | str = Unit.EACH,
        category: str | None = None,
        colour: str | None = None,
        grant: Grant,
    ) -> ProductView:
        product_id = str(uuid.uuid4())
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            authorise(change.conn, grant, Action.CATALOGUE)
            barcode = _clean(barcode)
            _check(change.conn, name, price, barcode, None)
            _check_quick_key(change.conn, quick_key, None)
            table = shop_tax_table(load_settings(change.conn))
            now = datetime.now(UTC)
            values = dict(
                id=product_id,
                name=name.strip(),
                price_minor=price.minor,
                currency=price.currency,
                sku=_clean(sku),
                barcode=barcode,
                active=True,
                quick_key=quick_key,
                category=_clean(category),
                colour=_colour(colour),
                tax_class=_tax_class(table, tax_class),
                unit=_unit(unit).value,
                created_at=now,
                updated_at=now,
            )
            change.conn.execute(products.insert().values(**values))
            change.record(
                "product.added",
                entity="product",
                entity_id=product_id,
                details={"price_minor": price.minor, "tax_class": values["tax_class"]},
                payload=_payload(values),
            )
            products_changed(change, (product_id,))
            change.publish(CatalogueChanged(product_ids=(product_id,)))
        return self.get_product(product_id)

    def update_product(self, product_id: str, *, grant: Grant, **changes: Any) -> ProductView:
        """Change name, price (Money), sku, barcode, quick_key, active, tax_class, unit,
        category or colour (the grid key's, "#RRGGBB")."""
        allowed = {"name", "price", "sku", "barcode", "quick_key", "active", "tax_class", "unit",
                   "category", "colour"}
        if set(changes) - allowed:
            raise InvalidInput(f"Unknown product fields: {', '.join(set(changes) - allowed)}.")
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            authorise(change.conn, grant, Action.CATALOGUE)
            row = change.conn.execute(select(products).where(products.c.id == product_id)).first()
            if row is None:
                raise NotFound("product", product_id)
            current = _view(row)
            name = changes.get("name", current.name)
            price = changes.get("price", current.price)
            barcode = _clean(changes.get("barcode", current.barcode))
            _check(change.conn, name, price, barcode, product_id)
            quick_key = changes.get("quick_key", current.quick_key)
            if quick_key != current.quick_key:  # an older clash never blocks another change
                _check_quick_key(change.conn, quick_key, product_id)
            table = shop_tax_table(load_settings(change.conn))
            values = dict(
                name=name.strip(),
                price_minor=price.minor,
                currency=price.currency,
                sku=_clean(changes.get("sku", current.sku)),
                barcode=barcode,
                quick_key=quick_key,
                active=bool(changes.get("active", current.active)),
                category=_clean(changes.get("category", current.category)),
                colour=_colour(changes.get("colour", current.colour)),
                tax_class=_tax_class(table, changes.get("tax_class", current.tax_class)),
                unit=_unit(changes.get("unit", current.unit)).value,
                updated_at=datetime.now(UTC),
            )
            change.conn.execute(
                update(products).where(products.c.id == product_id).values(**values)
            )
            change.record(
                "product.updated",
                entity="product",
                entity_id=product_id,
                details={"fields": sorted(changes)},
                payload=_payload({"id": product_id, **values}),
            )
            products_changed(change, (product_id,))
            change.publish(CatalogueChanged(product_ids=(product_id,)))
        return self.get_product(product_id)

    def get_product(self, product_id: str) -> ProductView:
        with self._ledger.read() as conn:
            row = conn.execute(select(products).where(products.c.id == product_id)).first()
        if row is None:
            raise NotFound("product", product_id)
        return _view(row)

    def list_products(self, *, active_only: bool = True) -> list[ProductView]:
        query = select(products).order_by(products.c.name)
        if active_only:
            query = query.where(products.c.active.is_(True))
        with self._ledger.read() as conn:
            return [_view(r) for r in conn.execute(query)]

    def quick_keys(self) -> list[ProductView]:
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(products)
                .where(products.c.active.is_(True), products.c.quick_key.is_not(None))
                .order_by(products.c.quick_key)
            )
            return [_view(r) for r in rows]

    def search(self, text: str, limit: int = 50) -> list[ProductView]:
        """Active products whose name, SKU or barcode contains `text` (case-insensitive)."""
        pattern = f"%{text.strip()}%"
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(products)
                .where(products.c.active.is_(True))
                .where(
                    or_(
                        products.c.name.ilike(pattern),
                        products.c.sku.ilike(pattern),
                        products.c.barcode.ilike(pattern),
                    )
                )
                .order_by(products.c.name)
                .limit(limit)
            )
            return [_view(r) for r in rows]

    def find_by_barcode(self, barcode: str) -> ProductView | None:
        with self._ledger.read() as conn:
            row = conn.execute(
                select(products).where(products.c.barcode == barcode.strip())
            ).first()
        return None if row is None else _view(row)

    def lookup_code(self, code: str) -> ScannedItem | None:
        """What a scanner read: a scale label of the shop's layouts (its item code is the
        product's SKU; the label's weight, or its price divided by the price per unit, is the
        quantity), else a product's own barcode (None: no product has it). A scale label with
        a wrong check digit raises InvalidBarcode (rescan, never guess); one whose item code
        no active product carries, or for a product sold by the piece, raises CatalogueError."""
        with self._ledger.read() as conn:
            reading = scale_rules(load_settings(conn)).parse(code)
            if reading is None:
                row = conn.execute(
                    select(products).where(products.c.barcode == code.strip())
                ).first()
                return None if row is None else ScannedItem(_view(row))
            row = conn.execute(
                select(products).where(
                    products.c.sku == reading.item_code, products.c.active.is_(True)
                )
            ).first()
        if row is None:
            raise CatalogueError(
                f"Scale label {code.strip()}: no product has item code {reading.item_code} "
                "as its SKU. Nothing was added."
            )
        product = _view(row)
        if product.unit is Unit.EACH:
            raise CatalogueError(
                f"{product.name} is sold by the piece, not from the scale. Nothing was added."
            )
        if reading.weight is not None:
            return ScannedItem(product, Quantity(reading.weight.thousandths, product.unit))
        assert reading.price is not None
        return ScannedItem(product, quantity_for_price(reading.price, product.price, product.unit))

    def import_csv(self, text: str, *, grant: Grant) -> ImportReport:
        """Rows of name,price[,sku,barcode,quick_key,tax_class,unit]; existing barcodes / SKUs
        are updated; no tax_class: the shop's default class.
        Any bad row: nothing is imported and every bad line is reported."""
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None or not {"name", "price"} <= set(reader.fieldnames):
            raise CatalogueError("The CSV needs a header row with at least: name,price")
        with self._ledger.read() as conn:
            settings = load_settings(conn)
        code, table = settings.currency, shop_tax_table(settings)
        parsed: list[tuple[int, dict[str, Any]]] = []
        errors: list[tuple[int, str]] = []
        seen_barcodes: set[str] = set()
        for line_no, record in enumerate(reader, start=2):
            try:
                parsed.append((line_no, _parse_row(record, code, table, seen_barcodes)))
            except DukaError as exc:
                errors.append((line_no, exc.message))
        if errors:
            return ImportReport(errors=tuple(errors))
        return self._apply_import(parsed, grant)

    def _apply_import(
        self, rows: Sequence[tuple[int, dict[str, Any]]], grant: Grant
    ) -> ImportReport:
        added = updated = 0
        ids: list[str] = []
        now = datetime.now(UTC)
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            conn = change.conn
            authorise(conn, grant, Action.CATALOGUE)
            for _, row in rows:
                existing = None
                if row["barcode"]:
                    existing = conn.execute(
                        select(products.c.id).where(products.c.barcode == row["barcode"])
                    ).scalar_one_or_none()
                if existing is None and row["sku"]:
                    existing = conn.execute(
                        select(products.c.id).where(products.c.sku == row["sku"])
                    ).scalar_one_or_none()
                if existing is None:
                    product_id = str(uuid.uuid4())
                    conn.execute(
                        products.insert().values(
                            id=product_id, active=True, created_at=now, updated_at=now, **row
                        )
                    )
                    added += 1
                else:
                    product_id = existing
                    conn.execute(
                        update(products)
                        .where(products.c.id == product_id)
                        .values(active=True, updated_at=now, **row)
                    )
                    updated += 1
                ids.append(product_id)
            change.record(
                "catalogue.imported",
                entity="product",
                entity_id=None,
                details={"added": added, "updated": updated},
                payload={"product_ids": ids, "added": added, "updated": updated},
            )
            products_changed(change, ids)
            change.publish(CatalogueChanged(product_ids=tuple(ids)))
        return ImportReport(added=added, updated=updated)


def _parse_row(
    record: dict[str, str | None], code: str, table: TaxTable, seen: set[str]
) -> dict[str, Any]:
    name = (record.get("name") or "").strip()
    if not name:
        raise InvalidInput("A product needs a name.")
    price = Money.parse(record.get("price") or "", code).require_positive("A price")
    barcode = _clean(record.get("barcode"))
    if barcode:
        if barcode in seen:
            raise CatalogueError(f"Barcode {barcode} appears twice in the file.")
        seen.add(barcode)
    quick_text = _clean(record.get("quick_key"))
    if quick_text is not None and not quick_text.isdigit():
        raise InvalidInput("quick_key must be a whole number.")
    values = {
        "name": name,
        "price_minor": price.minor,
        "currency": code,
        "sku": _clean(record.get("sku")),
        "barcode": barcode,
        "quick_key": int(quick_text) if quick_text else None,
        "tax_class": _tax_class(table, record.get("tax_class")),
        "unit": _unit(record.get("unit")).value,
    }
    # only a file with these columns changes them (an older file keeps the grid as it was)
    if "category" in record:
        values["category"] = (_clean(record["category"]) or "")[:40] or None
    if "colour" in record:
        values["colour"] = _colour(record["colour"])
    return values


def _colour(text: str | None) -> str | None:
    """A grid key's colour, "#RRGGBB", or None for the plain key."""
    colour = _clean(text)
    if colour is not None and not COLOUR.fullmatch(colour):
        raise InvalidInput("colour must look like #1E88E5.")
    return colour


def _payload(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in ("created_at", "updated_at")}
