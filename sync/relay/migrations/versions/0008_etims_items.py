"""KRA eTIMS items: what each shop's device must have registered (saveItem) before an invoice
that names the item is signed, and what KRA last accepted, so an unchanged product is not sent
again

Revision ID: 0008_etims_items
Revises: 0007_etims
Create Date: 2026-12-03 11:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_etims_items"
down_revision: str | None = "0007_etims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "etims_items",
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), primary_key=True),
        sa.Column("item_code", sa.String(20), primary_key=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("registered", sa.JSON()),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_try_at", sa.DateTime(timezone=True)),
        sa.Column("refusal", sa.String(240)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_etims_items_state", "etims_items", ["shop_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_etims_items_state", table_name="etims_items")
    op.drop_table("etims_items")
