"""The screen a till with a damaged ledger shows instead of selling: why, in words, and the
way back (restore the last backup plus the relay's copy), run on a worker."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.page_parts import button_row, heading_label, message_label

Restore = Callable[[], tuple[bool, list[str]]]


class DamageScreen(QDialog):
    """Accepted once a restore succeeded (the caller opens the ledger again)."""

    def __init__(
        self,
        message: str,
        findings: Sequence[str],
        restore: Restore,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ledger-damage-screen")
        self.setWindowTitle(self.tr("Duka POS has stopped selling"))
        self.setMinimumWidth(560)
        self._restore = restore
        self._tasks = tasks
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("The till has stopped selling")))
        why = QLabel(message)
        why.setObjectName("damage-message")
        why.setWordWrap(True)
        layout.addWidget(why)
        self.report = QPlainTextEdit("\n".join(findings))
        self.report.setObjectName("damage-report")
        self.report.setReadOnly(True)
        self.report.setMaximumHeight(140)
        layout.addWidget(self.report)
        self.outcome = message_label("damage-result")
        layout.addWidget(self.outcome)
        self.restore_button = QPushButton(self.tr("Restore from backup"))
        self.restore_button.setObjectName("restore-button")
        self.restore_button.clicked.connect(self._start)
        self.quit_button = QPushButton(self.tr("Quit"))
        self.quit_button.clicked.connect(self.reject)
        layout.addLayout(button_row([self.restore_button], [self.quit_button]))

    def _start(self) -> None:
        self.restore_button.setEnabled(False)
        self.outcome.setText(self.tr("Restoring… this can take a minute."))
        self._tasks.submit(self._restore, on_done=self._done, on_error=self._failed)

    def _done(self, outcome: tuple[bool, list[str]]) -> None:
        ok, said = outcome
        self.report.setPlainText("\n".join(said))
        if ok:
            self.outcome.setText(self.tr("Restored. The till starts again."))
            self.accept()
            return
        self.outcome.setText(self.tr("Not everything came back: see the list above."))
        self.restore_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self.outcome.setText(str(getattr(error, "message", None) or self.tr("Restore failed.")))
        self.restore_button.setEnabled(True)
