"""Renders resources/icons/duka-till.svg into the raster icons the installers need:
PNGs for the Linux desktop entry, .ico for the Windows executable, .icns for the macOS app.

Run after editing the SVG and commit the results: `python -m installers.make_icons`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (48, 256)


def render(svg: Path, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def write_icons(svg: Path, folder: Path) -> None:
    for size in PNG_SIZES:
        render(svg, size).save(str(folder / f"duka-till-{size}.png"))
    large = render(svg, 256)
    for suffix in ("ico", "icns"):
        writer = QImageWriter(str(folder / f"duka-till.{suffix}"), suffix.encode())
        if not writer.write(large):
            raise RuntimeError(f"Qt could not write .{suffix}: {writer.errorString()}")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    write_icons(ICONS / "duka-till.svg", ICONS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
