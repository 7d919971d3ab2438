"""build.spec's platform choices (installers/bundle_plan.py), with each platform faked."""

from __future__ import annotations

from pathlib import Path

import pytest

from installers import bundle_plan

REPO = Path(__file__).resolve().parents[2]
PLATFORMS = ("linux", "win32", "darwin")


@pytest.mark.parametrize(
    ("platform", "family"),
    [("linux", "linux"), ("linux2", "linux"), ("win32", "win32"), ("darwin", "darwin")],
)
def test_sys_platform_folds_to_the_three_shipped(platform: str, family: str) -> None:
    assert bundle_plan.os_family(platform) == family


def test_the_version_comes_from_pyproject_and_matches_the_installed_metadata() -> None:
    from pos_app.version import app_version

    version = bundle_plan.project_version(REPO)
    assert version[0].isdigit()
    assert app_version() == version


def test_only_the_qt_modules_the_till_imports_stay() -> None:
    available = ["QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtQml", "QtSvg", "_config"]
    assert bundle_plan.unused_qt_modules(available) == ["PySide6.QtNetwork", "PySide6.QtQml"]


def test_every_qt_module_pos_app_imports_is_kept() -> None:
    imported = set()
    for path in (REPO / "pos_app").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("from PySide6."):
                imported.add(line.split()[1].split(".")[1])
    assert imported
    assert imported <= bundle_plan.QT_MODULES_USED


@pytest.mark.parametrize(
    ("platform", "backend"),
    [
        ("linux", "keyring.backends.SecretService"),
        ("win32", "keyring.backends.Windows"),
        ("darwin", "keyring.backends.macOS"),
    ],
)
def test_each_platform_bundles_its_own_keyring_backend(platform: str, backend: str) -> None:
    assert backend in bundle_plan.hidden_imports(platform)
    others = [other for other in PLATFORMS if other != platform]
    for other in others:
        assert backend not in bundle_plan.hidden_imports(other)


def test_win32ctypes_is_collected_whole_on_windows_only() -> None:
    assert "win32ctypes.core" in bundle_plan.collected_packages("win32")
    assert "win32ctypes.core" not in bundle_plan.collected_packages("linux")


@pytest.mark.parametrize(
    ("platform", "icon"),
    [("linux", None), ("win32", "duka-till.ico"), ("darwin", "duka-till.icns")],
)
def test_icons_per_platform_exist(platform: str, icon: str | None) -> None:
    path = bundle_plan.icon(REPO, platform)
    if icon is None:
        assert path is None
    else:
        assert path is not None and Path(path).name == icon and Path(path).stat().st_size > 0


def test_only_linux_strips() -> None:
    assert [bundle_plan.strip_binaries(p) for p in PLATFORMS] == [True, False, False]


@pytest.mark.parametrize(
    ("platform", "destination", "kept"),
    [
        # each OS keeps its own window system's plugin and offscreen, not the others'
        ("linux", "PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("linux", "PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("linux", "PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("linux", "PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("win32", "PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("win32", "PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("darwin", "PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("darwin", "PySide6/Qt/plugins/platforms/libqxcb.dylib", False),
        # whole folders of plugins the till never loads
        ("linux", "PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("win32", "PySide6\\plugins\\tls\\qschannelbackend.dll", False),
        ("linux", "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
        # printing, SVG icons and input methods stay
        ("linux", "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("darwin", "PySide6/Qt/plugins/printsupport/libcocoaprintersupport.dylib", True),
        ("win32", "PySide6\\plugins\\imageformats\\qsvg.dll", True),
        ("linux", "PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("linux", "PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        (
            "linux",
            "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
            True,
        ),
        # Qt's own translations go; the till's and everything outside PySide6 stay
        ("linux", "PySide6/Qt/translations/qtbase_de.qm", False),
        ("win32", "PySide6\\translations\\qtbase_de.qm", False),
        ("linux", "resources/i18n/cashier_sw.qm", True),
        ("linux", "PySide6/Qt/lib/libQt6Core.so.6", True),
        ("linux", "libpython3.11.so.1.0", True),
    ],
)
def test_plugin_and_translation_filter(platform: str, destination: str, kept: bool) -> None:
    assert bundle_plan.keeps(destination, platform) is kept


BINARIES = [
    ("PySide6/QtGui.abi3.so", "/w/QtGui.abi3.so", "EXTENSION"),
    ("PySide6/Qt/lib/libQt6Gui.so.6", "/w/libQt6Gui.so.6", "BINARY"),
    ("PySide6/Qt/lib/libQt6Core.so.6", "/w/libQt6Core.so.6", "BINARY"),
    ("PySide6/Qt/lib/libicuuc.so.73", "/w/libicuuc.so.73", "BINARY"),
    ("libicu.so", "PySide6/Qt/lib/libicuuc.so.73", "SYMLINK"),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "/w/libqxcb.so", "BINARY"),
    ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/w/libQt6XcbQpa.so.6", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", "/w/libqwayland.so", "BINARY"),
    ("PySide6/Qt/lib/libQt6WaylandClient.so.6", "/w/libQt6WaylandClient.so.6", "BINARY"),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/w/libqgtk3.so", "BINARY"),
    ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),
    ("libpython3.11.so.1.0", "/py/libpython3.11.so.1.0", "BINARY"),
]
NEEDED = {
    "/w/QtGui.abi3.so": ["libQt6Gui.so.6", "libc.so.6"],
    "/w/libQt6Gui.so.6": ["libQt6Core.so.6"],
    "/w/libQt6Core.so.6": ["libicu.so"],
    "/w/libqxcb.so": ["libQt6XcbQpa.so.6"],
    "/w/libqwayland.so": ["libQt6WaylandClient.so.6", "libQt6Gui.so.6"],
    "/w/libqgtk3.so": ["libcairo.so.2"],
}


def needed(source: str) -> list[str]:
    return NEEDED.get(source, [])


def test_linux_drops_the_libraries_only_dropped_plugins_linked() -> None:
    kept = {dest for dest, _, _ in bundle_plan.prune(BINARIES, "linux", needed)}
    assert kept == {
        "PySide6/QtGui.abi3.so",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "libicu.so",
        "PySide6/Qt/lib/libicuuc.so.73",  # reached only through the symlink
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "libpython3.11.so.1.0",
    }


def test_other_platforms_only_drop_plugins() -> None:
    kept = {dest for dest, _, _ in bundle_plan.prune(BINARIES, "darwin", needed)}
    assert "PySide6/Qt/lib/libQt6WaylandClient.so.6" in kept
    assert "PySide6/Qt/plugins/platforms/libqwayland.so" not in kept


def test_build_spec_compiles() -> None:
    compile((REPO / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec")


def test_make_icons_renders_the_svg(qapp, tmp_path: Path) -> None:
    from installers.make_icons import write_icons

    write_icons(REPO / "resources" / "icons" / "duka-till.svg", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "duka-till-256.png",
        "duka-till-48.png",
        "duka-till.icns",
        "duka-till.ico",
    ]
    from PySide6.QtGui import QImage

    assert QImage(str(tmp_path / "duka-till-48.png")).width() == 48


def test_the_till_and_its_demo_relay_load_without_the_excluded_packages() -> None:
    """The bundle leaves UNUSED_PACKAGES out; a module that needs one would crash the till
    when it is first used (a printer set up months later, say). Load the whole of pos_app and
    sync (what build.spec collects) with those packages made unimportable, as in the bundle:
    guarded optional imports (mako's pygments, uvicorn's watchfiles) may fail, nothing else."""
    import subprocess
    import sys

    excluded = sorted(name for name in bundle_plan.UNUSED_PACKAGES if "." not in name)
    load_all = (
        "import importlib, importlib.abc, pkgutil, sys\n"
        f"EXCLUDED = {excluded!r}\n"
        "class Absent(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in EXCLUDED:\n"
        "            raise ImportError(f'{name} is not in the bundle')\n"
        "        return None\n"
        "sys.meta_path.insert(0, Absent())\n"
        "import pos_app, sync\n"
        "for package in (pos_app, sync):\n"
        "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        # alembic scripts run only under alembic; __main__ modules run their program\n"
        "        if '.migrations' not in module.name and not module.name.endswith('__main__'):\n"
        "            importlib.import_module(module.name)\n"
        "print(len(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", load_all], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > 500  # everything loaded, Qt and the relay included
