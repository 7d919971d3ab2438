"""Store-level checks on both databases: migrations match the schema; retention purge."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from sync.relay.app import open_store
from sync.relay.store.schema import metadata
from sync.relay.store.store import Ignored, ParkDraft, RawWebhook, utcnow
from tests.relay.conftest import make_settings


def test_migrations_build_exactly_the_declared_schema(tmp_path: Path, database_url: str) -> None:
    store = open_store(make_settings(tmp_path, database_url))
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    store.close()
    assert diff == []


def test_purge_drops_old_raw_webhooks_but_keeps_open_parked_ones(
    tmp_path: Path, database_url: str
) -> None:
    store = open_store(make_settings(tmp_path, database_url))
    shop_id, _ = store.create_shop("Shop")
    old = utcnow() - timedelta(days=100)

    def raw(at_days_ago: int) -> RawWebhook:
        return RawWebhook(
            "mpesa",
            "c2b_validation",
            shop_id,
            "127.0.0.1",
            {},
            b"{}",
            utcnow() - timedelta(days=at_days_ago),
        )

    store.ingest(raw(100), lambda _c: Ignored("validation"))
    store.ingest(raw(100), lambda _c: ParkDraft("unknown_reference", "k1", {}))
    store.ingest(raw(1), lambda _c: Ignored("validation"))
    counts = store.purge(old + timedelta(days=10))
    assert counts["raw_webhooks"] == 1
    assert store.count_raw() == 2  # the recent one and the one an owner must still look at
    assert len(store.parked(shop_id)) == 1
    store.close()
