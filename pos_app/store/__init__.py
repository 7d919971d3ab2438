"""The ledger: SQLite through SQLAlchemy 2, field encryption, outbox, inbox and audit log."""
