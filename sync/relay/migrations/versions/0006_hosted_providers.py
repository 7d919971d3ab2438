"""Flutterwave and Stripe: their test-mode switches, and the provider's own reference of a
payment (the Stripe Checkout Session, the Flutterwave transaction a webhook named), which the
relay verifies before anything counts as paid

Revision ID: 0006_hosted_providers
Revises: 0005_sealed_events_payments
Create Date: 2026-12-02 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_hosted_providers"
down_revision: str | None = "0005_sealed_events_payments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shops") as batch_op:
        for column in ("flutterwave_test_mode", "stripe_test_mode"):
            batch_op.add_column(
                sa.Column(column, sa.Boolean(), nullable=False, server_default=sa.true())
            )
    with op.batch_alter_table("payments") as batch_op:
        # sealed like the reference (sync.relay.store.at_rest)
        batch_op.add_column(sa.Column("provider_reference", sa.Text(), nullable=True))
        # Stripe's checkout URLs run past 300 characters.
        batch_op.alter_column(
            "authorization_url", type_=sa.String(length=1000), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch_op:
        batch_op.alter_column(
            "authorization_url", type_=sa.String(length=300), existing_nullable=True
        )
        batch_op.drop_column("provider_reference")
    with op.batch_alter_table("shops") as batch_op:
        batch_op.drop_column("stripe_test_mode")
        batch_op.drop_column("flutterwave_test_mode")
