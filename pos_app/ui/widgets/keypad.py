"""An on-screen keypad for a touch till: digits into whichever line edit it serves (a quantity,
cash received, a phone number), with back-space, clear and an optional action key."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QWidget

BACKSPACE = "⌫"
KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", "00", "0", BACKSPACE)


class Keypad(QWidget):
    """Types into `target`; `action_text` adds a wide key that emits `action` (e.g. "Set
    quantity"). The keys never take the focus, so a scanner keeps typing where it did."""

    action = Signal()

    def __init__(
        self,
        target: QLineEdit | None = None,
        action_text: str = "",
        decimal: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("keypad")
        self.target = target
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        keys = list(KEYS)
        if decimal:  # money: a decimal point in place of the double zero
            keys[keys.index("00")] = "."
        for i, key in enumerate(keys):
            grid.addWidget(self._key(key, f"key-{key}" if key != BACKSPACE else "key-back"),
                           i // 3, i % 3)  # fmt: skip
        clear = self._key(self.tr("C"), "key-clear")
        row = len(keys) // 3
        grid.addWidget(clear, row, 0)
        if action_text:
            act = QPushButton(action_text)
            act.setObjectName("key-action")
            act.setProperty("role", "primary")
            act.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            act.setMinimumHeight(48)
            act.clicked.connect(self.action)
            grid.addWidget(act, row, 1, 1, 2)

    def _key(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumHeight(48)
        key = "" if name == "key-clear" else text  # clear's label is translated
        button.clicked.connect(lambda _=False: self.press(key))
        return button

    def press(self, key: str) -> None:
        """What a key does to the target ("" is clear)."""
        target = self.target
        if target is None or target.isReadOnly():
            return
        if key == "":
            target.clear()
        elif key == BACKSPACE:
            target.backspace()
        else:
            target.insert(key)
