"""Size of the PyInstaller bundle and how fast it starts, against the till run from source.

Each start is `--smoke` (open a fresh encrypted ledger, show the cashier's window, quit after
its 300 ms timer) in a new data folder, offscreen, with the in-memory keyring: the frozen
bundle's executable and `python main.py` alternate, so both see the same machine load. The
figure per side is the median wall-clock time of a whole process, from spawn to exit. Sizes
are MiB.

    .venv/bin/python bench/bundle.py [--bundle dist/duka-till] [--runs 7] [--build]

--build first builds the bundle from build.spec (about a minute of 2 cores). Last line:
RESULT bundle_mb=... frozen_start_s=... source_start_s=... start_ratio=...
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def folder_mb(folder: Path) -> float:
    """Apparent size in MiB, as `du -sm --apparent-size` counts it."""
    size = sum(path.lstat().st_size for path in folder.rglob("*") if not path.is_dir())
    return size / 2**20


def timed_start(command: list[str]) -> tuple[float, float]:
    """(wall-clock s, CPU s of the child) of one smoke start; CPU time shows through the
    noise of a shared machine, where wall-clock time mostly measures the other tenants."""
    with tempfile.TemporaryDirectory(prefix="duka-bench-") as data_dir:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "DUKA_KEYRING": "memory",
            "DUKA_DATA_DIR": data_dir,
        }
        env.pop("DUKA_DATA_KEY", None)
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, timeout=120)
        elapsed = time.perf_counter() - began
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} --smoke failed:\n{done.stderr.decode()[-2000:]}")
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    return elapsed, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=REPO / "dist" / "duka-till")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--build", action="store_true", help="build the bundle first")
    args = parser.parse_args()
    if args.build:
        pyinstaller = Path(sys.executable).with_name("pyinstaller")
        subprocess.run(
            [str(pyinstaller), "--noconfirm", "--clean", "--log-level", "WARN", "build.spec"],
            cwd=REPO,
            check=True,
        )
    executable = args.bundle / ("duka-till.exe" if sys.platform == "win32" else "duka-till")
    if not executable.exists():
        raise SystemExit(f"no bundle at {args.bundle}: build it (--build or bash .ci/bundle)")

    frozen_cmd = [str(executable), "--smoke"]
    source_cmd = [sys.executable, str(REPO / "main.py"), "--smoke"]
    timed_start(frozen_cmd)  # the first start of each pays for a cold page cache
    timed_start(source_cmd)
    frozen: list[tuple[float, float]] = []
    source: list[tuple[float, float]] = []
    for run in range(args.runs):
        frozen.append(timed_start(frozen_cmd))
        source.append(timed_start(source_cmd))
        print(
            f"run {run + 1}: frozen {frozen[-1][0]:.2f} s ({frozen[-1][1]:.2f} s CPU), "
            f"source {source[-1][0]:.2f} s ({source[-1][1]:.2f} s CPU)",
            flush=True,
        )
    bundle_mb = folder_mb(args.bundle)
    frozen_s = statistics.median(wall for wall, _ in frozen)
    source_s = statistics.median(wall for wall, _ in source)
    frozen_cpu = statistics.median(cpu for _, cpu in frozen)
    source_cpu = statistics.median(cpu for _, cpu in source)
    print(f"bundle {args.bundle}: {bundle_mb:.0f} MiB; load average {os.getloadavg()[0]:.1f}")
    print(f"median CPU per start: frozen {frozen_cpu:.2f} s, source {source_cpu:.2f} s")
    print(
        f"RESULT bundle_mb={bundle_mb:.0f} frozen_start_s={frozen_s:.2f} "
        f"source_start_s={source_s:.2f} start_ratio={frozen_s / source_s:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
