"""The ledger's tables at the head migration (SQLAlchemy Core).

Columns ending in `_ct` hold AES-256-GCM ciphertext (see crypto.py); `_bidx` columns hold a
keyed blind index (HMAC-SHA256) of the normalised plaintext. Ids are UUID4 strings.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
    text,
)
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes stored as sortable ISO-8601 text."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: the ledger stores only timezone-aware UTC times")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(value).astimezone(UTC)


metadata = MetaData()
Id = String(36)

shop_settings = Table(
    "shop_settings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("shop_name", String(120), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("vat_bps", Integer, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("receipt_header", Text, nullable=False),
    Column("receipt_footer", Text, nullable=False),
    Column("risk_threshold", Integer, nullable=False),
    Column("offline_proof_policy", String(32), nullable=False),
    Column("language", String(8), nullable=False),
    Column("allow_self_approval", Boolean, nullable=False),
    Column("min_pin_length", Integer, nullable=False, server_default="4"),
    # revision 0007: the country's tax table, this till's receipt prefix, the discount percent
    # (basis points) above which a supervisor approves, and the scale-label layouts
    Column("country", String(2), nullable=False, server_default="KE"),
    Column("receipt_prefix", String(12), nullable=False, server_default="TILL1"),
    Column("discount_approval_bps", Integer, nullable=False, server_default="1000"),
    Column("scale_layouts", String(64), nullable=False, server_default="21=weight"),
    # revision etims_0001: every completed sale is signed by KRA eTIMS through the relay
    Column("etims_enabled", Boolean, nullable=False, server_default=false()),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("id = 1", name="ck_shop_settings_single_row"),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("role", String(16), nullable=False),
    Column("pin_hash", LargeBinary, nullable=False),
    Column("pin_salt", LargeBinary, nullable=False),
    Column("failed_attempts", Integer, nullable=False),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("active", Boolean, nullable=False),
    Column("language", String(8), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    CheckConstraint("role IN ('cashier', 'supervisor')", name="ck_users_role"),
)

shifts = Table(
    "shifts",
    metadata,
    Column("id", Id, primary_key=True),
    Column("opened_by", Id, ForeignKey("users.id"), nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("float_minor", Integer, nullable=False),
    Column("closed_by", Id, ForeignKey("users.id"), nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("counted", JSON, nullable=True),
    Column("z_report", JSON, nullable=True),
)

cash_movements = Table(
    "cash_movements",
    metadata,
    Column("id", Id, primary_key=True),
    Column("shift_id", Id, ForeignKey("shifts.id"), nullable=False),
    Column("direction", String(3), nullable=False),
    Column("amount_minor", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reason", Text, nullable=False),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    CheckConstraint("direction IN ('in', 'out')", name="ck_cash_movements_direction"),
    CheckConstraint("amount_minor > 0", name="ck_cash_movements_positive"),
)

products = Table(
    "products",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("price_minor", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("sku", String(64), nullable=True),
    Column("barcode", String(64), nullable=True, unique=True),
    Column("active", Boolean, nullable=False),
    Column("quick_key", Integer, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("tax_class", String(4), nullable=False, server_default="B"),
    Column("unit", String(8), nullable=False, server_default="each"),
    Column("category", String(40), nullable=True),  # the sale screen's product grid
    Column("colour", String(7), nullable=True),  # "#RRGGBB" of its button there
    CheckConstraint("price_minor > 0", name="ck_products_price_positive"),
)

customers = Table(
    "customers",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name_ct", LargeBinary, nullable=True),
    Column("phone_ct", LargeBinary, nullable=True),
    Column("phone_bidx", LargeBinary, nullable=True),
    Column("address_ct", LargeBinary, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Id, primary_key=True),
    Column("shift_id", Id, ForeignKey("shifts.id"), nullable=True),
    Column("cashier_id", Id, ForeignKey("users.id"), nullable=True),
    Column("customer_id", Id, ForeignKey("customers.id"), nullable=True),
    Column("status", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total_minor", Integer, nullable=False),
    Column("vat_minor", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # revision 0007: the gap-free receipt number (prefix + sequence) given in the sale's
    # transaction; the cart discount's reason and who approved the sale's discounts
    Column("receipt_prefix", String(12), nullable=True),
    Column("receipt_sequence", Integer, nullable=True),
    Column("cart_discount_reason", Text, nullable=True),
    Column("discount_approved_by", Id, nullable=True),
    CheckConstraint("total_minor > 0", name="ck_orders_total_positive"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("product_id", Id, ForeignKey("products.id"), nullable=True),
    Column("name", String(200), nullable=False),
    Column("unit_price_minor", Integer, nullable=False),
    Column("quantity_thousandths", Integer, nullable=False),  # pieces are whole thousands
    Column("line_total_minor", Integer, nullable=False),  # price x quantity, before discounts
    # revision 0007: what the line is taxed at and how; net paid = taxable + vat
    Column("unit", String(8), nullable=False, server_default="each"),
    Column("tax_class", String(4), nullable=False, server_default="B"),
    Column("tax_rate_bps", Integer, nullable=False, server_default="0"),
    Column("discount_minor", Integer, nullable=False, server_default="0"),
    Column("discount_reason", Text, nullable=True),
    Column("cart_discount_minor", Integer, nullable=False, server_default="0"),
    Column("taxable_minor", Integer, nullable=False, server_default="0"),
    Column("vat_minor", Integer, nullable=False, server_default="0"),
    Column("refunded_thousandths", Integer, nullable=False, server_default="0"),
    CheckConstraint("quantity_thousandths > 0", name="ck_order_lines_quantity_positive"),
)

# revision 0007: the last receipt sequence given per prefix (one row per till prefix)
receipt_counters = Table(
    "receipt_counters",
    metadata,
    Column("prefix", String(12), primary_key=True),
    Column("last_sequence", Integer, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("customer_id", Id, ForeignKey("customers.id"), nullable=True),
    Column("method", String(32), nullable=False),
    Column("provider", String(16), nullable=False),
    Column("amount_minor", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(32), nullable=False),
    Column("tendered_minor", Integer, nullable=True),
    Column("change_minor", Integer, nullable=True),
    Column("paid_amount_minor", Integer, nullable=True),
    Column("paid_currency", String(3), nullable=True),
    Column("refunded_minor", Integer, nullable=False),
    # provider references (CheckoutRequestID ends with the payer's phone digits) and
    # receipt codes are personal data: ciphertext plus a blind index to find them
    Column("provider_reference_ct", LargeBinary, nullable=True),
    Column("provider_reference_bidx", LargeBinary, nullable=True),
    Column("receipt_number_ct", LargeBinary, nullable=True),
    Column("receipt_number_bidx", LargeBinary, nullable=True),
    Column("provider_data_ct", LargeBinary, nullable=True),
    # why a provider declined (Daraja ResultCode and a short, digit-masked description)
    Column("result_code", String(32), nullable=True),
    Column("result_message", String(200), nullable=True),
    # who brought a cash-on-delivery payment in (a rider's name): personal data
    Column("collected_by_ct", LargeBinary, nullable=True),
    Column("risk_score", Integer, nullable=False),
    Column("risk_reasons", JSON, nullable=False),
    Column("needs_supervisor", Boolean, nullable=False),
    Column("test_mode", Boolean, nullable=False),
    Column("created_by", Id, ForeignKey("users.id"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("amount_minor > 0", name="ck_payments_amount_positive"),
)

proofs = Table(
    "proofs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("payment_id", Id, ForeignKey("payments.id"), nullable=False),
    Column("proof_type", String(32), nullable=False),
    Column("reference_ct", LargeBinary, nullable=False),
    Column("reference_bidx", LargeBinary, nullable=False),
    Column("image_ct", LargeBinary, nullable=True),
    Column("notes_ct", LargeBinary, nullable=True),
    Column("submitted_by", Id, ForeignKey("users.id"), nullable=True),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("decided_by", Id, ForeignKey("users.id"), nullable=True),
    Column("decision", String(16), nullable=True),
    Column("decision_notes_ct", LargeBinary, nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
)

refunds = Table(
    "refunds",
    metadata,
    Column("id", Id, primary_key=True),
    Column("payment_id", Id, ForeignKey("payments.id"), nullable=False),
    Column("amount_minor", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reason", Text, nullable=False),
    Column("by_user", Id, ForeignKey("users.id"), nullable=False),
    Column("method", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # revision supervisor_0001: a refund through the relay is "pending" from the moment it is
    # asked for (its request id is the relay's idempotency key) until it is "done" or "failed"
    Column("status", String(16), nullable=False, server_default="done"),
    Column("request_id", Id, nullable=True),
    CheckConstraint("amount_minor > 0", name="ck_refunds_amount_positive"),
)

# revision 0007: which sold lines (and how much of each) a refund gives back
credit_note_lines = Table(
    "credit_note_lines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("refund_id", Id, ForeignKey("refunds.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("order_lines.id"), nullable=False),
    Column("quantity_thousandths", Integer, nullable=False),
    Column("amount_minor", Integer, nullable=False),
    Column("tax_class", String(4), nullable=False),
    Column("tax_rate_bps", Integer, nullable=False),
    Column("taxable_minor", Integer, nullable=False),
    Column("vat_minor", Integer, nullable=False),
    CheckConstraint("quantity_thousandths > 0", name="ck_credit_note_lines_quantity"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Id, nullable=False, unique=True),
    Column("type", String(64), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("payload_ct", LargeBinary, nullable=False),
    Column("pushed_at", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("parked", Boolean, nullable=False),
    sqlite_autoincrement=True,  # never reuse a sequence number, even after pruning
)

# revision etims_0001: a sale's or credit note's KRA eTIMS invoice, from the moment the till
# asks the relay to sign it ("waiting") until KRA's signature ("signed") or refusal comes back
# on the pull stream. What a signature holds is printed on the receipt: nothing here is secret.
etims_invoices = Table(
    "etims_invoices",
    metadata,
    Column("receipt_number", String(50), primary_key=True),  # KRA's trdInvcNo
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("kind", String(12), nullable=False),  # sale | credit_note
    Column("state", String(12), nullable=False),  # waiting | signed | refused
    Column("invoice_number", Integer),
    Column("control_unit_id", String(40)),
    Column("cu_invoice_number", String(60)),
    Column("receipt_counter", Integer),
    Column("total_receipt_counter", Integer),
    Column("internal_data", String(64)),
    Column("receipt_signature", String(64)),
    Column("signed_at", UtcDateTime),
    Column("qr_url", String(300)),
    Column("refusal_code", String(32)),
    Column("refusal_message", Text),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("settled_at", UtcDateTime),
    Index("ix_etims_invoices_order", "order_id"),
    Index("ix_etims_invoices_state", "state"),
)

# revision sms_0001: a text receipt the cashier asked the relay to send, and its fate
sms_receipts = Table(
    "sms_receipts",
    metadata,
    Column("id", Id, primary_key=True),  # the outbox payload's request_id
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("phone_ct", LargeBinary, nullable=False),  # E.164, encrypted: personal data
    Column("state", String(12), nullable=False),  # waiting | sent | failed | unknown
    Column("reason", Text),  # the relay's words when it was not sent
    Column("requested_at", UtcDateTime, nullable=False),
    Column("settled_at", UtcDateTime),
    Index("ix_sms_receipts_order", "order_id"),
)

inbox = Table(
    "inbox",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("relay_seq", Integer, nullable=True),
    Column("type", String(64), nullable=False),
    Column("result", String(32), nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)

sync_state = Table(
    "sync_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Grants already spent (pos_app.services.grants): one approval, one change.
used_grants = Table(
    "used_grants",
    metadata,
    Column("nonce", String(32), primary_key=True),
    Column("expires_at", UtcDateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(64), nullable=True),
    Column("action", String(64), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(64), nullable=True),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# Added by revision 0002. Columns that are NULL for most rows (a cash sale has no customer,
# reference or receipt) get partial indexes: a cash sale then writes no page of them.
Index("ix_payments_order_id", payments.c.order_id)
Index("ix_payments_status", payments.c.status)
Index("ix_payments_created_at", payments.c.created_at)
# Literal SQL on purpose: SQLite uses a partial index only for a query whose WHERE repeats
# the index's WHERE with the same literals (bound parameters would not match).
NEEDS_ATTENTION = text("needs_supervisor = 1 OR status IN ('unknown', 'awaiting_verification')")
Index("ix_payments_attention", payments.c.created_at, sqlite_where=NEEDS_ATTENTION)
Index(
    "ix_payments_customer_id",
    payments.c.customer_id,
    sqlite_where=payments.c.customer_id.is_not(None),
)
Index(
    "ix_payments_provider_reference_bidx",
    payments.c.provider_reference_bidx,
    sqlite_where=payments.c.provider_reference_bidx.is_not(None),
)
Index(
    "ix_payments_receipt_number_bidx",
    payments.c.receipt_number_bidx,
    sqlite_where=payments.c.receipt_number_bidx.is_not(None),
)
Index("ix_proofs_payment_id", proofs.c.payment_id)
Index("ix_proofs_reference_bidx", proofs.c.reference_bidx)
Index(
    "ix_customers_phone_bidx",
    customers.c.phone_bidx,
    sqlite_where=customers.c.phone_bidx.is_not(None),
)
Index("ix_order_lines_order_id", order_lines.c.order_id)
Index("ix_orders_shift_id", orders.c.shift_id)
Index("ix_orders_created_at", orders.c.created_at)
Index("ix_outbox_unpushed", outbox.c.pushed_at, outbox.c.parked)
Index("ix_cash_movements_shift_id", cash_movements.c.shift_id)
Index("ix_products_name", products.c.name)
Index("ix_refunds_payment_id", refunds.c.payment_id)
Index("ix_credit_note_lines_refund_id", credit_note_lines.c.refund_id)
Index("ix_credit_note_lines_order_line_id", credit_note_lines.c.order_line_id)
Index(
    "ux_orders_receipt_number",
    orders.c.receipt_prefix,
    orders.c.receipt_sequence,
    unique=True,
    sqlite_where=orders.c.receipt_sequence.is_not(None),
)
Index(
    "ux_refunds_request_id",
    refunds.c.request_id,
    unique=True,
    sqlite_where=refunds.c.request_id.is_not(None),
)

# Provider outcomes that match no sale yet (C2B confirmations); created by migration sync_0001.
provider_events = Table(
    "provider_events",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("relay_seq", Integer, nullable=True),
    Column("provider", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("amount_minor", Integer, nullable=True),
    Column("currency", String(3), nullable=True),
    Column("reference_ct", LargeBinary, nullable=True),
    Column("reference_bidx", LargeBinary, nullable=True),
    Column("receipt_ct", LargeBinary, nullable=True),
    Column("receipt_bidx", LargeBinary, nullable=True),
    Column("payer_ct", LargeBinary, nullable=True),
    Column("test_mode", Boolean, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("matched_payment_id", String(36), nullable=True),
    Column("matched_by", String(64), nullable=True),
    Column("matched_at", UtcDateTime, nullable=True),
    # C2B: "mine" | "taken" (another till of the shop has it) | "open" (ask the relay first)
    Column("claim", String(8), nullable=False, server_default="open"),
)
Index("ix_provider_events_receipt_bidx", provider_events.c.receipt_bidx)
Index("ix_provider_events_reference_bidx", provider_events.c.reference_bidx)
Index("ix_provider_events_matched_payment_id", provider_events.c.matched_payment_id)
