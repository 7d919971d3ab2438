import itertools
import threading
import time

import pytest

from pos_app.ui.tasks import TaskRunner


def test_result_arrives_on_the_gui_thread(qtbot):
    runner = TaskRunner()
    seen: dict[str, object] = {}

    def work() -> str:
        seen["worker"] = threading.current_thread()
        return "done"

    def on_done(value: str) -> None:
        seen["value"] = value
        seen["callback"] = threading.current_thread()

    runner.submit(work, on_done=on_done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=2000)
    assert seen["value"] == "done"
    assert seen["callback"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()
    runner.shutdown()


def test_error_goes_to_on_error_or_the_failed_signal(qtbot):
    runner = TaskRunner()
    errors: list[BaseException] = []

    def boom() -> None:
        raise RuntimeError("relay unreachable")

    runner.submit(boom, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert str(errors[0]) == "relay unreachable"

    with qtbot.waitSignal(runner.failed, timeout=2000) as blocker:
        runner.submit(boom)
    assert isinstance(blocker.args[0], RuntimeError)
    runner.shutdown()


def test_gui_thread_keeps_ticking_while_a_call_hangs(qtbot):
    """A 2 s stall on the worker must not hold up GUI timers (a gap near 2 s would mean it
    did; the bound leaves room for a loaded CI machine)."""
    from PySide6.QtCore import QTimer

    runner = TaskRunner()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    done: list[bool] = []
    runner.submit(time.sleep, 2.0, on_done=lambda _: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 50
    assert max(gaps) < 0.5
    runner.shutdown()


def test_the_worker_never_frees_what_the_gui_handed_it(qtbot):
    """A page's last reference must never die on a worker: a QWidget destroyed off the GUI
    thread crashes the process (seen as a SIGSEGV while switching languages)."""
    runner = TaskRunner(max_workers=1)
    freed_on: list[threading.Thread] = []

    class Probe:  # stands for a page the app has already let go of
        def __del__(self) -> None:
            freed_on.append(threading.current_thread())

    probe = Probe()
    gate = threading.Event()
    runner.submit(lambda held=probe: gate.wait(5))
    del probe
    gate.set()
    qtbot.waitUntil(lambda: bool(freed_on), timeout=2000)
    assert freed_on == [threading.main_thread()]
    runner.shutdown(wait=True)


def test_results_for_a_deleted_receiver_are_dropped(qtbot):
    from PySide6.QtCore import QCoreApplication, QEvent, QObject

    runner = TaskRunner()
    gate = threading.Event()
    seen: list[object] = []
    owner = QObject()
    runner.submit(gate.wait, 5, on_done=seen.append, owner=owner)
    runner.submit(lambda: 1 / 0, on_error=seen.append, owner=owner)
    owner.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    with qtbot.assertNotEmitted(runner.failed, wait=300):
        gate.set()
        runner.shutdown(wait=True)
        qtbot.wait(50)
    assert seen == []


def test_shutdown_cancels_what_has_not_started_and_lets_it_go(qtbot):
    runner = TaskRunner(max_workers=1)
    gate = threading.Event()
    ran: list[int] = []
    runner.submit(gate.wait, 5)
    for n in range(3):
        runner.submit(ran.append, n)
    runner.shutdown()
    assert len(runner._jobs._jobs) == 1  # only the running one is still held
    gate.set()
    runner.submit(ran.append, 99)  # after shutdown: nothing happens
    qtbot.waitUntil(lambda: not runner._jobs._jobs, timeout=2000)
    assert ran == []


@pytest.mark.slow
def test_thousands_of_pages_let_go_mid_job_all_die_on_the_gui_thread(qtbot):
    """The crash itself: with the old runner this died with SIGSEGV in processEvents within a
    few hundred pages (a worker freed the last reference to a QWidget)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QLabel, QTableWidget, QVBoxLayout, QWidget

    runner = TaskRunner(max_workers=2)
    off_gui: list[str] = []
    freed: list[int] = []

    class Page(QWidget):
        def __init__(self) -> None:
            super().__init__()
            layout = QVBoxLayout(self)
            for _ in range(5):
                layout.addWidget(QLabel("x"))
            layout.addWidget(QTableWidget(20, 5))

        def __del__(self) -> None:
            freed.append(1)
            if threading.current_thread() is not threading.main_thread():
                off_gui.append(threading.current_thread().name)

    for _ in range(3000):
        page = Page()
        runner.submit(lambda held=page: time.sleep(0.001), on_done=lambda _v: None)
        del page
        QCoreApplication.processEvents()
    runner.shutdown(wait=True)
    qtbot.waitUntil(lambda: len(freed) == 3000, timeout=5000)
    assert off_gui == []
