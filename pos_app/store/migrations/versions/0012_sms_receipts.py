"""sms_receipts: each text receipt the cashier asked for (the phone encrypted), waiting for the
relay, then sent, failed (with the relay's reason) or unknown.

Revision ID: sms_0001
Revises: etims_0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sms_0001"
down_revision = "etims_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_receipts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("order_id", sa.String(36), sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("phone_ct", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("requested_at", sa.String(32), nullable=False),
        sa.Column("settled_at", sa.String(32)),
    )
    op.create_index("ix_sms_receipts_order", "sms_receipts", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_sms_receipts_order", table_name="sms_receipts")
    op.drop_table("sms_receipts")
