"""references, receipts and payers sealed; blind indexes to find them

Canonical events, payments, parked items and C2B claims held receipts, references and payers
in clear. Their columns become text wide enough for AES-GCM (base64), and blind-index columns
are added for the lookups (a payment by reference or CheckoutRequestID, an event or a C2B
claim by receipt); a C2B grant's receipt column holds a blind index, wider. The rows
themselves are sealed at start-up by sync.relay.store.at_rest.seal_existing: a migration cannot
see the master key.

Revision ID: 0005_sealed_events_payments
Revises: 0004_owner_console
Create Date: 2026-12-02 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_sealed_events_payments"
down_revision: str | None = "0004_owner_console"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENT_TEXT = {"reference": 120, "receipt": 64, "payer": 64, "message": 200}
_PAYMENT_TEXT = {"reference": 120, "checkout_request_id": 120, "receipt": 64}
_CLAIM_TEXT = {"trans_id": 32, "bill_ref": 120, "payer": 64}


def upgrade() -> None:
    with op.batch_alter_table("canonical_events") as batch_op:
        for column, length in _EVENT_TEXT.items():
            batch_op.alter_column(column, type_=sa.Text(), existing_type=sa.String(length))
        batch_op.add_column(sa.Column("receipt_index", sa.String(length=67), nullable=True))
        batch_op.create_index("ix_canonical_receipt", ["shop_id", "receipt_index"])
    with op.batch_alter_table("payments") as batch_op:
        for column, length in _PAYMENT_TEXT.items():
            batch_op.alter_column(column, type_=sa.Text(), existing_type=sa.String(length))
        batch_op.add_column(sa.Column("reference_index", sa.String(length=67), nullable=True))
        batch_op.add_column(sa.Column("checkout_index", sa.String(length=67), nullable=True))
        batch_op.create_unique_constraint("uq_payments_checkout_index", ["checkout_index"])
        batch_op.drop_index("ix_payments_reference")
        batch_op.create_index("ix_payments_reference", ["shop_id", "provider", "reference_index"])
    with op.batch_alter_table("c2b_claims") as batch_op:
        for column, length in _CLAIM_TEXT.items():
            batch_op.alter_column(column, type_=sa.Text(), existing_type=sa.String(length))
        batch_op.add_column(sa.Column("trans_index", sa.String(length=67), nullable=True))
        batch_op.drop_constraint("uq_c2b_claims_shop_trans", type_="unique")
        batch_op.create_unique_constraint("uq_c2b_claims_shop_trans", ["shop_id", "trans_index"])
    with op.batch_alter_table("c2b_grants") as batch_op:
        batch_op.alter_column("receipt", type_=sa.String(67), existing_type=sa.String(32))


def downgrade() -> None:
    with op.batch_alter_table("c2b_grants") as batch_op:
        batch_op.alter_column("receipt", type_=sa.String(32), existing_type=sa.String(67))
    with op.batch_alter_table("c2b_claims") as batch_op:
        batch_op.drop_constraint("uq_c2b_claims_shop_trans", type_="unique")
        batch_op.create_unique_constraint("uq_c2b_claims_shop_trans", ["shop_id", "trans_id"])
        batch_op.drop_column("trans_index")
        for column, length in _CLAIM_TEXT.items():
            batch_op.alter_column(column, type_=sa.String(length), existing_type=sa.Text())
    with op.batch_alter_table("payments") as batch_op:
        batch_op.drop_index("ix_payments_reference")
        batch_op.create_index("ix_payments_reference", ["shop_id", "provider", "reference"])
        batch_op.drop_constraint("uq_payments_checkout_index", type_="unique")
        batch_op.drop_column("checkout_index")
        batch_op.drop_column("reference_index")
        for column, length in _PAYMENT_TEXT.items():
            batch_op.alter_column(column, type_=sa.String(length), existing_type=sa.Text())
    with op.batch_alter_table("canonical_events") as batch_op:
        batch_op.drop_index("ix_canonical_receipt")
        batch_op.drop_column("receipt_index")
        for column, length in _EVENT_TEXT.items():
            batch_op.alter_column(column, type_=sa.String(length), existing_type=sa.Text())
