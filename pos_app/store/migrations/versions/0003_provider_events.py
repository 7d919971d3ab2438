"""provider_events: payment outcomes the relay reported that match no sale yet (C2B
confirmations of customers who paid from the SIM menu), for matching and supervisor review.

Revision ID: sync_0001
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sync_0001"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "provider_events",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("relay_seq", sa.Integer, nullable=True),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("amount_minor", sa.Integer, nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("reference_ct", sa.LargeBinary, nullable=True),
        sa.Column("reference_bidx", sa.LargeBinary, nullable=True),
        sa.Column("receipt_ct", sa.LargeBinary, nullable=True),
        sa.Column("receipt_bidx", sa.LargeBinary, nullable=True),
        sa.Column("payer_ct", sa.LargeBinary, nullable=True),
        sa.Column("test_mode", sa.Boolean, nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("matched_payment_id", sa.String(36), nullable=True),
        sa.Column("matched_by", sa.String(64), nullable=True),
        sa.Column("matched_at", TS, nullable=True),
    )
    op.create_index("ix_provider_events_receipt_bidx", "provider_events", ["receipt_bidx"])
    op.create_index("ix_provider_events_reference_bidx", "provider_events", ["reference_bidx"])
    op.create_index(
        "ix_provider_events_matched_payment_id", "provider_events", ["matched_payment_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_provider_events_matched_payment_id", table_name="provider_events")
    op.drop_index("ix_provider_events_reference_bidx", table_name="provider_events")
    op.drop_index("ix_provider_events_receipt_bidx", table_name="provider_events")
    op.drop_table("provider_events")
