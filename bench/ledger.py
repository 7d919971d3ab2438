"""Commit latency of a complete cash sale on a ledger holding 0, 100k and 1M sales.

A sale = order + lines + payment + encrypted outbox event + hash-chained audit entry, in one
BEGIN IMMEDIATE ... COMMIT with the till's pragmas (WAL, synchronous=FULL). In the same run,
the latency of a bare single-row INSERT commit on the same engine (same pragmas) is measured,
interleaved with the sales so both see the same disk. Past sales are seeded with bulk inserts
of plausible rows (valid audit chain, real ciphertext) so the indexes are realistically deep.

    .venv/bin/python bench/ledger.py [--dir DIR] [--samples N] [--sizes 0,100000,1000000]

Last line: RESULT sale_p99_ms=... bare_p99_ms=... ratio=... rows=1000000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DUKA_KEYRING", "memory")

from sqlalchemy import Column, Integer, MetaData, String, Table

from pos_app.config import TillSettings
from pos_app.core.money import Money
from pos_app.core.orders import Order, OrderLine
from pos_app.services import build_services
from pos_app.services.grants import Action
from pos_app.store import audit
from pos_app.store.db import Ledger, open_ledger

BATCH = 20_000
PRODUCTS = [
    ("Unga 2kg", 21000),
    ("Sukari 1kg", 18000),
    ("Milk 500ml", 6500),
    ("Bread", 6000),
    ("Soap", 12000),
    ("Airtime 100", 10000),
    ("Eggs x6", 13000),
]

bare_meta = MetaData()
bench_bare = Table(
    "bench_bare",
    bare_meta,
    Column("id", Integer, primary_key=True),
    Column("note", String(32), nullable=False),
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def seed(ledger: Ledger, start: int, stop: int, cashier: str, shift: str) -> None:
    """Append sales start..stop-1 as bulk inserts (one transaction per batch)."""
    db = sqlite3.connect(ledger.settings.database, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")  # seeding only: durability is not what is measured
    cipher = ledger.cipher
    last = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0], last[1]) if last else (0, audit.GENESIS)
    t0 = datetime.now(UTC) - timedelta(days=365)
    rng = random.Random(start)
    for lo in range(start, stop, BATCH):
        hi = min(stop, lo + BATCH)
        orders, lines, payments, outbox, audits = [], [], [], [], []
        for i in range(lo, hi):
            at = (t0 + timedelta(seconds=i * 30)).isoformat(timespec="microseconds")
            oid, pid, eid = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
            picked = rng.sample(PRODUCTS, rng.randint(1, 3))
            total = sum(price for _, price in picked)
            vat = Money(total, "KES").vat_inclusive(1600)[1].minor
            orders.append((oid, shift, cashier, None, "paid", "KES", total, vat, at, at))
            for pos, (name, price) in enumerate(picked):
                net, line_vat = Money(price, "KES").vat_inclusive(1600)
                lines.append(
                    (
                        str(uuid.uuid4()),
                        oid,
                        pos,
                        None,
                        name,
                        price,
                        1000,
                        price,
                        "B",
                        1600,
                        net.minor,
                        line_vat.minor,
                    )
                )
            tendered = -(-total // 100000) * 100000
            payments.append(
                (
                    pid,
                    oid,
                    "cash",
                    "cash",
                    total,
                    "KES",
                    "succeeded",
                    tendered,
                    tendered - total,
                    0,
                    0,
                    "[]",
                    0,
                    0,
                    cashier,
                    at,
                    at,
                )
            )
            payload = json.dumps({"payment": {"payment_id": pid, "amount_minor": total}})
            outbox.append(
                (eid, "sale.cash", at, cipher.encrypt(payload, "outbox", "payload_ct", eid))
            )
            seq += 1
            details = audit.canonical({"order_id": oid, "amount_minor": total, "currency": "KES"})
            at_dt = datetime.fromisoformat(at)
            h = audit.digest(prev, seq, at_dt, cashier, "sale.cash", "payment", pid, details)
            audits.append((seq, at, cashier, "sale.cash", "payment", pid, details, prev, h))
            prev = h
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO orders (id, shift_id, cashier_id, customer_id, status, currency,"
            " total_minor, vat_minor, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            orders,
        )
        db.executemany(
            "INSERT INTO order_lines (id, order_id, position, product_id, name,"
            " unit_price_minor, quantity_thousandths, line_total_minor, tax_class, tax_rate_bps,"
            " taxable_minor, vat_minor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            lines,
        )
        db.executemany(
            "INSERT INTO payments (id, order_id, method, provider, amount_minor, currency, status,"
            " tendered_minor, change_minor, refunded_minor, risk_score, risk_reasons,"
            " needs_supervisor, test_mode, created_by, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            payments,
        )
        db.executemany(
            "INSERT INTO outbox (event_id, type, occurred_at, payload_ct, pushed_at, attempts,"
            " parked) VALUES (?,?,?,?,?,0,0)",
            [(e, t, a, p, a) for e, t, a, p in outbox],  # already pushed, like a real till
        )
        db.executemany("INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?,?)", audits)
        db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def measure(
    ledger: Ledger, cashier: str, shift: str, samples: int
) -> tuple[list[float], list[float]]:
    services = build_services(ledger)
    pay = services.payments
    rng = random.Random(samples)
    drafts = [
        Order.of(
            [
                OrderLine(n, Money(p, "KES"), rng.randint(1, 3))
                for n, p in rng.sample(PRODUCTS, rng.randint(1, 4))
            ]
        )
        for _ in range(samples)
    ]
    sale_ms: list[float] = []
    bare_ms: list[float] = []
    for i in range(samples + 20):  # the first 20 warm caches and are not counted
        draft = drafts[i % samples]
        tendered = Money(-(-draft.total.minor // 100000) * 100000, "KES")
        t = time.perf_counter()
        pay.record_cash_sale(draft, tendered, cashier_id=cashier, shift_id=shift)
        sale = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        with ledger.write() as conn:
            conn.execute(bench_bare.insert().values(note="bare"))
        bare = (time.perf_counter() - t) * 1000
        if i >= 20:
            sale_ms.append(sale)
            bare_ms.append(bare)
    return sale_ms, bare_ms


def fsync_ms(directory: Path) -> float:
    probe = directory / "fsync.probe"
    fd = os.open(probe, os.O_WRONLY | os.O_CREAT)
    times = []
    for _ in range(200):
        os.write(fd, b"x" * 4096)
        t = time.perf_counter()
        os.fsync(fd)
        times.append((time.perf_counter() - t) * 1000)
    os.close(fd)
    probe.unlink()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path(__file__).parent / "out" / "ledger")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--sizes", default="0,100000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    ledger = open_ledger(TillSettings(data_dir=args.dir, keyring="memory"))
    bare_meta.create_all(ledger.engine)
    services = build_services(ledger)
    owner = services.users.create_user("Owner", "supervisor", "2468")
    cashier = services.users.create_user(
        "Bench", "cashier", "1357", grant=services.users.grant(owner.id, "2468", Action.STAFF)
    ).id
    shift = services.shifts.open_shift(cashier, Money(0, "KES")).id

    print(f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} cores")
    print(f"database {ledger.settings.database}; disk fsync p50 {fsync_ms(args.dir):.3f} ms")
    print(
        f"{'sales':>9} {'seed s':>7} {'sale p50':>9} {'sale p99':>9} {'bare p50':>9} "
        f"{'bare p99':>9} {'ratio p99':>9}"
    )
    have = 0
    result = ""
    for size in sizes:
        t = time.perf_counter()
        if size > have:
            seed(ledger, have, size, cashier, shift)
            have = size
        seeded = time.perf_counter() - t
        sale, bare = measure(ledger, cashier, shift, args.samples)
        have += args.samples + 20
        s99, b99 = percentile(sale, 0.99), percentile(bare, 0.99)
        print(
            f"{size:>9,} {seeded:>7.1f} {percentile(sale, 0.5):>9.3f} {s99:>9.3f} "
            f"{percentile(bare, 0.5):>9.3f} {b99:>9.3f} {s99 / b99:>9.2f}",
            flush=True,
        )
        result = (
            f"RESULT sale_p99_ms={s99:.3f} bare_p99_ms={b99:.3f} ratio={s99 / b99:.2f} rows={size}"
        )
    with ledger.read() as conn:
        assert audit.verify_chain(conn) is None, "the bench broke the audit chain"
    ledger.close()
    print(result)


if __name__ == "__main__":
    main()
