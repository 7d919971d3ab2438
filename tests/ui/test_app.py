"""Starting the till: --smoke opens the ledger, shows the window and, in demo mode, waits until
the till is paired and online; a real till with no data key => exit 2."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_till(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), *args],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )


# what keyring finds on a fresh headless machine: no backend at all (pos_app.store.keys)
NO_KEYRING = {"DUKA_KEYRING": "", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def test_smoke_start_opens_the_database_and_exits_0(tmp_path: Path):
    done = run_till("--smoke", "--data-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "till.db").stat().st_size > 0
    assert "sync: paired, online, 0 unsynced" in done.stdout


def test_no_keyring_with_a_data_key_pairs_the_demo_till_and_goes_online(tmp_path: Path):
    key = base64.b64encode(os.urandom(32)).decode()
    env = {**NO_KEYRING, "DUKA_DATA_KEY": key}
    done = run_till("--smoke", "--data-dir", str(tmp_path), env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sync: paired, online" in done.stdout, done.stdout + done.stderr[-2000:]
    assert "No working OS keyring" not in done.stderr
    assert not (tmp_path / "demo-data-key").exists()  # the given key, not demo mode's own


def test_no_keyring_and_no_key_a_demo_till_keeps_its_own_key_in_its_folder(tmp_path: Path):
    done = run_till("--smoke", "--data-dir", str(tmp_path), env=NO_KEYRING)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sync: paired, online" in done.stdout, done.stdout + done.stderr[-2000:]
    assert (tmp_path / "demo-data-key").stat().st_mode & 0o077 == 0  # the owner's only
    again = run_till("--smoke", "--data-dir", str(tmp_path), env=NO_KEYRING)
    assert again.returncode == 0 and "sync: paired, online" in again.stdout, again.stderr[-2000:]


def test_a_real_till_with_no_keyring_and_no_key_refuses_to_start_with_exit_2(tmp_path: Path):
    env = {**NO_KEYRING, "DUKA_RELAY_URL": "https://relay.example"}
    done = run_till("--smoke", "--data-dir", str(tmp_path), env=env)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "DUKA_DATA_KEY" in done.stderr
    assert not (tmp_path / "demo-data-key").exists()


def test_first_run_setup_creates_the_supervisor_and_the_shop(qtbot, tmp_path: Path):
    from PySide6.QtCore import Qt

    from pos_app.app import apply_setup
    from pos_app.config import TillSettings
    from pos_app.services import build_services
    from pos_app.store.db import open_ledger
    from pos_app.ui.login.setup_dialog import SetupDialog
    from pos_app.ui.tasks import TaskRunner

    services = build_services(open_ledger(TillSettings(data_dir=tmp_path, keyring="memory")))
    tasks = TaskRunner()
    dialog = SetupDialog(tasks, lambda details: apply_setup(services, details))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.shop_name, "Mama Mboga")
    qtbot.keyClicks(dialog.supervisor_name, "Achieng")
    qtbot.keyClicks(dialog.pin, "1111")
    qtbot.keyClicks(dialog.pin_again, "1111")
    qtbot.mouseClick(dialog.finish, Qt.MouseButton.LeftButton)
    assert "easy" in dialog.message.text()  # 1111 is refused
    dialog.pin.clear()
    dialog.pin_again.clear()
    qtbot.keyClicks(dialog.pin, "4826")
    qtbot.keyClicks(dialog.pin_again, "4826")
    dialog.vat.setValue(8)
    dialog.receipt_prefix.setText("till 2")
    qtbot.mouseClick(dialog.finish, Qt.MouseButton.LeftButton)
    assert "receipt prefix" in dialog.message.text()  # a space is not printable in it
    dialog.receipt_prefix.setText("till2")
    assert dialog.country.currentData() == "KE" and dialog.country.currentText() == "Kenya"
    qtbot.mouseClick(dialog.finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=5000)
    shop = services.shop.get()
    assert (shop.shop_name, shop.vat_bps, shop.currency) == ("Mama Mboga", 800, "KES")
    assert (shop.country, shop.receipt_prefix) == ("KE", "TILL2")
    [user] = services.users.list_users()
    assert (user.name, user.role) == ("Achieng", "supervisor")
    assert services.users.verify_pin(user.id, "4826").id == user.id
    tasks.shutdown(wait=True)
    services.ledger.close()


def test_first_run_then_sign_in_through_the_real_start_up(tmp_path: Path):
    driver = str(REPO / "tests" / "ui" / "app_driver.py")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "DUKA_RELAY_URL": "https://relay.invalid",  # no demo stack: offline is enough here
        # the memory keyring dies with each process: the same key for both runs
        "DUKA_DATA_KEY": base64.b64encode(bytes(range(32))).decode(),
    }
    runs = []
    for _ in range(2):  # first run: set-up; second run: sign-in
        done = subprocess.run(
            [sys.executable, driver, str(tmp_path), "4826"],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            cwd=REPO,
        )
        assert done.returncode == 0, done.stdout[-1000:] + done.stderr[-3000:]
        runs.append(next(line for line in done.stdout.splitlines() if line.startswith("PAGES")))
    assert runs[0].startswith("PAGES setup") and runs[1].startswith("PAGES sign-in")
    for run in runs:  # a supervisor gets the cashier's screens and the supervisor's
        assert "nav-sale" in run and "nav-catalogue" in run and "nav-shift" in run


def test_till_script_with_no_screen_says_how_to_run_instead_of_qts_xcb_message():
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}  # no DISPLAY
    done = subprocess.run(
        ["bash", str(REPO / ".ci" / "till")], env=env, capture_output=True, text=True,
        timeout=30, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "xvfb-run -a bash .ci/till" in done.stderr and "xcb" not in done.stderr
