"""owner console

Revision ID: 0004_owner_console
Revises: 0003_c2b_claims
Create Date: 2026-12-02 15:17:10.184482
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_owner_console"
down_revision: str | None = "0003_c2b_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "owners",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("totp_secret_enc", sa.Text(), nullable=False),
        sa.Column("totp_last_step", sa.BigInteger(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "owner_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
        ),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    with op.batch_alter_table("owner_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_owner_sessions_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "owner_shops",
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
        ),
        sa.PrimaryKeyConstraint("owner_id", "shop_id"),
    )
    op.create_table(
        "shop_policies",
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("refund_limit_minor", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
        ),
        sa.PrimaryKeyConstraint("shop_id"),
    )
    op.create_table(
        "till_cursors",
        sa.Column("till_id", sa.String(length=36), nullable=False),
        sa.Column("pulled_seq", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["till_id"],
            ["tills.id"],
        ),
        sa.PrimaryKeyConstraint("till_id"),
    )


def downgrade() -> None:

    op.drop_table("till_cursors")
    op.drop_table("shop_policies")
    op.drop_table("owner_shops")
    with op.batch_alter_table("owner_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_owner_sessions_expires_at"))

    op.drop_table("owner_sessions")
    op.drop_table("owners")
