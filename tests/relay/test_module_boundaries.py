"""The relay's import rules, read from the source: routers share helpers through modules of
their own (auth, errors, checker, webhook_paths...), never by importing one another, and
nothing of the relay imports the till or Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

RELAY = Path(__file__).resolve().parents[2] / "sync" / "relay"
FORBIDDEN_ROOTS = ("pos_app", "PySide6")


def _module_name(path: Path) -> str:
    parts = path.relative_to(RELAY.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (functions, TYPE_CHECKING blocks included);
    `from package import name` counts as importing both the package and package.name."""
    package = _module_name(path).rpartition(".")[0] if path.name != "__init__.py" else None
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = (package or _module_name(path)).split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _is_router_module(path: Path) -> bool:
    """A module that defines `router = APIRouter(...)` at its top level."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            func = node.value.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called == "APIRouter" and any(
                isinstance(t, ast.Name) and t.id == "router" for t in targets
            ):
                return True
    return False


def _relay_modules() -> list[Path]:
    return sorted(RELAY.rglob("*.py"))


def test_the_scan_sees_the_routers() -> None:
    routers = {_module_name(p) for p in _relay_modules() if _is_router_module(p)}
    assert {
        "sync.relay.payments_api",
        "sync.relay.refunds",
        "sync.relay.terminal",
        "sync.relay.terminal_settings",
        "sync.relay.webhooks",
    } <= routers
    assert _imports(RELAY / "app.py") >= {"sync.relay.webhooks", "sync.relay.terminal"}


def test_no_router_module_imports_another() -> None:
    routers = {_module_name(p): p for p in _relay_modules() if _is_router_module(p)}
    crossings = sorted(
        f"{name} imports {other}"
        for name, path in routers.items()
        for other in _imports(path) & routers.keys()
        if other != name
    )
    assert not crossings


def test_the_relay_has_no_import_circle() -> None:
    """TYPE_CHECKING imports count too: a circle there is one refactoring away from a real one."""
    modules = {_module_name(p): p for p in _relay_modules()}
    graph = {m: (_imports(p) & modules.keys()) - {m, "sync.relay"} for m, p in modules.items()}
    circles: list[list[str]] = []
    state: dict[str, str] = {}  # "open" while on the path, "done" after

    def walk(module: str, path: list[str]) -> None:
        state[module] = "open"
        for other in sorted(graph[module]):
            if state.get(other) == "open":
                circles.append([*path[path.index(other) :], other])
            elif other not in state:
                walk(other, [*path, other])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert not circles


def test_nothing_in_the_relay_imports_the_till_or_qt() -> None:
    offenders = sorted(
        f"{_module_name(path)} imports {module}"
        for path in _relay_modules()
        for module in _imports(path)
        if module.split(".")[0] in FORBIDDEN_ROOTS
    )
    assert not offenders


def test_loading_the_relay_loads_neither_the_till_nor_qt() -> None:
    """The transitive check: sync.protocol and sync.providers are loaded with the relay too."""
    probe = (
        "import sys, sync.relay.app, sync.relay.cli\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN_ROOTS!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=RELAY.parent.parent,
        timeout=120,
    )
    assert done.stdout.strip() == "[]"
