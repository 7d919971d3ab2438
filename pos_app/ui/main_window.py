"""The till's window: test-mode banner on top, the screens in the middle, status at the bottom.

Screens come from the cashier and supervisor packages as `Page`s built for the signed-in
user's role (pos_app.app.pages_for); the window owns them from then on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.provider_names import provider_name
from pos_app.ui.status import TillStatus

NAV_PER_ROW = 6  # page buttons in one row; more go on two

@dataclass(frozen=True)
class Page:
    key: str
    title: str
    widget: QWidget


class MainWindow(QMainWindow):
    def __init__(
        self,
        status: TillStatus,
        shop_zone: str = "Africa/Nairobi",
        test_instructions: Callable[[], Mapping[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Duka POS"))
        screen = QGuiApplication.primaryScreen()
        if screen is not None:  # never open taller or wider than the shop's screen
            room = screen.availableGeometry()
            self.resize(min(1280, room.width()), min(800, room.height()))
        self._status = status
        self._zone = ZoneInfo(shop_zone)
        self._test_instructions = test_instructions or dict

        root = QWidget()
        layout = QVBoxLayout(root)
        layout.setContentsMargins(8, 8, 8, 8)
        # one line (about 24 px on a 768-pixel screen): the test cards and numbers are in its
        # tooltip and behind its "details" link, not between the cashier and the sale
        self.banner = QLabel()
        self.banner.setObjectName("test-mode-banner")
        self.banner.setProperty("role", "banner-test")
        self.banner.setWordWrap(False)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.banner.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.banner.linkActivated.connect(self._show_test_details)
        self.banner.hide()
        layout.addWidget(self.banner)

        self.nav = QGridLayout()
        self._nav_group = QButtonGroup(self)
        self._nav_group.setExclusive(True)
        layout.addLayout(self.nav)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(root)

        self.connection_label = QLabel()
        self.unsynced_label = QLabel()
        self.last_sync_label = QLabel()
        self.unsigned_label = QLabel()
        self.unsigned_label.setObjectName("unsigned-invoices")
        self.user_label = QLabel()
        for label in (
            self.connection_label,
            self.unsynced_label,
            self.last_sync_label,
            self.unsigned_label,
        ):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.user_label)
        self._page_keys: list[str] = []
        status.changed.connect(self.refresh_status)
        self.refresh_status()

    def set_pages(self, pages: Sequence[Page]) -> None:
        """Shows `pages` in place of the previous ones (called after each sign-in).

        The window owns every page handed to it: each sits in a scroll area of the stack, and
        the old ones go with their scroll areas, deleted on the GUI thread once the current
        event is done. Nobody else deletes a page or takes it back out.
        """
        for button in self._nav_group.buttons():
            self._nav_group.removeButton(button)
            button.deleteLater()
        while (scroller := self.pages.widget(0)) is not None:
            self.pages.removeWidget(scroller)  # still the stack's child until deleted
            scroller.deleteLater()
        self._page_keys = []
        # a supervisor's eleven pages in one row would make the window wider than a
        # 1024-pixel screen: more than NAV_PER_ROW go on two rows
        per_row = len(pages) if len(pages) <= NAV_PER_ROW else -(-len(pages) // 2)
        for i, page in enumerate(pages):
            # A page taller than a 1366x768 shop laptop scrolls instead of pushing the
            # status bar off the screen.
            scroller = QScrollArea()
            scroller.setWidgetResizable(True)
            scroller.setFrameShape(QScrollArea.Shape.NoFrame)
            scroller.setWidget(page.widget)
            index = self.pages.addWidget(scroller)
            self._page_keys.append(page.key)
            button = QPushButton(page.title)
            button.setCheckable(True)
            button.setObjectName(f"nav-{page.key}")
            button.clicked.connect(lambda _=False, i=index: self.pages.setCurrentIndex(i))
            self._nav_group.addButton(button)
            self.nav.addWidget(button, i // per_row, i % per_row)
        buttons = self._nav_group.buttons()
        if buttons:
            buttons[0].setChecked(True)
            self.pages.setCurrentIndex(0)
        self.refresh_status()  # the status bar and banner in the new user's language

    def current_page(self) -> QWidget | None:
        scroller = self.pages.currentWidget()
        return scroller.widget() if isinstance(scroller, QScrollArea) else None

    def show_page(self, key: str) -> None:
        index = self._page_keys.index(key)
        self.pages.setCurrentIndex(index)
        self._nav_group.buttons()[index].setChecked(True)

    def set_user(self, text: str) -> None:
        self.user_label.setText(text)

    def refresh_status(self) -> None:
        status = self._status
        if status.online:
            self.connection_label.setText(self.tr("● Online"))
            self.connection_label.setProperty("role", "ok")
        else:  # the reason in words, not only in a tooltip
            self.connection_label.setText(
                self.tr("● Offline: %1").replace("%1", status.offline_reason)
            )
            self.connection_label.setProperty("role", "error")
        self.connection_label.setToolTip(status.offline_reason if not status.online else "")
        self.connection_label.style().polish(self.connection_label)
        self.unsynced_label.setText(self._queue_text())
        # eTIMS: each waiting receipt is a slip, not a tax invoice, until KRA signs it
        self.unsigned_label.setText(
            self.tr("%n invoice(s) waiting for the eTIMS signature", "", status.unsigned)
        )
        self.unsigned_label.setVisible(status.unsigned > 0)
        if status.last_sync is None:
            self.last_sync_label.setText(self.tr("Last sync: never"))
            self.last_sync_label.setVisible(not status.unsynced)  # the queue line says it all
        else:
            shown = status.last_sync.astimezone(self._zone).strftime("%d/%m %H:%M:%S")
            self.last_sync_label.setText(self.tr("Last sync: %1").replace("%1", shown))
            self.last_sync_label.show()
        if status.test_mode_providers:
            hints = self._test_instructions()
            names = ", ".join(provider_name(p) for p in status.test_mode_providers)
            details = self.tr("details")
            self.banner.setText(
                self.tr("TEST MODE — no real money moves (%1).").replace("%1", names)
                + f' <a href="details">{details}</a>'
            )
            self.banner.setToolTip("\n".join(hints.get(p) or p for p in status.test_mode_providers))
            self.banner.show()
        else:
            self.banner.hide()

    def _queue_text(self) -> str:
        """Unsynced events, read together with the connection: before the first sync an
        online till is still sending them, an offline one keeps them."""
        status = self._status
        if not status.unsynced:
            return self.tr("All synced") if status.last_sync else ""
        if not status.online:
            return self.tr("%n event(s) waiting to sync", "", status.unsynced)
        if status.last_sync is None:
            return self.tr("Syncing %n event(s)…", "", status.unsynced)
        return self.tr("Unsynced: %n event(s)", "", status.unsynced)

    def _show_test_details(self, _link: str) -> None:
        QToolTip.showText(
            self.banner.mapToGlobal(self.banner.rect().bottomLeft()),
            self.banner.toolTip(),
            self.banner,
        )
