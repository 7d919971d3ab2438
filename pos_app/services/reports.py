"""The supervisor's reports: sales by day and payment method, open cash-on-delivery orders,
proofs waiting for a decision, refunds; each one exportable as CSV (the PDF is drawn by the UI).
Test payments (made while a provider was in test mode) are never money: they are in no total,
and listed apart (`Report.test_sales`).

Days are the shop's calendar days (its time zone); amounts are minor units, net of refunds.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from pos_app.core.money import Money
from pos_app.core.payments import PAID_STATUSES, PaymentStatus
from pos_app.services import receipt_numbers
from pos_app.services.refund_requests import DONE
from pos_app.store.db import Ledger
from pos_app.store.schema import payments, refunds, users


@dataclass(frozen=True, slots=True)
class SalesRow:
    day: date
    method: str
    count: int
    amount: Money


@dataclass(frozen=True, slots=True)
class OpenItem:
    payment_id: str
    order_id: str
    method: str
    amount: Money
    since: datetime
    receipt_number: str = ""  # the sale's, as printed; empty for one stored before them


@dataclass(frozen=True, slots=True)
class RefundItem:
    refund_id: str
    payment_id: str
    amount: Money
    method: str
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Report:
    since: date
    until: date
    currency: str
    sales: tuple[SalesRow, ...]
    open_cod: tuple[OpenItem, ...]
    pending_proofs: tuple[OpenItem, ...]
    refunds: tuple[RefundItem, ...]
    test_sales: tuple[SalesRow, ...] = ()  # test payments, by day and method: not money

    def test_total(self) -> Money:
        return Money(sum(r.amount.minor for r in self.test_sales), self.currency)

    def test_count(self) -> int:
        return sum(r.count for r in self.test_sales)

    def total_by_day(self) -> list[tuple[date, Money]]:
        days: dict[date, int] = defaultdict(int)
        day = self.since
        while day <= self.until:
            days[day] = 0
            day += timedelta(days=1)
        for row in self.sales:
            days[row.day] += row.amount.minor
        return [(d, Money(v, self.currency)) for d, v in sorted(days.items())]

    def total_by_method(self) -> list[tuple[str, Money]]:
        methods: dict[str, int] = defaultdict(int)
        for row in self.sales:
            methods[row.method] += row.amount.minor
        return [(m, Money(v, self.currency)) for m, v in sorted(methods.items())]

    def total(self) -> Money:
        return Money(sum(r.amount.minor for r in self.sales), self.currency)


class ReportService:
    def __init__(self, ledger: Ledger, timezone: str = "Africa/Nairobi") -> None:
        self._ledger = ledger
        self._zone = ZoneInfo(timezone)

    def _start(self, day: date) -> datetime:
        return datetime.combine(day, time(), self._zone).astimezone(UTC)

    def build(self, since: date, until: date, code: str) -> Report:
        if until < since:
            since, until = until, since
        start, end = self._start(since), self._start(until + timedelta(days=1))
        with self._ledger.read() as conn:
            paid = conn.execute(
                select(
                    payments.c.created_at,
                    payments.c.method,
                    payments.c.amount_minor,
                    payments.c.refunded_minor,
                    payments.c.test_mode,
                )
                .where(payments.c.status.in_([s.value for s in PAID_STATUSES]))
                .where(payments.c.currency == code)
                .where(payments.c.created_at >= start, payments.c.created_at < end)
            ).all()
            cod = self._open(conn, PaymentStatus.AWAITING_COD)
            proofs = self._open(conn, PaymentStatus.AWAITING_VERIFICATION)
            refund_rows = conn.execute(
                select(refunds, users.c.name.label("by_name"))
                .select_from(refunds.outerjoin(users, users.c.id == refunds.c.by_user))
                .where(refunds.c.created_at >= start, refunds.c.created_at < end)
                .where(refunds.c.status == DONE)  # money that went back, not what was asked
                .order_by(refunds.c.created_at.desc())
            ).all()
        live = self._by_day_and_method([r for r in paid if not r.test_mode], code)
        tests = self._by_day_and_method([r for r in paid if r.test_mode], code)
        return Report(
            since=since,
            until=until,
            currency=code,
            sales=live,
            test_sales=tests,
            open_cod=cod,
            pending_proofs=proofs,
            refunds=tuple(
                RefundItem(
                    r.id,
                    r.payment_id,
                    Money(r.amount_minor, r.currency),
                    r.method,
                    r.reason,
                    r.by_name or r.by_user,
                    r.created_at,
                )
                for r in refund_rows
            ),
        )

    def _by_day_and_method(self, paid: list[Any], code: str) -> tuple[SalesRow, ...]:
        grouped: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
        for r in paid:
            key = (r.created_at.astimezone(self._zone).date(), r.method)
            grouped[key][0] += 1
            grouped[key][1] += r.amount_minor - r.refunded_minor
        return tuple(
            SalesRow(day, method, n, Money(minor, code))
            for (day, method), (n, minor) in sorted(grouped.items())
        )

    @staticmethod
    def _open(conn: Connection, status: PaymentStatus) -> tuple[OpenItem, ...]:
        rows = conn.execute(
            select(payments)
            .where(payments.c.status == status.value)
            .order_by(payments.c.created_at)
        ).all()
        numbers = receipt_numbers.of_orders(conn, (r.order_id for r in rows))
        return tuple(
            OpenItem(
                r.id, r.order_id, r.method, Money(r.amount_minor, r.currency), r.created_at,
                numbers.get(r.order_id, ""),
            )
            for r in rows
        )

    def to_csv(self, report: Report) -> str:
        """One file, five sections (test payments apart: not money), amounts as decimal text
        in the report's currency."""
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(
            ["section", "date", "method", "count", "amount", "currency", "reference", "note"]
        )
        sections = [("sales", s) for s in report.sales]
        sections += [("test_payments", s) for s in report.test_sales]  # not money
        for section, s in sections:
            w.writerow(
                [
                    section,
                    s.day.isoformat(),
                    s.method,
                    s.count,
                    s.amount.format(with_code=False).replace(",", ""),
                    s.amount.currency,
                    "",
                    "",
                ]
            )
        for label, items in (
            ("open_cod", report.open_cod),
            ("pending_proof", report.pending_proofs),
        ):
            for o in items:
                w.writerow(
                    [
                        label,
                        o.since.astimezone(self._zone).date().isoformat(),
                        o.method,
                        1,
                        o.amount.format(with_code=False).replace(",", ""),
                        o.amount.currency,
                        o.order_id,
                        "",
                    ]
                )
        for f in report.refunds:
            w.writerow(
                [
                    "refund",
                    f.at.astimezone(self._zone).date().isoformat(),
                    f.method,
                    1,
                    f.amount.format(with_code=False).replace(",", ""),
                    f.amount.currency,
                    f.payment_id,
                    f.reason,
                ]
            )
        return out.getvalue()
