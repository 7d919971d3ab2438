"""Where file dialogs start (the user's own folders), and saving a report or an export where
the supervisor chooses, off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.page_parts import show_message


def documents_folder() -> Path:
    """The user's Documents folder (never the program's own folder, where a bundled till may
    not even be writable)."""
    return _user_folder(QStandardPaths.StandardLocation.DocumentsLocation)


def pictures_folder() -> Path:
    """The user's Pictures folder, where a photo from a phone usually lands."""
    return _user_folder(QStandardPaths.StandardLocation.PicturesLocation)


def _user_folder(location: QStandardPaths.StandardLocation) -> Path:
    found = QStandardPaths.writableLocation(location)
    return Path(found) if found else Path.home()


def ask_save_path(
    owner: QWidget, title: str, file_name: str, file_filter: str, then: Callable[[str], None]
) -> None:
    """Ask where to save, starting in the user's Documents; `then(path)` unless the
    supervisor cancels."""
    start = str(documents_folder() / file_name)
    path, _ = QFileDialog.getSaveFileName(owner, title, start, file_filter)
    if path:
        then(path)


def save_text(
    tasks: TaskRunner,
    owner: QWidget,
    path: str,
    make_text: Callable[[], str],
    label: QLabel,
    saved: str,
    on_error: Callable[[BaseException], None],
) -> None:
    """Build the text and write it to `path` on a worker, then say `saved` (its %1 is the
    path) in `label`."""
    tasks.submit(
        lambda: Path(path).write_text(make_text(), encoding="utf-8", newline=""),
        on_done=lambda _r: show_message(label, saved.replace("%1", path), ok=True),
        on_error=on_error,
        owner=owner,
    )
