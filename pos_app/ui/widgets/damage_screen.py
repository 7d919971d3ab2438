"""The screen a till with a damaged ledger shows instead of selling: why, in words, and the
way back (restore the last backup plus the relay's copy), run on a worker; then what came
back and what did not, in the user's language.

At start-up (pos_app.app.open_or_restore) it is accepted once a restore succeeded and the
caller opens the ledger again. In a session (`session_damage_screen`: damage found while
running, or a supervisor's Restore in Settings) the running till lets its ledger go for the
restore, so the screen ends by asking to start Duka POS again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.errors import DamageKind, LedgerDamaged
from pos_app.services.grants import Action, Grant
from pos_app.services.recovery import EventNote, NotRecoveredWhy, RestoreOutcome, RestoreProblem
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.ui.supervisor.audit_names import action_text
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.page_parts import button_row, heading_label, message_label
from pos_app.ui.widgets.pin_dialog import ask_supervisor_pin

Restore = Callable[[], RestoreOutcome]
translate = QCoreApplication.translate


def _event(note: EventNote) -> str:
    name = action_text(note.type)
    if name == note.type:  # a kind the audit trail has no name for: never the raw type
        name = translate("Restore", "Another till record")
    if note.amount is not None:
        name = (
            translate("Restore", "%1, %2").replace("%1", name).replace("%2", note.amount.format())
        )
    return translate("Restore", "No. %1: %2").replace("%1", str(note.till_seq)).replace("%2", name)


def _why(why: NotRecoveredWhy) -> str:
    return {
        NotRecoveredWhy.NOT_REBUILT: translate(
            "Restore", "the relay's copy does not hold enough to rebuild it"
        ),
        NotRecoveredWhy.OTHER_CURRENCY: translate(
            "Restore", "it is in another currency than the shop's"
        ),
        NotRecoveredWhy.DOES_NOT_ADD_UP: translate(
            "Restore", "its amounts do not add up without its discount's approval"
        ),
        NotRecoveredWhy.UNKNOWN_ORDER: translate(
            "Restore", "the sale it belongs to was not recovered"
        ),
        NotRecoveredWhy.UNKNOWN_PRODUCT: translate(
            "Restore", "the product it changes was not recovered"
        ),
        NotRecoveredWhy.REFUSED: translate("Restore", "the ledger refused it"),
    }[why]


def _problem(problem: RestoreProblem) -> str:
    return {
        RestoreProblem.NO_KEY: translate(
            "Restore",
            "The data key is not in the keyring, so no backup can be read. Restore the "
            "keyring entry, or set DUKA_DATA_KEY to the saved key.",
        ),
        RestoreProblem.NO_BACKUP: translate(
            "Restore", "No backup was found in the data folder or the backup copy folder."
        ),
        RestoreProblem.BACKUP_UNREADABLE: translate(
            "Restore", "The backup cannot be read or holds a damaged ledger."
        ),
        RestoreProblem.RELAY_UNREACHABLE: translate(
            "Restore",
            "The relay could not be asked for this till's sales. Restore again when the till "
            "is online.",
        ),
    }[problem]


def restore_report(outcome: RestoreOutcome) -> list[str]:
    """What a restore did, in the user's language, one line each."""
    said: list[str] = []
    if outcome.backup is not None:
        said.append(
            translate("Restore", "Restored the ledger from the backup %1.").replace(
                "%1", outcome.backup.name
            )
        )
    if outcome.set_aside is not None:
        said.append(
            translate("Restore", "The files it replaced are kept in %1.").replace(
                "%1", str(outcome.set_aside)
            )
        )
    if outcome.problem is not None:
        said.append(_problem(outcome.problem))
        return said
    if not outcome.paired:
        said.append(
            translate(
                "Restore", "This till is not paired with a relay: the backup is all there is."
            )
        )
        return said
    said.append(
        translate("Restore", "Recovered from the relay: %1 record(s).").replace(
            "%1", str(len(outcome.recovered))
        )
    )
    said += ["  " + _event(note) for note in outcome.recovered]
    if outcome.not_recovered:
        said.append(
            translate(
                "Restore", "Not recovered (the relay still holds them; enter them again by hand):"
            )
        )
        said += [
            "  "
            + translate("Restore", "%1 — %2")
            .replace("%1", _event(note))
            .replace("%2", _why(note.why or NotRecoveredWhy.REFUSED))
            for note in outcome.not_recovered
        ]
    return said


def restoring_now() -> LedgerDamaged:
    """Why selling stops while a supervisor restores a till that was not found damaged."""
    return LedgerDamaged(DamageKind.RESTORING)


class DamageScreen(QDialog):
    """Accepted once a restore succeeded at start-up (the caller opens the ledger again).
    In a session (`in_session`), `confirm` runs on the GUI thread before each restore (a
    supervisor's PIN and a yes), and the screen ends by asking to start Duka POS again."""

    def __init__(
        self,
        damage: LedgerDamaged,
        restore: Restore,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        in_session: bool = False,
        confirm: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ledger-damage-screen")
        self.setWindowTitle(self.tr("Duka POS has stopped selling"))
        self.setMinimumWidth(620)
        self._restore = restore
        self._tasks = tasks
        self._in_session = in_session
        self._confirm = confirm
        self.outcome_value: RestoreOutcome | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("The till has stopped selling")))
        self.why = QLabel(error_message(damage))
        self.why.setObjectName("damage-message")
        self.why.setWordWrap(True)
        layout.addWidget(self.why)
        self.details = QLabel(self.tr("Details for support:"))
        self.details.setVisible(bool(damage.findings))
        layout.addWidget(self.details)
        # SQLite's own words: for support, not translated
        self.report = QPlainTextEdit("\n".join(damage.findings))
        self.report.setObjectName("damage-report")
        self.report.setReadOnly(True)
        self.report.setMinimumHeight(120)
        self.report.setVisible(bool(damage.findings))  # the restore's report fills it later
        layout.addWidget(self.report)
        self.outcome = message_label("damage-result")
        layout.addWidget(self.outcome)
        self.restore_button = QPushButton(self.tr("Restore from backup / relay"))
        self.restore_button.setObjectName("restore-button")
        self.restore_button.setProperty("role", "primary")
        self.restore_button.clicked.connect(self.start)
        self.quit_button = QPushButton(self.tr("Not now") if in_session else self.tr("Quit"))
        self.quit_button.setObjectName("damage-quit")
        self.quit_button.clicked.connect(self.reject)
        layout.addStretch(1)
        layout.addLayout(button_row([self.restore_button], [self.quit_button]))

    def start(self) -> bool:
        """Run the restore on a worker; False when the supervisor stepped back."""
        if self._confirm is not None and not self._confirm():
            return False
        self.restore_button.setEnabled(False)
        self.quit_button.setEnabled(False)  # the ledger is half replaced until it ends
        if self._in_session:  # the running till stops selling for the restore
            self.why.setText(error_message(restoring_now()))
        self.outcome.setText(
            self.tr("Restoring… the till does not sell meanwhile. This can take a minute.")
        )
        self._tasks.submit(self._restore, on_done=self._done, on_error=self._failed, owner=self)
        return True

    def _done(self, outcome: RestoreOutcome) -> None:
        self.outcome_value = outcome
        self.details.hide()
        self.report.setPlainText("\n".join(restore_report(outcome)))
        self.report.show()
        self.quit_button.setEnabled(True)
        if self._in_session and outcome.let_go:
            self.quit_button.setText(self.tr("Close Duka POS"))
        if outcome.ok and not self._in_session:
            self.outcome.setText(self.tr("Restored. The till starts again."))
            self.accept()
            return
        if outcome.ok:
            self.outcome.setText(self.tr("Restored. Close Duka POS and start it again to sell."))
        elif outcome.backup is not None:
            self.outcome.setText(self.tr("Not everything came back: see the list above."))
        else:
            self.outcome.setText(self.tr("Nothing was restored: see why above."))
        # in a session the ledger was let go for the restore: the way on is a fresh start
        self.restore_button.setEnabled(not self._in_session or not outcome.let_go)

    def _failed(self, error: BaseException) -> None:
        self.outcome.setText(error_message(error))
        self.restore_button.setEnabled(True)
        self.quit_button.setEnabled(True)


SessionRestore = Callable[[Grant], RestoreOutcome]


def session_damage_screen(
    parent: QWidget | None, ctx: AppContext, damage: LedgerDamaged, restore: SessionRestore
) -> DamageScreen:
    """The damage screen over a running till: Restore asks for a supervisor's PIN
    (Action.RESTORE) and a yes, then runs `restore(grant)` on a worker (it stops selling,
    lets the ledger go, restores and replays the relay's copy)."""
    given: list[Grant] = []

    def confirm() -> bool:
        grant = ask_supervisor_pin(
            screen,
            ctx,
            translate("Restore", "Restore the till from its backup and the relay"),
            Action.RESTORE,
        )
        if grant is None:
            return False
        sure = QMessageBox.question(
            screen,
            translate("Restore", "Restore from backup / relay"),
            translate(
                "Restore",
                "The till stops selling now and its ledger is replaced by the last backup "
                "plus the relay's copy of this till's records. Sales not yet sent to the "
                "relay may be lost. Afterwards Duka POS must be started again. Restore now?",
            ),
        )
        if sure != QMessageBox.StandardButton.Yes:
            return False
        given[:] = [grant]
        return True

    screen = DamageScreen(
        damage,
        lambda: restore(given[0]),
        ctx.tasks,
        parent,
        in_session=True,
        confirm=confirm,
    )
    return screen


def stopped_selling(parent: QWidget | None, ctx: AppContext, damage: LedgerDamaged | None) -> None:
    """The running till's damage screen (`damage` None: a supervisor's Restore from Settings,
    which asks for the PIN at once). Once a restore ran, Duka POS closes to start again."""
    if ctx.restore is None:
        return
    screen = session_damage_screen(parent, ctx, damage or restoring_now(), ctx.restore)
    if damage is None and not screen.start():
        screen.deleteLater()
        return
    screen.exec()
    outcome = screen.outcome_value
    screen.deleteLater()
    if outcome is not None and outcome.let_go:
        QCoreApplication.quit()
