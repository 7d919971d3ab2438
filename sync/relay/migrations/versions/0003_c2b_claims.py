"""C2B confirmations are claims until Transaction Status confirms them; one till per C2B

c2b_claims: a C2B confirmation waiting for the Transaction Status API. c2b_references and
c2b_grants: the relay gives each C2B payment to one till of the shop (the one that showed its
account reference, or the first whose supervisor asked for it), recorded on its event.

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
    op.create_table(
        "c2b_references",
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("till_id", sa.String(length=36), nullable=False),
        sa.Column("shown_at", When, nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"]),
        sa.PrimaryKeyConstraint("shop_id", "reference"),
    )
    op.create_table(
        "c2b_grants",
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("receipt", sa.String(length=32), nullable=False),
        sa.Column("till_id", sa.String(length=36), nullable=False),
        sa.Column("how", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=True),
        sa.Column("granted_at", When, nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"]),
        sa.PrimaryKeyConstraint("shop_id", "receipt"),
    )
    with op.batch_alter_table("canonical_events") as batch_op:
        batch_op.add_column(sa.Column("claimed_by_till", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("canonical_events") as batch_op:
        batch_op.drop_column("claimed_by_till")
    op.drop_table("c2b_grants")
    op.drop_table("c2b_references")
    op.drop_index("ix_c2b_claims_next_check", table_name="c2b_claims")
    op.drop_table("c2b_claims")
