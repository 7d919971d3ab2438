"""Alembic environment: runs on the connection open_ledger hands over (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from pos_app.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through pos_app.store.db.migrate(), not the alembic CLI")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
