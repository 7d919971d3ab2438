"""M-Pesa Pull Transactions: a shop whose shortcode is registered for Pull has the end of the
last window the relay queried (NULL: Pull is off); the next window starts a little before it

Revision ID: 0010_mpesa_pull
Revises: 0009_sms
Create Date: 2026-12-03 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_mpesa_pull"
down_revision: str | None = "0009_sms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shops") as batch_op:
        batch_op.add_column(sa.Column("mpesa_pull_until", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("shops") as batch_op:
        batch_op.drop_column("mpesa_pull_until")
