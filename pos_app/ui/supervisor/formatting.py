"""Times on the supervisor's pages, in the shop's zone (the till's clock may run in another)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate


def local_text(at: datetime | None, zone: str) -> str:
    if at is None:
        return "—"
    return at.astimezone(ZoneInfo(zone)).strftime("%d/%m/%Y %H:%M")


def shop_today(zone: str) -> QDate:
    """Today in the shop."""
    day = datetime.now(ZoneInfo(zone)).date()
    return QDate(day.year, day.month, day.day)


def short_time(at: datetime, zone: str) -> str:
    """Day/month and time: enough in a queue where everything is recent."""
    return at.astimezone(ZoneInfo(zone)).strftime("%d/%m %H:%M")
