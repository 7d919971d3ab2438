"""The shop's settings (one row): name, currency, country (its tax classes), risk threshold,
receipt text and prefix, the discount percent a cashier may give alone, scale labels, ..."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Connection, select, update

from pos_app.core.errors import DukaError, InvalidInput
from pos_app.core.money import currency
from pos_app.core.receipt_numbers import ReceiptNumber
from pos_app.core.scale_barcode import Embedded, ScaleBarcodeRules, ScaleLayout
from pos_app.core.tax import TaxTable, tax_table
from pos_app.services.bus import EventBus
from pos_app.services.grants import Action, Grant, actor
from pos_app.services.unit import ledger_change
from pos_app.services.users import authorise
from pos_app.store.db import Ledger
from pos_app.store.schema import shop_settings

PROOF_POLICIES: Final = ("supervisor_approves", "cashier_may_accept_below_threshold")
PIN_LENGTHS: Final = (4, 6)  # a shop may require 6-digit PINs; existing PINs keep working


@dataclass(frozen=True, slots=True)
class ShopSettings:
    shop_name: str
    currency: str
    vat_bps: int
    timezone: str
    receipt_header: str
    receipt_footer: str
    risk_threshold: int
    offline_proof_policy: str
    language: str
    allow_self_approval: bool
    min_pin_length: int = 4
    country: str = "KE"  # ISO 3166 alpha-2: whose tax classes (pos_app.core.tax) apply
    receipt_prefix: str = "TILL1"  # this till's receipt numbers: TILL1-000001, ...
    discount_approval_bps: int = 1000  # a discount above this percent needs a supervisor
    scale_layouts: str = "21=weight"  # scale-label prefixes: "21=weight,22=price"
    etims_enabled: bool = False  # Kenya: every completed sale is signed by KRA eTIMS


def shop_tax_table(s: ShopSettings) -> TaxTable:
    """The country's tax classes; `vat_bps` is the rate of its standard class (the class of a
    product nobody classified), 1600 by default like KRA's B."""
    table = tax_table(s.country)
    return table.with_rates({table.default_class.code: s.vat_bps})


def scale_rules(s: ShopSettings) -> ScaleBarcodeRules:
    """`scale_layouts` ("21=weight,22=price") as the rules the catalogue reads labels with."""
    layouts = []
    for part in s.scale_layouts.replace(" ", "").split(","):
        if not part:
            continue
        prefix, _, embeds = part.partition("=")
        try:
            layouts.append(ScaleLayout(prefix, Embedded(embeds)))
        except ValueError:
            raise InvalidInput(
                f"Scale layout {part!r}: write prefix=weight or prefix=price, e.g. 21=weight."
            ) from None
    return ScaleBarcodeRules(tuple(layouts), s.currency)


def load_settings(conn: Connection) -> ShopSettings:
    row = conn.execute(select(shop_settings).where(shop_settings.c.id == 1)).one()
    return ShopSettings(
        shop_name=row.shop_name,
        currency=row.currency,
        vat_bps=row.vat_bps,
        timezone=row.timezone,
        receipt_header=row.receipt_header,
        receipt_footer=row.receipt_footer,
        risk_threshold=row.risk_threshold,
        offline_proof_policy=row.offline_proof_policy,
        language=row.language,
        allow_self_approval=bool(row.allow_self_approval),
        min_pin_length=row.min_pin_length,
        country=row.country,
        receipt_prefix=row.receipt_prefix,
        discount_approval_bps=row.discount_approval_bps,
        scale_layouts=row.scale_layouts,
        etims_enabled=bool(row.etims_enabled),
    )


def store_settings(conn: Connection, new: ShopSettings, at: datetime) -> None:
    """Validate and write the shop's settings inside the caller's transaction (the caller
    records the change)."""
    _validate(new)
    conn.execute(
        update(shop_settings).where(shop_settings.c.id == 1).values(**asdict(new), updated_at=at)
    )


def _validate(s: ShopSettings) -> None:
    currency(s.currency)
    if not s.shop_name.strip():
        raise InvalidInput("The shop needs a name.")
    if not 0 <= s.vat_bps <= 10_000:
        raise InvalidInput("VAT must be between 0 and 100% (0-10000 basis points).")
    if not 0 <= s.risk_threshold <= 100:
        raise InvalidInput("The risk threshold is a score from 0 to 100.")
    if s.min_pin_length not in PIN_LENGTHS:
        raise InvalidInput("PINs are at least 4 or at least 6 digits.")
    if not 0 <= s.discount_approval_bps <= 10_000:
        raise InvalidInput("The discount a cashier may give alone is between 0 and 100%.")
    try:
        shop_tax_table(s)
        ReceiptNumber(s.receipt_prefix, 1)
        scale_rules(s)
    except DukaError as error:
        raise InvalidInput(error.message) from None
    if s.offline_proof_policy not in PROOF_POLICIES:
        raise InvalidInput(f"Unknown proof policy; choose one of {', '.join(PROOF_POLICIES)}.")


class ShopService:
    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus

    def get(self) -> ShopSettings:
        with self._ledger.read() as conn:
            return load_settings(conn)

    def update(self, grant: Grant, **changes: Any) -> ShopSettings:
        """Change some settings (a supervisor's SETTINGS grant); unknown names raise
        InvalidInput."""
        unknown = set(changes) - set(ShopSettings.__dataclass_fields__)
        if unknown:
            raise InvalidInput(f"Unknown settings: {', '.join(sorted(unknown))}.")
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            authorise(change.conn, grant, Action.SETTINGS)
            new = replace(load_settings(change.conn), **changes)
            store_settings(change.conn, new, datetime.now(UTC))
            change.record(
                "settings.updated",
                entity="shop_settings",
                entity_id="1",
                details={k: v for k, v in changes.items()},
                payload={"settings": asdict(new)},
            )
        return new
