"""de-duplication keys per shop; idempotency responses NULL, not JSON 'null'

A provider's transaction id seen first at shop A dropped shop B's genuine confirmation as a
duplicate: the keys of canonical events and parked items are now unique per shop. A missing
idempotency response was stored as the JSON text 'null', which the release (IS NULL) never
matched, so a key whose first request failed stayed "running" until the purge.

Revision ID: 0002_shop_dedup_keys
Revises: 0001
Create Date: 2026-12-02 15:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_shop_dedup_keys"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps 0001's unique constraints unnamed; this names them on reflection.
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_TABLES = (("canonical_events", "uq_canonical_shop_dedup"), ("parked", "uq_parked_shop_dedup"))


def _old_name(table: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"{table}_dedup_key_key"
    return f"uq_{table}_dedup_key"


def upgrade() -> None:
    for table, name in _TABLES:
        with op.batch_alter_table(table, naming_convention=_NAMING) as batch_op:
            batch_op.drop_constraint(_old_name(table), type_="unique")
            batch_op.create_unique_constraint(name, ["shop_id", "dedup_key"])
    json_text = "response::text" if op.get_bind().dialect.name == "postgresql" else "response"
    op.execute(f"UPDATE idempotency_keys SET response = NULL WHERE {json_text} = 'null'")


def downgrade() -> None:
    for table, name in _TABLES:
        with op.batch_alter_table(table, naming_convention=_NAMING) as batch_op:
            batch_op.drop_constraint(name, type_="unique")
            batch_op.create_unique_constraint(_old_name(table), ["dedup_key"])
