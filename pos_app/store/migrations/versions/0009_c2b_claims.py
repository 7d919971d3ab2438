"""provider_events: whose C2B payment it is, as the relay said (claimed_by_till) or as it
answered this till's claim: "mine", "taken" (another till of the shop has it) or "open"
(nobody showed its account reference: this till asks the relay before it counts it).
Rows kept before this revision are "open": the relay is asked first.

Revision ID: claims_0001
Revises: counter_0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "claims_0001"
down_revision = "counter_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("provider_events") as batch:
        batch.add_column(
            sa.Column("claim", sa.String(8), nullable=False, server_default="open")
        )


def downgrade() -> None:
    with op.batch_alter_table("provider_events") as batch:
        batch.drop_column("claim")
