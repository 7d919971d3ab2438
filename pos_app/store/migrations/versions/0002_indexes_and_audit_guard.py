"""Lookup indexes (blind indexes, status, time) and triggers that make audit_log append-only.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# NULL for most rows (cash sales): partial, so inserting such a row touches no index page
PARTIAL = {"customer_id", "provider_reference_bidx", "receipt_number_bidx", "phone_bidx"}

INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    ("ix_payments_order_id", "payments", ["order_id"]),
    ("ix_payments_status", "payments", ["status"]),
    ("ix_payments_created_at", "payments", ["created_at"]),
    ("ix_payments_customer_id", "payments", ["customer_id"]),
    ("ix_payments_provider_reference_bidx", "payments", ["provider_reference_bidx"]),
    ("ix_payments_receipt_number_bidx", "payments", ["receipt_number_bidx"]),
    ("ix_proofs_payment_id", "proofs", ["payment_id"]),
    ("ix_proofs_reference_bidx", "proofs", ["reference_bidx"]),
    ("ix_customers_phone_bidx", "customers", ["phone_bidx"]),
    ("ix_order_lines_order_id", "order_lines", ["order_id"]),
    ("ix_orders_shift_id", "orders", ["shift_id"]),
    ("ix_orders_created_at", "orders", ["created_at"]),
    ("ix_outbox_unpushed", "outbox", ["pushed_at", "parked"]),
    ("ix_cash_movements_shift_id", "cash_movements", ["shift_id"]),
    ("ix_products_name", "products", ["name"]),
    ("ix_refunds_payment_id", "refunds", ["payment_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        where = sa.text(f"{columns[0]} IS NOT NULL") if columns[0] in PARTIAL else None
        op.create_index(name, table, columns, sqlite_where=where)
    # what a supervisor must look at, found without scanning every sale
    op.create_index(
        "ix_payments_attention",
        "payments",
        ["created_at"],
        sqlite_where=sa.text(
            "needs_supervisor = 1 OR status IN ('unknown', 'awaiting_verification')"
        ),
    )
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )


def downgrade() -> None:
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_{verb}")
    op.drop_index("ix_payments_attention", table_name="payments")
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
