"""C2B confirmations are claims until the Transaction Status API confirms them

Revision ID: 0003_c2b_claims
Revises: 0002_shop_dedup_keys
Create Date: 2026-12-02 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_c2b_claims"
down_revision: str | None = "0002_shop_dedup_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "c2b_claims",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("trans_id", sa.String(length=32), nullable=False),
        sa.Column("test_mode", sa.Boolean(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("short_code", sa.String(length=16), nullable=False),
        sa.Column("bill_ref", sa.String(length=120), nullable=True),
        sa.Column("payer", sa.String(length=64), nullable=True),
        sa.Column("transaction_type", sa.String(length=32), nullable=True),
        sa.Column("trans_time", When, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_check_at", When, nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id"),
        sa.UniqueConstraint("shop_id", "trans_id", name="uq_c2b_claims_shop_trans"),
    )
    op.create_index("ix_c2b_claims_next_check", "c2b_claims", ["next_check_at"])


def downgrade() -> None:
    op.drop_index("ix_c2b_claims_next_check", table_name="c2b_claims")
    op.drop_table("c2b_claims")
