"""payments: the provider's result code and a short message of a reported outcome (so the
cashier sees why an M-Pesa prompt failed), and who collected a cash-on-delivery payment
(encrypted: a rider's name is personal data).

Revision ID: cashier_0001
Revises: sync_0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cashier_0001"
down_revision = "sync_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD / DROP COLUMN: a batch copy of payments would rebuild its partial indexes
    op.add_column("payments", sa.Column("result_code", sa.String(32), nullable=True))
    op.add_column("payments", sa.Column("result_message", sa.String(200), nullable=True))
    op.add_column("payments", sa.Column("collected_by_ct", sa.LargeBinary, nullable=True))


def downgrade() -> None:
    op.drop_column("payments", "collected_by_ct")
    op.drop_column("payments", "result_message")
    op.drop_column("payments", "result_code")
