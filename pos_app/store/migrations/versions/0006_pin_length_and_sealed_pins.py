"""shop_settings.min_pin_length (4, or 6 for a shop that wants longer PINs), and users'
PIN hashes sealed under the data key.

Sealing needs the data key, which Alembic does not have (migrations run before the key is
loaded and checked): pos_app.store.pin_seal.seal_legacy wraps every bare scrypt hash right
after the key check at start-up. Nothing to do for it here, and nothing to undo: a sealed
hash stays valid after a downgrade of this column.

Revision ID: 0006
Revises: supervisor_0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "supervisor_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shop_settings") as batch:
        batch.add_column(
            sa.Column("min_pin_length", sa.Integer, nullable=False, server_default="4")
        )


def downgrade() -> None:
    with op.batch_alter_table("shop_settings") as batch:
        batch.drop_column("min_pin_length")
