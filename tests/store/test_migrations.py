"""Every earlier revision, holding data, upgrades to head; head matches the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from pos_app.config import TillSettings
from pos_app.store.db import (
    alembic_config,
    create_ledger_engine,
    current_revision,
    head_revision,
    migrate,
    open_ledger,
)
from pos_app.store.schema import metadata

TS = "2026-01-02T03:04:05.000000+00:00"


def all_revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def earlier_revisions() -> list[str | None]:
    return [None, *all_revisions()[:-1]]


def seed(path: Path) -> None:
    """Rows every revision since 0001 can hold, written with plain SQL like an old till."""
    db = sqlite3.connect(path)
    db.executescript(
        f"""
        INSERT INTO users VALUES ('u1','Amina','supervisor',x'00',x'01',0,NULL,1,'en','{TS}');
        INSERT INTO products VALUES ('p1','Milk',6500,'KES','SKU1','600123',1,1,'{TS}','{TS}');
        INSERT INTO shifts VALUES ('s1','u1','{TS}','KES',50000,NULL,NULL,NULL,NULL);
        INSERT INTO orders VALUES ('o1','s1','u1',NULL,'paid','KES',6500,897,1600,'{TS}','{TS}');
        INSERT INTO order_lines VALUES ('l1','o1',0,'p1','Milk',6500,1,6500);
        INSERT INTO payments (id, order_id, method, provider, amount_minor, currency, status,
            refunded_minor, risk_score, risk_reasons, needs_supervisor, test_mode, created_at,
            updated_at)
            VALUES ('pay1','o1','cash','cash',6500,'KES','succeeded',0,0,'[]',0,0,'{TS}','{TS}');
        INSERT INTO refunds (id, payment_id, amount_minor, currency, reason, by_user, method,
            created_at) VALUES ('r1','pay1',500,'KES','Broken','u1','cash_drawer','{TS}');
        INSERT INTO outbox (event_id, type, occurred_at, payload_ct, attempts, parked)
            VALUES ('e1','sale.cash','{TS}',x'0100010000',0,0);
        """
    )
    db.commit()
    db.close()


def test_there_are_at_least_two_revisions() -> None:
    assert len(all_revisions()) >= 2
    assert all_revisions()[-1] == head_revision()


@pytest.mark.parametrize("start", earlier_revisions(), ids=lambda r: f"from-{r or 'empty'}")
def test_upgrade_from_every_earlier_revision(tmp_path: Path, start: str | None) -> None:
    path = tmp_path / "till.db"
    engine = create_ledger_engine(path)
    if start is not None:
        migrate(engine, start)
        assert current_revision(engine) == start
        seed(path)
    migrate(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()

    db = sqlite3.connect(path)
    if start is not None:
        assert db.execute("SELECT name FROM users").fetchall() == [("Amina",)]
        assert db.execute("SELECT amount_minor, status FROM payments").fetchall() == [
            (6500, "succeeded")
        ]
        assert db.execute("SELECT seq, event_id FROM outbox").fetchall() == [(1, "e1")]
        # an old payment has no provider result and no COD collector
        assert db.execute(
            "SELECT result_code, result_message, collected_by_ct FROM payments"
        ).fetchall() == [(None, None, None)]
        # refunds recorded before supervisor_0001 were recorded once done
        assert db.execute("SELECT id, status, request_id FROM refunds").fetchall() == [
            ("r1", "done", None)
        ]
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"ix_payments_status", "ix_customers_phone_bidx", "ix_proofs_reference_bidx"} <= indexes
    assert "ux_refunds_request_id" in indexes
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert triggers == {"audit_log_no_update", "audit_log_no_delete"}
    assert db.execute("SELECT currency, vat_bps FROM shop_settings").fetchall() == [("KES", 1600)]
    db.close()

    # and the till opens it
    ledger = open_ledger(TillSettings(data_dir=tmp_path, keyring="memory"))
    ledger.close()


def test_head_schema_matches_the_models(tmp_path: Path) -> None:
    engine = create_ledger_engine(tmp_path / "till.db")
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()

    def foreign(item: object) -> bool:
        # tables other modules migrate in and define next to their own code
        op = item[0] if isinstance(item, tuple) else None
        obj = item[1] if isinstance(item, tuple) else None
        name = getattr(obj, "name", None) if op == "remove_table" else None
        owner = getattr(getattr(obj, "table", None), "name", None)
        return (name or owner) not in metadata.tables

    assert [d for d in diff if not foreign(d)] == []


def test_downgrade_to_empty_and_back(tmp_path: Path) -> None:
    from alembic import command

    from pos_app.store.db import write_transaction

    engine = create_ledger_engine(tmp_path / "till.db")
    migrate(engine)
    cfg = alembic_config()
    with write_transaction(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()
