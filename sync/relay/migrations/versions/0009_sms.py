"""SMS receipts: each text a till asked the relay to send (number and text sealed), sent once
through Africa's Talking and streamed back as sent, failed or unknown

Revision ID: 0009_sms
Revises: 0008_etims_items
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_sms"
down_revision: str | None = "0008_etims_items"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sms_messages",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), nullable=False),
        sa.Column("till_id", sa.String(36), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("request_id", sa.String(36), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_try_at", sa.DateTime(timezone=True)),
        sa.Column("message_id", sa.String(64)),
        sa.Column("cost", sa.String(32)),
        sa.Column("reason", sa.String(200)),
        sa.Column("stream_seq", sa.BigInteger()),
        sa.Column("stream_event_id", sa.String(36)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("till_id", "event_id", name="uq_sms_messages_event"),
        sa.UniqueConstraint("shop_id", "stream_seq", name="uq_sms_messages_stream"),
    )
    op.create_index("ix_sms_messages_state", "sms_messages", ["state", "next_try_at"])


def downgrade() -> None:
    op.drop_index("ix_sms_messages_state", table_name="sms_messages")
    op.drop_table("sms_messages")
