"""used_grants: the grants already spent, so each supervisor approval allows one change
(the row is written in that change's own transaction; expired rows are pruned).

Revision ID: books_0001
Revises: claims_0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "books_0001"
down_revision = "claims_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "used_grants",
        sa.Column("nonce", sa.String(32), primary_key=True),
        sa.Column("expires_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("used_grants")
