"""JSON logs with secrets and personal data scrubbed, and the Prometheus metrics."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime

from prometheus_client import Counter, Gauge

WEBHOOKS = Counter(
    "duka_relay_webhooks_total",
    "Provider webhooks by provider, kind and verdict",
    ["provider", "kind", "verdict"],
)
TERMINAL_CALLS = Counter(
    "duka_relay_terminal_requests_total",
    "Terminal API calls by operation and HTTP status",
    ["operation", "status"],
)
PAYMENT_CHECKS = Counter(
    "duka_relay_payment_checks_total",
    "Provider re-queries / verifications by provider and result",
    ["provider", "result"],
)
LONG_POLLS = Gauge("duka_relay_long_polls", "Pulls currently waiting for an event")

Replacement = str | Callable[[re.Match[str]], str]
_SCRUBBERS: tuple[tuple[re.Pattern[str], Replacement], ...] = (
    (re.compile(r"sk_(test|live)_[A-Za-z0-9]+"), r"sk_\1_***"),
    (re.compile(r"(?i)(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 ***"),
    # Shop tokens in webhook URLs (hex, 48 chars) and terminal tokens.
    (re.compile(r"/(mobile|mpesa)/[0-9a-f]{16,}"), r"/\1/***"),
    (
        re.compile(r"(?i)(passkey|secret|password|token)([\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"),
        r"\1\2***",
    ),
    # Phone numbers: 2547XXXXXXXX, +2547..., 07XXXXXXXX; keep the first 4 and last 3 digits.
    (
        re.compile(r"(?<!\d)(\+?2547|\+?2541|07|01)(\d{5,6})(\d{3})(?!\d)"),
        lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3),
    ),
)


def scrub(text: str) -> str:
    for pattern, replacement in _SCRUBBERS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        if record.exc_info:
            entry["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, access_log: bool = False) -> None:
    """uvicorn logs an access line when its access logger `hasHandlers()`: letting it propagate
    to the root handler would switch the access log on whatever uvicorn was told."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").propagate = access_log
