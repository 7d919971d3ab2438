"""The version has one home (pyproject.toml) and shows in `--version`, on the sign-in screen
and in the receipt's small print."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from installers.bundle_plan import project_version

REPO = Path(__file__).resolve().parents[2]
VERSION = project_version(REPO)


def test_main_version_prints_pyprojects_version_without_starting_the_till() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"duka-till {VERSION}"


def test_sign_in_screen_shows_the_version(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLabel

    from pos_app.ui.login.sign_in import SignInDialog
    from pos_app.ui.tasks import TaskRunner

    tasks = TaskRunner()
    users = SimpleNamespace(list_users=lambda: [])
    ctx: Any = SimpleNamespace(tasks=tasks, services=SimpleNamespace(users=users))
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    label = dialog.findChild(QLabel, "sign-in-version")
    assert label is not None and label.isVisible()
    assert label.text() == f"Duka POS {VERSION}"
    tasks.shutdown(wait=True)


def test_receipt_small_print_carries_the_version(qapp: Any) -> None:
    from pos_app.core.money import Money
    from pos_app.services.receipts import ReceiptData, ReceiptLine
    from pos_app.ui.receipts.render import receipt_html

    chai = Money(12000, "KES")
    data = ReceiptData(
        shop_name="Mama Mboga",
        order_id="o-1",
        created_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        timezone="Africa/Nairobi",
        cashier="Juma",
        lines=(ReceiptLine("Chai", 1, chai, chai),),
        total=chai,
        vat=Money(0, "KES"),
        taxes=(),
        footer="Karibu tena",
    )
    html = receipt_html(data)
    assert f"Duka POS {VERSION}" in html
    assert html.index("Karibu tena") < html.index(f"Duka POS {VERSION}")
