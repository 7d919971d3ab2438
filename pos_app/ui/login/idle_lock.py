"""Locks the till after a quiet spell: any key or click restarts the count."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

DEFAULT_IDLE_S = 5 * 60


class IdleWatcher(QObject):
    """Installed on the QApplication; emits `idle` once after `seconds` without input."""

    idle = Signal()
    _ACTIVITY = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.TouchBegin,
            QEvent.Type.Wheel,
        }
    )

    def __init__(self, seconds: float = DEFAULT_IDLE_S, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(seconds * 1000))
        self._timer.timeout.connect(self.idle.emit)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
