"""The audit trail: who did what and when, filterable; the hash chain checked on demand."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.audit_trail import AuditFilter, AuditRow, AuditTrailService, ChainCheck
from pos_app.ui.errors import error_message
from pos_app.ui.supervisor.audit_names import action_text, details_text
from pos_app.ui.supervisor.files import ask_save_path, save_text
from pos_app.ui.supervisor.formatting import local_text, shop_today
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.page_parts import heading_label, hint_label, message_label, show_message
from pos_app.ui.widgets.tables import ReadOnlyTable


class AuditPage(QWidget):
    def __init__(
        self,
        service: AuditTrailService,
        tasks: TaskRunner,
        timezone: str = "Africa/Nairobi",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("supervisor-audit")
        self._service = service
        self._tasks = tasks
        self._zone = timezone
        self.rows: list[AuditRow] = []
        self.last_check: ChainCheck | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Audit trail")))

        filters = QHBoxLayout()
        self.user_filter = QComboBox()
        self.user_filter.setObjectName("audit-user")
        self.user_filter.addItem(self.tr("Everybody"), None)
        self.action_filter = QComboBox()
        self.action_filter.setObjectName("audit-action")
        self.action_filter.addItem(self.tr("All actions"), None)
        self.use_dates = QCheckBox(self.tr("Only from"))
        self.use_dates.setObjectName("audit-use-dates")
        today = shop_today(timezone)
        self.since = QDateEdit(today.addDays(-7))
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.filter_button = QPushButton(self.tr("Show"))
        self.filter_button.setObjectName("audit-show")
        for combo in (self.user_filter, self.action_filter):
            # an action's name in words can be long: it never widens the page past the screen
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
        filters.addWidget(QLabel(self.tr("User")))
        filters.addWidget(self.user_filter)
        filters.addWidget(QLabel(self.tr("Action")))
        filters.addWidget(self.action_filter, 1)
        layout.addLayout(filters)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.since)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.until)
        dates.addWidget(self.filter_button)
        dates.addStretch(1)
        layout.addLayout(dates)

        checks = QHBoxLayout()
        self.verify_button = QPushButton(self.tr("Verify the chain"))
        self.verify_button.setObjectName("audit-verify")
        self.verify_button.setProperty("role", "primary")
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("audit-export")
        checks.addWidget(self.verify_button)
        checks.addWidget(self.export_button)
        checks.addStretch(1)
        layout.addLayout(checks)
        self.chain_label = message_label("audit-chain")
        layout.addWidget(self.chain_label)

        self.table = ReadOnlyTable(
            [
                self.tr("No."),
                self.tr("When"),
                self.tr("User"),
                self.tr("Action"),
                self.tr("What"),
                self.tr("Details"),
            ],
            "audit-table",
        )
        layout.addWidget(self.table, 1)
        self.empty_hint = hint_label(
            self.tr("No audit entries match these filters."), "audit-empty"
        )
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)

        self.filter_button.clicked.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self._ask_export)
        self._tasks.submit(
            self._load_choices,
            on_done=self._show_choices,
            on_error=self._failed,
            owner=self,
        )
        self.refresh()

    # --- loading ----------------------------------------------------------------------------
    def _load_choices(self) -> tuple[list[tuple[str, str]], list[str]]:
        return self._service.actors(), self._service.actions()

    def _show_choices(self, choices: tuple[list[tuple[str, str]], list[str]]) -> None:
        actors, actions = choices
        for user_id, name in actors:
            self.user_filter.addItem(name, user_id)
        for action in actions:
            self.action_filter.addItem(action_text(action), action)

    def current_filter(self) -> AuditFilter:
        since: date | None = None
        until: date | None = None
        if self.use_dates.isChecked():
            since = self.since.date().toPython()  # type: ignore[assignment]
            until = self.until.date().toPython()  # type: ignore[assignment]
        return AuditFilter(
            actor=self.user_filter.currentData(),
            action=self.action_filter.currentData(),
            since=since,
            until=until,
        )

    def refresh(self) -> None:
        self.filter_button.setEnabled(False)
        self._tasks.submit(
            self._service.search,
            self.current_filter(),
            on_done=self._show_rows,
            on_error=self._failed,
            owner=self,
        )

    def _show_rows(self, rows: list[AuditRow]) -> None:
        self.filter_button.setEnabled(True)
        self.rows = rows
        self.table.show_rows(
            [
                [
                    r.seq,
                    local_text(r.at, self._zone),
                    r.actor_name,
                    action_text(r.action),
                    f"{r.entity} {(r.entity_id or '')[:8]}",
                    details_text(r.details),
                ]
                for r in rows
            ],
            [r.seq for r in rows],
        )
        self.table.resizeRowsToContents()  # the details' key: value lines, each on its own
        self.empty_hint.setVisible(not rows)

    # --- the chain --------------------------------------------------------------------------
    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        show_message(self.chain_label, self.tr("Checking every entry…"), ok=True)
        self._tasks.submit(
            self._service.verify,
            on_done=self._show_check,
            on_error=self._failed,
            owner=self,
        )

    def _show_check(self, check: ChainCheck) -> None:
        self.verify_button.setEnabled(True)
        self.last_check = check
        if check.intact:
            text = self.tr("The chain is intact: all %1 entries are as they were written.")
            show_message(self.chain_label, text.replace("%1", str(check.entries)), ok=True)
            return
        broken = check.first_broken
        assert broken is not None
        text = self.tr(
            "The audit trail was altered. First broken entry: No. %1 (%2, %3, %4). "
            "Every later entry is unproven. Call the shop owner."
        )
        for i, value in enumerate(
            (
                str(broken.seq),
                action_text(broken.action),
                broken.actor_name,
                local_text(broken.at, self._zone),
            ),
            start=1,
        ):
            text = text.replace(f"%{i}", value)
        show_message(self.chain_label, text, ok=False)
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == str(broken.seq):
                self.table.selectRow(row)
                self.table.scrollToItem(item)

    # --- export -----------------------------------------------------------------------------
    def _ask_export(self) -> None:
        ask_save_path(
            self,
            self.tr("Export audit trail"),
            "audit.csv",
            self.tr("CSV files (*.csv)"),
            self.export_csv,
        )

    def export_csv(self, path: str) -> None:
        rows = list(self.rows)
        save_text(
            self._tasks,
            self,
            path,
            lambda: self._service.to_csv(rows),
            self.chain_label,
            self.tr("Saved %1"),
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.filter_button.setEnabled(True)
        self.verify_button.setEnabled(True)
        show_message(self.chain_label, error_message(error), ok=False)
