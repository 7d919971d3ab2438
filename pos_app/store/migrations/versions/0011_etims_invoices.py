"""etims_invoices: each completed sale's KRA eTIMS invoice as the till knows it (waiting for
its signature, signed with what the receipt prints, or refused), and the shop's eTIMS switch.

Revision ID: etims_0001
Revises: books_0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "etims_0001"
down_revision = "books_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shop_settings") as batch:
        batch.add_column(
            sa.Column("etims_enabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "etims_invoices",
        sa.Column("receipt_number", sa.String(50), primary_key=True),
        sa.Column("order_id", sa.String(36), sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("invoice_number", sa.Integer()),
        sa.Column("control_unit_id", sa.String(40)),
        sa.Column("cu_invoice_number", sa.String(60)),
        sa.Column("receipt_counter", sa.Integer()),
        sa.Column("total_receipt_counter", sa.Integer()),
        sa.Column("internal_data", sa.String(64)),
        sa.Column("receipt_signature", sa.String(64)),
        sa.Column("signed_at", sa.String(32)),
        sa.Column("qr_url", sa.String(300)),
        sa.Column("refusal_code", sa.String(32)),
        sa.Column("refusal_message", sa.Text()),
        sa.Column("requested_at", sa.String(32), nullable=False),
        sa.Column("settled_at", sa.String(32)),
    )
    op.create_index("ix_etims_invoices_order", "etims_invoices", ["order_id"])
    op.create_index("ix_etims_invoices_state", "etims_invoices", ["state"])


def downgrade() -> None:
    op.drop_index("ix_etims_invoices_state", table_name="etims_invoices")
    op.drop_index("ix_etims_invoices_order", table_name="etims_invoices")
    op.drop_table("etims_invoices")
    with op.batch_alter_table("shop_settings") as batch:
        batch.drop_column("etims_enabled")
