"""Drives the real start-up (pos_app.app.main) from timers, as a person would: fills the
first-run set-up or signs in, then reports the main window's pages and quits.

    python tests/ui/app_driver.py DATA_DIR PIN
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from pos_app.app import main
from pos_app.ui.application import create_application
from pos_app.ui.main_window import MainWindow

data_dir, pin = sys.argv[1], sys.argv[2]
app = create_application([sys.argv[0]])
done: list[str] = []


def poll() -> None:
    dialog = QApplication.activeModalWidget()
    if dialog is not None and dialog.objectName() == "setup-dialog" and not done:
        dialog.shop_name.setText("Duka la Baraka")  # type: ignore[attr-defined]
        dialog.supervisor_name.setText("Baraka")  # type: ignore[attr-defined]
        dialog.pin.setText(pin)  # type: ignore[attr-defined]
        dialog.pin_again.setText(pin)  # type: ignore[attr-defined]
        dialog.demo_catalogue.setChecked(True)  # type: ignore[attr-defined]
        dialog.finish.click()  # type: ignore[attr-defined]
        done.append("setup")
    elif (
        dialog is not None
        and dialog.objectName() == "sign-in-dialog"
        and not done
        and dialog.users.count()  # type: ignore[attr-defined]
    ):
        dialog.pin.setText(pin)  # type: ignore[attr-defined]
        dialog.findChild(QPushButton, "sign-in-ok").click()  # type: ignore[union-attr]
        done.append("sign-in")
    elif isinstance(dialog, QMessageBox):  # an error the till shows: report it, never hang
        print("MESSAGE", dialog.text(), flush=True)
        dialog.accept()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible() and done:
            titles = [b.objectName() for b in widget.findChildren(QPushButton)
                      if b.objectName().startswith("nav-")]
            print("PAGES", done[0], " ".join(sorted(titles)), flush=True)
            app.quit()
            return
    QTimer.singleShot(50, poll)


QTimer.singleShot(50, poll)
sys.exit(main(["--data-dir", data_dir]))
