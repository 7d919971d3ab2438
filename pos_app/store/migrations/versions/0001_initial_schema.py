"""Initial schema: every table of the till's ledger.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(36)
TS = sa.String(32)


def upgrade() -> None:
    settings = op.create_table(
        "shop_settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("shop_name", sa.String(120), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("vat_bps", sa.Integer, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("receipt_header", sa.Text, nullable=False),
        sa.Column("receipt_footer", sa.Text, nullable=False),
        sa.Column("risk_threshold", sa.Integer, nullable=False),
        sa.Column("offline_proof_policy", sa.String(32), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("allow_self_approval", sa.Boolean, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("id = 1", name="ck_shop_settings_single_row"),
    )
    op.bulk_insert(
        settings,
        [
            {
                "id": 1,
                "shop_name": "My shop",
                "currency": "KES",
                "vat_bps": 1600,
                "timezone": "Africa/Nairobi",
                "receipt_header": "",
                "receipt_footer": "Thank you!",
                "risk_threshold": 50,
                "offline_proof_policy": "supervisor_approves",
                "language": "en",
                "allow_self_approval": False,
                "updated_at": datetime.now(UTC).isoformat(timespec="microseconds"),
            }
        ],
    )
    op.create_table(
        "users",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("pin_hash", sa.LargeBinary, nullable=False),
        sa.Column("pin_salt", sa.LargeBinary, nullable=False),
        sa.Column("failed_attempts", sa.Integer, nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("role IN ('cashier', 'supervisor')", name="ck_users_role"),
    )
    op.create_table(
        "shifts",
        sa.Column("id", ID, primary_key=True),
        sa.Column("opened_by", ID, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("float_minor", sa.Integer, nullable=False),
        sa.Column("closed_by", ID, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("counted", sa.JSON, nullable=True),
        sa.Column("z_report", sa.JSON, nullable=True),
    )
    op.create_table(
        "cash_movements",
        sa.Column("id", ID, primary_key=True),
        sa.Column("shift_id", ID, sa.ForeignKey("shifts.id"), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("amount_minor", sa.Integer, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.CheckConstraint("direction IN ('in', 'out')", name="ck_cash_movements_direction"),
        sa.CheckConstraint("amount_minor > 0", name="ck_cash_movements_positive"),
    )
    op.create_table(
        "products",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("price_minor", sa.Integer, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("sku", sa.String(64), nullable=True),
        sa.Column("barcode", sa.String(64), nullable=True, unique=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("quick_key", sa.Integer, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("price_minor > 0", name="ck_products_price_positive"),
    )
    op.create_table(
        "customers",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name_ct", sa.LargeBinary, nullable=True),
        sa.Column("phone_ct", sa.LargeBinary, nullable=True),
        sa.Column("phone_bidx", sa.LargeBinary, nullable=True),
        sa.Column("address_ct", sa.LargeBinary, nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "orders",
        sa.Column("id", ID, primary_key=True),
        sa.Column("shift_id", ID, sa.ForeignKey("shifts.id"), nullable=True),
        sa.Column("cashier_id", ID, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("customer_id", ID, sa.ForeignKey("customers.id"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("total_minor", sa.Integer, nullable=False),
        sa.Column("vat_minor", sa.Integer, nullable=False),
        sa.Column("vat_bps", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("total_minor > 0", name="ck_orders_total_positive"),
    )
    op.create_table(
        "order_lines",
        sa.Column("id", ID, primary_key=True),
        sa.Column("order_id", ID, sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("product_id", ID, sa.ForeignKey("products.id"), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("unit_price_minor", sa.Integer, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("line_total_minor", sa.Integer, nullable=False),
        sa.CheckConstraint("quantity > 0", name="ck_order_lines_quantity_positive"),
    )
    op.create_table(
        "payments",
        sa.Column("id", ID, primary_key=True),
        sa.Column("order_id", ID, sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("customer_id", ID, sa.ForeignKey("customers.id"), nullable=True),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("amount_minor", sa.Integer, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("tendered_minor", sa.Integer, nullable=True),
        sa.Column("change_minor", sa.Integer, nullable=True),
        sa.Column("paid_amount_minor", sa.Integer, nullable=True),
        sa.Column("paid_currency", sa.String(3), nullable=True),
        sa.Column("refunded_minor", sa.Integer, nullable=False),
        sa.Column("provider_reference_ct", sa.LargeBinary, nullable=True),
        sa.Column("provider_reference_bidx", sa.LargeBinary, nullable=True),
        sa.Column("receipt_number_ct", sa.LargeBinary, nullable=True),
        sa.Column("receipt_number_bidx", sa.LargeBinary, nullable=True),
        sa.Column("provider_data_ct", sa.LargeBinary, nullable=True),
        sa.Column("risk_score", sa.Integer, nullable=False),
        sa.Column("risk_reasons", sa.JSON, nullable=False),
        sa.Column("needs_supervisor", sa.Boolean, nullable=False),
        sa.Column("test_mode", sa.Boolean, nullable=False),
        sa.Column("created_by", ID, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("amount_minor > 0", name="ck_payments_amount_positive"),
    )
    op.create_table(
        "proofs",
        sa.Column("id", ID, primary_key=True),
        sa.Column("payment_id", ID, sa.ForeignKey("payments.id"), nullable=False),
        sa.Column("proof_type", sa.String(32), nullable=False),
        sa.Column("reference_ct", sa.LargeBinary, nullable=False),
        sa.Column("reference_bidx", sa.LargeBinary, nullable=False),
        sa.Column("image_ct", sa.LargeBinary, nullable=True),
        sa.Column("notes_ct", sa.LargeBinary, nullable=True),
        sa.Column("submitted_by", ID, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("decided_by", ID, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("decision_notes_ct", sa.LargeBinary, nullable=True),
        sa.Column("decided_at", TS, nullable=True),
    )
    op.create_table(
        "refunds",
        sa.Column("id", ID, primary_key=True),
        sa.Column("payment_id", ID, sa.ForeignKey("payments.id"), nullable=False),
        sa.Column("amount_minor", sa.Integer, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_user", ID, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("amount_minor > 0", name="ck_refunds_amount_positive"),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", ID, nullable=False, unique=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("payload_ct", sa.LargeBinary, nullable=False),
        sa.Column("pushed_at", TS, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("parked", sa.Boolean, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "inbox",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("relay_seq", sa.Integer, nullable=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("result", sa.String(32), nullable=False),
        sa.Column("applied_at", TS, nullable=False),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=True),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "audit_log",
        "sync_state",
        "inbox",
        "outbox",
        "refunds",
        "proofs",
        "payments",
        "order_lines",
        "orders",
        "customers",
        "products",
        "cash_movements",
        "shifts",
        "users",
        "shop_settings",
    ):
        op.drop_table(table)
