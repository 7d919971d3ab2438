"""What goes into the till's PyInstaller bundle on each platform.

build.spec only runs inside PyInstaller, so its platform choices live here, where tests can
call them with any `platform` string (values of sys.platform: "linux", "win32", "darwin").
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

# The Qt modules pos_app imports (QtSvg: the SVG icon and image plugins link it).
QT_MODULES_USED = frozenset({"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtSvg"})

# Python packages the analysis reaches (pydantic's mypy and hypothesis plugins, uvicorn's
# optional speed-ups, mako's pygments plugin, which drags Pillow in) that the till never
# imports: its demo relay runs on asyncio + h11.
UNUSED_PACKAGES = (
    "tkinter",
    "pytest",
    "_pytest",
    "hypothesis",
    "mypy",
    "librt",
    "ast_serialize",
    "PyInstaller",
    "uvloop",
    "httptools",
    "watchfiles",
    "websockets",
    "pygments",
    # The hosted relay's PostgreSQL driver; the till's embedded relay runs on SQLite.
    "psycopg",
    "psycopg_binary",
    "psycopg_c",
    "psycopg_pool",
)

# Qt plugin folders whose plugins the till never loads: network, embedded/framebuffer input
# and display, QML, SQL, and Wayland (on a Wayland desktop the till runs through XWayland).
UNUSED_PLUGIN_DIRS = frozenset(
    {
        "designer",
        "egldeviceintegrations",
        "generic",
        "networkinformation",
        "qmllint",
        "qmltooling",
        "sqldrivers",
        "tls",
        "vectorimageformats",
        "wayland-decoration-client",
        "wayland-graphics-integration-client",
        "wayland-graphics-integration-server",
        "wayland-shell-integration",
    }
)
# Within the folders that stay, the plugins that stay (by bare name, see plugin_name).
KEPT_PLUGINS = {
    "platforms": {
        "linux": frozenset({"xcb", "offscreen", "minimal"}),
        "win32": frozenset({"windows", "offscreen", "minimal"}),
        "darwin": frozenset({"cocoa", "offscreen", "minimal"}),
    },
    "imageformats": dict.fromkeys(("linux", "win32", "darwin"), frozenset({"svg", "jpeg", "ico"})),
    # the GTK 3 theme drags in GTK's whole stack (cairo, pango, atk...) only to draw dialogs
    "platformthemes": dict.fromkeys(("linux", "win32", "darwin"), frozenset({"xdgdesktopportal"})),
}

# Each OS keyring backend imports its platform's bindings lazily, out of the analysis' sight.
KEYRING_IMPORTS = {
    "linux": ("keyring.backends.SecretService", "keyring.backends.kwallet", "secretstorage"),
    "win32": (
        "keyring.backends.Windows",
        "win32ctypes.pywin32.win32cred",
        "win32ctypes.pywin32.pywintypes",
    ),
    "darwin": ("keyring.backends.macOS", "keyring.backends.macOS.api"),
}
# win32ctypes picks its cffi or ctypes implementation by name at import time.
KEYRING_PACKAGES = {"linux": ("jeepney",), "win32": ("win32ctypes.core",), "darwin": ()}

ICON_SUFFIX = {"linux": None, "win32": ".ico", "darwin": ".icns"}


def os_family(platform: str) -> str:
    """sys.platform folded to the three the till ships on ("linux2", "freebsd"... -> linux)."""
    if platform.startswith("win"):
        return "win32"
    if platform == "darwin":
        return "darwin"
    return "linux"


def project_version(root: Path) -> str:
    """The version in pyproject.toml: its one home (the till reads it back from metadata)."""
    with (root / "pyproject.toml").open("rb") as file:
        version: str = tomllib.load(file)["project"]["version"]
    return version


def unused_qt_modules(available: Iterable[str]) -> list[str]:
    """PySide6.<module> excludes for every Qt module installed that the till does not use."""
    return sorted(
        f"PySide6.{name}"
        for name in available
        if name.startswith("Qt") and name not in QT_MODULES_USED
    )


def excludes(available_qt_modules: Iterable[str]) -> list[str]:
    return [*UNUSED_PACKAGES, *unused_qt_modules(available_qt_modules)]


def hidden_imports(platform: str) -> list[str]:
    return list(KEYRING_IMPORTS[os_family(platform)])


def collected_packages(platform: str) -> list[str]:
    """Packages to pass whole to collect_submodules (modules imported by name at run time)."""
    return [
        "keyring.backends",
        "uvicorn",
        "pos_app",
        "sync",
        *KEYRING_PACKAGES[os_family(platform)],
    ]


def icon(root: Path, platform: str) -> str | None:
    """The executable's icon file; Linux executables carry none (the .deb's desktop entry
    names the icon instead)."""
    suffix = ICON_SUFFIX[os_family(platform)]
    return None if suffix is None else str(root / "resources" / "icons" / f"duka-till{suffix}")


def strip_binaries(platform: str) -> bool:
    """Strip debug symbols on Linux (libpython alone carries ~20 MB); PyInstaller advises
    against it on Windows, and on macOS it would break the libraries' signatures."""
    return os_family(platform) == "linux"


def plugin_name(filename: str) -> str:
    """libqxcb.so / qwindows.dll / libqcocoa.dylib -> xcb / windows / cocoa."""
    stem = filename.split(".", 1)[0]
    stem = stem.removeprefix("lib")
    return stem.removeprefix("q")


def keeps(destination: str, platform: str) -> bool:
    """Whether the bundle keeps the file collected at `destination` (a path inside it)."""
    parts = PurePosixPath(_posix(destination)).parts
    if "PySide6" not in parts:
        return True
    inner = parts[parts.index("PySide6") + 1 :]
    if inner[:1] == ("Qt",):  # Linux and macOS wheels nest Qt's tree one level deeper
        inner = inner[1:]
    if inner[:1] == ("translations",):  # Qt's own catalogues; the till ships its own .qm
        return False
    if len(inner) < 3 or inner[0] != "plugins":
        return True
    folder, filename = inner[1], inner[-1]
    if folder in UNUSED_PLUGIN_DIRS:
        return False
    kept = KEPT_PLUGINS.get(folder)
    return kept is None or plugin_name(filename) in kept[os_family(platform)]


Entry = tuple[str, str, str]  # PyInstaller's TOC entry: (destination, source, type code)


def reachable_binaries(
    entries: Iterable[Entry], imports: Callable[[str], Iterable[str]]
) -> set[str]:
    """Destinations of the shared libraries something kept still links to.

    Roots are what Python or Qt load by path (extension modules, Qt plugins, libpython); from
    them, follow each library's link-time imports (`imports(source)` -> library file names)
    and each symlink's target.
    """
    entries = list(entries)
    by_name = {_name(dest): (dest, src, kind) for dest, src, kind in entries}
    todo = [
        entry
        for entry in entries
        if entry[2] == "EXTENSION" or "/plugins/" in _posix(entry[0]) or "libpython" in entry[0]
    ]
    seen = {dest for dest, _, _ in todo}
    while todo:
        _, src, kind = todo.pop()
        for name in [src] if kind == "SYMLINK" else imports(src):
            found = by_name.get(_name(name))
            if found is not None and found[0] not in seen:
                seen.add(found[0])
                todo.append(found)
    return seen


def _posix(path: str) -> str:
    return path.replace("\\", "/")


def _name(path: str) -> str:
    return PurePosixPath(_posix(path)).name


def prune(
    binaries: Iterable[Entry], platform: str, imports: Callable[[str], Iterable[str]]
) -> list[Entry]:
    """Drop unused Qt plugins and translations, then (on Linux, where it is checked by the
    .deb's smoke start) the libraries only those plugins linked to."""
    kept = [entry for entry in binaries if keeps(entry[0], platform)]
    if os_family(platform) != "linux":
        return kept
    reachable = reachable_binaries(kept, imports)
    return [entry for entry in kept if entry[0] in reachable]
