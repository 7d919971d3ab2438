"""KRA eTIMS: each shop's OSCU device (its communication key sealed) and the invoices its tills
asked the relay to sign, numbered once and streamed back in the shop's event sequence

Revision ID: 0007_etims
Revises: 0006_hosted_providers
Create Date: 2026-12-03 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_etims"
down_revision: str | None = "0006_hosted_providers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "etims_devices",
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), primary_key=True),
        sa.Column("tin", sa.String(11), nullable=False),
        sa.Column("bhf_id", sa.String(2), nullable=False),
        sa.Column("device_serial", sa.String(100), nullable=False),
        sa.Column("device_enc", sa.Text(), nullable=False),
        sa.Column("base_url", sa.String(300)),
        sa.Column("receipt_host", sa.String(300)),
        sa.Column("next_invoice_number", sa.BigInteger(), nullable=False, server_default="1"),
        sa.Column("initialised_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "etims_documents",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), nullable=False),
        sa.Column("till_id", sa.String(36), nullable=False),
        sa.Column("receipt_number", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("original_receipt_number", sa.String(50)),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("invoice_number", sa.BigInteger()),
        sa.Column("in_doubt", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_try_at", sa.DateTime(timezone=True)),
        sa.Column("signature", sa.JSON()),
        sa.Column("refusal_code", sa.String(32)),
        sa.Column("refusal_message", sa.String(200)),
        sa.Column("stream_seq", sa.BigInteger()),
        sa.Column("stream_event_id", sa.String(36)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "shop_id", "till_id", "receipt_number", name="uq_etims_documents_receipt"
        ),
        sa.UniqueConstraint("shop_id", "stream_seq", name="uq_etims_documents_stream"),
        sa.UniqueConstraint("shop_id", "invoice_number", name="uq_etims_documents_invoice"),
    )
    op.create_index("ix_etims_documents_state", "etims_documents", ["shop_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_etims_documents_state", table_name="etims_documents")
    op.drop_table("etims_documents")
    op.drop_table("etims_devices")
