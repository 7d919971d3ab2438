"""products: a category and a colour, so the sale screen can show a grid of products by
category, each button in its colour (both optional: a product with neither sits under "Other"
in the default colour).

Revision ID: counter_0001
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "counter_0001"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("category", sa.String(40), nullable=True))
        batch.add_column(sa.Column("colour", sa.String(7), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.drop_column("colour")
        batch.drop_column("category")
