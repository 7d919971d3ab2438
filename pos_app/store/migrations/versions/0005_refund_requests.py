"""refunds: a status ("pending" while the relay is asked, then "done" or "failed") and the
request id sent to the relay as its idempotency key, so a refund asked for before a restart is
retried with the same id. Earlier refunds were all recorded once done.

Revision ID: supervisor_0001
Revises: cashier_0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "supervisor_0001"
down_revision = "cashier_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "refunds", sa.Column("status", sa.String(16), nullable=False, server_default="done")
    )
    op.add_column("refunds", sa.Column("request_id", sa.String(36), nullable=True))
    op.create_index(
        "ux_refunds_request_id",
        "refunds",
        ["request_id"],
        unique=True,
        sqlite_where=sa.text("request_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ux_refunds_request_id", table_name="refunds")
    op.drop_column("refunds", "request_id")
    op.drop_column("refunds", "status")
