"""Rules about the repository itself: it stands alone, and its migrations form one chain."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from pos_app.store.db import alembic_config as till_alembic_config
from sync.relay.store.migrate import MIGRATIONS_DIR as RELAY_MIGRATIONS

ROOT = Path(__file__).resolve().parents[1]

# A path into somebody's machine: a work or build folder, a home directory, a Windows user
# folder. System locations a deployment guide names (/usr/bin, /etc, /opt, /var/lib) are not
# flagged, nor the path part of a URL (the lookbehind refuses a host name before the slash).
MACHINE_PATH = re.compile(
    r"(?<![\w.~/-])/(?:work|farm|Users|root|mnt|media)/"
    r"|(?<![\w.~/-])/home/[^/\s]+/"
    r"|(?<![\w])[A-Za-z]:[\\/]+(?!Program Files|ProgramData|Windows)[\w .-]+[\\/]"
)


def tracked_files() -> list[str]:
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [name for name in listing.decode().split("\0") if name]


def machine_paths(text: str) -> list[str]:
    return [m.group(0) for m in MACHINE_PATH.finditer(text)]


# the examples' machine folders are spelled in two pieces, so that this file names none itself
WORK, FARM, HOME = "/" + "work/", "/" + "farm/", "/" + "home/amina/"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"see {WORK}shared/reference/PROVIDERS.md", [WORK]),
        (f'REFERENCE = Path("{FARM}x")', [FARM]),
        (f"cd {HOME}duka && make", [HOME]),
        ("`/Users/kofi/src`", ["/Users/"]),
        (r"C:\Users\kofi\duka", ["C:\\Users\\"]),
        ("C:/dev/duka", ["C:/dev/"]),
        ("ExecStart=/opt/duka/bin/duka-relay; /usr/bin/env; /etc/hosts; /var/lib/duka", []),
        (f"https://example.com{WORK}items and http://host{HOME}y", []),
        (r"C:\Program Files\Duka", []),
        ("tests/providers/samples/x.json", []),
    ],
)
def test_the_machine_path_pattern(text: str, found: list[str]) -> None:
    assert machine_paths(text) == found


def test_no_tracked_file_names_a_path_outside_the_repository() -> None:
    offenders = []
    for name in tracked_files():
        path = ROOT / name
        if not path.is_file():  # deleted in the work tree, not yet committed
            continue
        if path == Path(__file__).resolve():  # its examples of what is refused
            continue
        data = path.read_bytes()
        if b"\0" in data:  # binary: images, fonts
            continue
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if machine_paths(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == [], "copy what is needed into the repository:\n" + "\n".join(offenders)


def relay_alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(RELAY_MIGRATIONS))
    return cfg


@pytest.mark.parametrize(
    "config", [till_alembic_config, relay_alembic_config], ids=["till", "relay"]
)
def test_migrations_apply_in_file_name_order(config: Callable[[], Config]) -> None:
    """One numbered chain: 0001, 0002, ... each revising the file before it."""
    script = ScriptDirectory.from_config(config())
    by_file = {Path(str(r.path)).name: r for r in script.walk_revisions()}
    names = sorted(by_file)
    assert [name.split("_", 1)[0] for name in names] == [
        f"{n:04d}" for n in range(1, len(names) + 1)
    ]
    previous = None
    for name in names:
        assert by_file[name].down_revision == previous, name
        previous = by_file[name].revision
    assert script.get_heads() == [previous]
