"""products: a category (plain text, optional), set by a supervisor when adding or editing a
product in the app.

Revision ID: desk_0001
Revises: supervisor_0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "desk_0001"
down_revision = "supervisor_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("products", sa.Column("category", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("products", "category")
