"""A plain bar chart drawn with QPainter (QtCharts is not in pyside6-essentials).

`paint_bars` draws onto any painter, so the same picture goes on screen and into the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOUR = QColor("#146c43")
AXIS_COLOUR = QColor("#5f6368")
TEXT_COLOUR = QColor("#1f1f1f")


def paint_bars(
    painter: QPainter,
    area: QRectF,
    bars: Sequence[tuple[str, int]],
    value_text: Sequence[str],
    empty_text: str,
) -> None:
    """Vertical bars, value above each bar, label below; `empty_text` when nothing to show."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    metrics = QFontMetrics(painter.font())
    line = metrics.height()
    painter.setPen(TEXT_COLOUR)
    if not bars or max(v for _, v in bars) <= 0:
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter, empty_text)
        painter.restore()
        return
    top = area.top() + line + 4
    bottom = area.bottom() - line - 6
    height = max(1.0, bottom - top)
    slot = area.width() / len(bars)
    bar_width = max(4.0, min(slot * 0.6, 80.0))
    peak = max(v for _, v in bars)
    for i, ((label, value), text) in enumerate(zip(bars, value_text, strict=True)):
        x = area.left() + i * slot + (slot - bar_width) / 2
        bar_height = height * max(value, 0) / peak
        painter.fillRect(QRectF(x, bottom - bar_height, bar_width, bar_height), BAR_COLOUR)
        painter.setPen(TEXT_COLOUR)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(slot))
        painter.drawText(
            QRectF(area.left() + i * slot, bottom - bar_height - line - 2, slot, line),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            shown,
        )
        label_shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(slot))
        painter.drawText(
            QRectF(area.left() + i * slot, bottom + 4, slot, line),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            label_shown,
        )
    painter.setPen(AXIS_COLOUR)
    painter.drawLine(int(area.left()), int(bottom), int(area.right()), int(bottom))
    painter.restore()


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.bars: list[tuple[str, int]] = []
        self.value_text: list[str] = []
        self.empty_text = ""

    def set_bars(
        self, bars: Sequence[tuple[str, int]], value_text: Sequence[str], empty_text: str
    ) -> None:
        self.bars = list(bars)
        self.value_text = list(value_text)
        self.empty_text = empty_text
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 200)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        paint_bars(
            painter,
            QRectF(self.rect()).adjusted(8, 8, -8, -8),
            self.bars,
            self.value_text,
            self.empty_text,
        )
        painter.end()
