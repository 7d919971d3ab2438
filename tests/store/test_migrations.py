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


def since(revision: str, start: str) -> bool:
    """`start` is `revision` or comes after it."""
    chain = all_revisions()
    return chain.index(start) >= chain.index(revision)


def seed(path: Path, revision: str) -> None:
    """Rows every revision since 0001 can hold, written with plain SQL like an old till (named
    columns, so later columns take their defaults), and those of the revisions up to
    `revision`."""
    # 0007 took the shop-wide rate off orders and counts quantities in thousandths
    at_0007 = since("0007", revision)
    order_rate, order_rate_value = ("", "") if at_0007 else (", vat_bps", ",1600")
    quantity = "quantity_thousandths" if at_0007 else "quantity"
    db = sqlite3.connect(path)
    db.executescript(
        f"""
        INSERT INTO users VALUES ('u1','Amina','supervisor',x'00',x'01',0,NULL,1,'en','{TS}');
        INSERT INTO products (id, name, price_minor, currency, sku, barcode, active, quick_key,
            created_at, updated_at)
            VALUES ('p1','Milk',6500,'KES','SKU1','600123',1,1,'{TS}','{TS}');
        INSERT INTO shifts VALUES ('s1','u1','{TS}','KES',50000,NULL,NULL,NULL,NULL);
        INSERT INTO orders (id, shift_id, cashier_id, customer_id, status, currency, total_minor,
            vat_minor{order_rate}, created_at, updated_at)
            VALUES ('o1','s1','u1',NULL,'paid','KES',6500,897{order_rate_value},'{TS}','{TS}');
        INSERT INTO order_lines (id, order_id, position, product_id, name, unit_price_minor,
            {quantity}, line_total_minor)
            VALUES ('l1','o1',0,'p1','Milk',6500,{1000 if at_0007 else 1},6500);
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
    if at_0007:
        db.executescript(
            """
            UPDATE products SET tax_class = 'C', unit = 'kg' WHERE id = 'p1';
            UPDATE orders SET receipt_prefix = 'TILL1', receipt_sequence = 7 WHERE id = 'o1';
            UPDATE order_lines SET tax_class = 'B', tax_rate_bps = 1600, taxable_minor = 5603,
                vat_minor = 897;
            INSERT INTO receipt_counters VALUES ('TILL1', 7);
            INSERT INTO credit_note_lines VALUES ('c1','r1','l1',500,500,'B',1600,431,69);
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
        seed(path, start)
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
        if not since("0007", start):
            # a line sold before 0007: one piece in thousandths, class B at its order's
            # rate, split per line (6500 / 1.16 = 5603.45 -> 5603 taxable, 897 VAT)
            assert db.execute(
                "SELECT quantity_thousandths, unit, tax_class, tax_rate_bps, taxable_minor, "
                "vat_minor, discount_minor, refunded_thousandths FROM order_lines"
            ).fetchall() == [(1000, "each", "B", 1600, 5603, 897, 0, 0)]
            assert db.execute("SELECT tax_class, unit FROM products").fetchall() == [
                ("B", "each")
            ]
            assert db.execute(
                "SELECT receipt_prefix, receipt_sequence FROM orders"
            ).fetchall() == [(None, None)]
        else:
            assert db.execute("SELECT * FROM receipt_counters").fetchall() == [("TILL1", 7)]
            assert db.execute("SELECT tax_class, unit FROM products").fetchall() == [
                ("C", "kg")
            ]
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"ix_payments_status", "ix_customers_phone_bidx", "ix_proofs_reference_bidx"} <= indexes
    assert "ux_refunds_request_id" in indexes
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert triggers == {"audit_log_no_update", "audit_log_no_delete"}
    assert db.execute(
        "SELECT currency, vat_bps, country, receipt_prefix, discount_approval_bps "
        "FROM shop_settings"
    ).fetchall() == [("KES", 1600, "KE", "TILL1", 1000)]
    db.close()

    # and the till opens it
    ledger = open_ledger(TillSettings(data_dir=tmp_path, keyring="memory"))
    ledger.close()


def test_the_head_revision_holds_every_seed(tmp_path: Path) -> None:
    """The seeds later revisions upgrade from are valid rows of the revision they name."""
    engine = create_ledger_engine(tmp_path / "till.db")
    migrate(engine)
    engine.dispose()
    seed(tmp_path / "till.db", head_revision())
    db = sqlite3.connect(tmp_path / "till.db")
    assert db.execute("SELECT * FROM receipt_counters").fetchall() == [("TILL1", 7)]
    assert db.execute("SELECT order_line_id, quantity_thousandths FROM credit_note_lines")\
        .fetchall() == [("l1", 500)]
    db.close()


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
