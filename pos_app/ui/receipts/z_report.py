"""The Z report as HTML: one layout for the shift screen, the printer and the saved PDF.

Expected amounts per method are net of refunds and voids; the refunds and voids of the
shift's sales follow on their own lines (count and amount per method) so the difference is
explained, not hidden. Test payments (a provider in test mode) are never money: they follow
apart, outside every total. `labels` carries the screen's translated words. The shift's
opening and closing times, stored in UTC, are shown in the shop's zone with who did each.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pos_app.core.money import Money
from pos_app.ui.receipts.render import method_label

NEGATIVE = "#b02a37"
POSITIVE = "#146c43"


def z_report_html(
    report: dict[str, Any], shop_name: str, title: str, labels: dict[str, str], zone: ZoneInfo
) -> str:
    code = report["currency"]

    def money(minor: int) -> str:
        return Money(minor, code).format(with_code=False)

    def text(key: str) -> str:
        return html.escape(labels[key])

    # a report from before blind counts says nothing of what was counted: all of it was
    counted = report.get("counted_methods", list(report["methods"]))
    rows = []
    for method, row in report["methods"].items():
        diff = row["difference_minor"]
        colour = NEGATIVE if diff < 0 else (POSITIVE if diff > 0 else "#000")
        was_counted = method in counted  # M-Pesa, Paystack, COD: ledger totals, not counted
        rows.append(
            f"<tr><td>{html.escape(method_label(method))}</td>"
            f"<td align='right'>{money(row['expected_minor'])}</td>"
            f"<td align='right'>{money(row['counted_minor']) if was_counted else '—'}</td>"
            f"<td align='right' style='color:{colour}'>"
            f"{money(diff) if was_counted else '—'}</td></tr>"
        )
    total = report["total_difference_minor"]
    return (
        f"<h2>{html.escape(shop_name)} — {html.escape(title)}</h2>"
        + _who_and_when(report, labels, zone)
        + f"<p>{text('float')}: {money(report['opening_float_minor'])} {code}<br/>"
        f"{text('in')}: {money(report['cash_in_minor'])} · "
        f"{text('out')}: {money(report['cash_out_minor'])}</p>"
        "<table width='100%' cellspacing='0' cellpadding='4' border='1'>"
        f"<tr><th align='left'>{text('method')}</th>"
        f"<th align='right'>{text('expected')}</th>"
        f"<th align='right'>{text('counted')}</th>"
        f"<th align='right'>{text('variance')}</th></tr>"
        + "".join(rows)
        + f"</table><p><b>{text('total')}: {money(total)} {code}</b><br/>"
        f"<i>{text('net_note')}</i></p>"
        + _shortage_reason(report.get("shortage_reason") or "", labels)
        + _refunds_and_voids(report.get("refunds_and_voids") or {}, money, text)
        + _test_payments(report.get("test_payments") or {}, money, text)
    )


def _who_and_when(report: dict[str, Any], labels: dict[str, str], zone: ZoneInfo) -> str:
    """"Opened 03/12/2026 08:00 by Amina" and the same for the close; a report stored before
    names were kept says the times alone."""
    lines = []
    for at_key, name_key, label in (
        ("opened_at", "opened_by_name", "opened"),
        ("closed_at", "closed_by_name", "closed"),
    ):
        if not report.get(at_key):
            continue
        at = datetime.fromisoformat(report[at_key]).astimezone(zone)
        name = report.get(name_key) or ""
        words = labels[f"{label}_by" if name else label]
        lines.append(
            html.escape(
                words.replace("%1", at.strftime("%d/%m/%Y %H:%M")).replace("%2", name)
            )
        )
    return f"<p>{'<br/>'.join(lines)}</p>" if lines else ""


def _test_payments(
    lines: dict[str, int], money: Callable[[int], str], text: Callable[[str], str]
) -> str:
    if not lines:
        return ""
    rows = [
        f"<tr><td>{html.escape(method_label(method))}</td>"
        f"<td align='right'>{money(minor)}</td></tr>"
        for method, minor in lines.items()
    ]
    return (
        f"<h3>{text('test_payments')}</h3>"
        "<table width='100%' cellspacing='0' cellpadding='4' border='1'>" + "".join(rows)
        + f"</table><p><i>{text('test_note')}</i></p>"
    )


def _shortage_reason(reason: str, labels: dict[str, str]) -> str:
    if not reason:
        return ""
    return f"<p>{html.escape(labels['shortage_reason'])}: {html.escape(reason)}</p>"


def _refunds_and_voids(
    lines: dict[str, dict[str, int]], money: Callable[[int], str], text: Callable[[str], str]
) -> str:
    heading = f"<h3>{text('given_back')}</h3>"
    if not lines:
        return heading + f"<p>{text('none_given_back')}</p>"
    rows = [
        f"<tr><td>{html.escape(method_label(method))}</td>"
        f"<td align='right'>{row['refunds_count']}</td>"
        f"<td align='right' style='color:{NEGATIVE}'>{money(-row['refunds_minor'])}</td>"
        f"<td align='right'>{row['voids_count']}</td>"
        f"<td align='right' style='color:{NEGATIVE}'>{money(-row['voids_minor'])}</td></tr>"
        for method, row in lines.items()
    ]
    return (
        heading + "<table width='100%' cellspacing='0' cellpadding='4' border='1'>"
        f"<tr><th align='left'>{text('method')}</th>"
        f"<th align='right'>{text('refunds')}</th>"
        f"<th align='right'>{text('refunded')}</th>"
        f"<th align='right'>{text('voids')}</th>"
        f"<th align='right'>{text('voided')}</th></tr>" + "".join(rows) + "</table>"
    )
