"""A seeded ledger in a real SQLite file, and a task runner, for the supervisor pages."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice
from PySide6.QtGui import QColor, QImage

from pos_app.config import TillSettings
from pos_app.services.bus import EventBus
from pos_app.services.supervisor_desk import SupervisorDesk
from pos_app.store.db import Ledger
from pos_app.ui.tasks import TaskRunner
from sync.demo_day import DemoIds, seed_demo


def png_bytes() -> bytes:
    image = QImage(40, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#e8f5e9"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


@pytest.fixture(autouse=True)
def _widgets_die_on_the_gui_thread(qapp):
    """After qtbot closed the test's widgets: delete them and collect their reference cycles
    here. Left to Python's cyclic GC they could be freed on a worker thread later, and a
    QWidget destroyed off the GUI thread crashes the process."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def desk(tmp_path: Path, qapp, open_test_ledger: Callable[[TillSettings], Ledger]):
    ledger = open_test_ledger(TillSettings(data_dir=tmp_path, keyring="memory"))
    yield SupervisorDesk.over(ledger, EventBus())
    ledger.close()


@pytest.fixture
def ids(desk: SupervisorDesk) -> DemoIds:
    return seed_demo(desk, png_bytes())


@pytest.fixture
def photo() -> bytes:
    """The receipt photo seed_demo attaches, in clear (PNG encoding is deterministic)."""
    return png_bytes()


@pytest.fixture
def tasks(qapp):
    runner = TaskRunner(max_workers=2)
    yield runner
    # let finished work reach its widgets before they are deleted
    runner.shutdown(wait=True)
    qapp.processEvents()
