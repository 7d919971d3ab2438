"""The sync engine moves events; the ledger's tables are the services' business
(pos_app.services.sync_ledger, payment_events, late_payments are its doors)."""

from __future__ import annotations

import ast
from pathlib import Path

import sync.engine

ENGINE = Path(sync.engine.__file__).parent
FORBIDDEN = "pos_app.store"


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from pos_app import store` names the package through its alias
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _store_imports(source: str) -> list[str]:
    return [
        f"line {line}: {name}"
        for line, name in _imported(ast.parse(source))
        if name == FORBIDDEN or name.startswith(FORBIDDEN + ".")
    ]


def test_the_scan_sees_every_spelling_of_a_store_import() -> None:
    source = (
        "import pos_app.store.db\n"
        "from pos_app.store import state\n"
        "from pos_app import store\n"
        "def f():\n    from pos_app.store.schema import inbox\n"
        "from pos_app.services import sync_ledger\n"
    )
    assert len(_store_imports(source)) == 4


def test_no_engine_module_imports_the_store() -> None:
    modules = sorted(ENGINE.rglob("*.py"))
    assert modules, ENGINE
    offenders = {
        str(path.relative_to(ENGINE)): hits
        for path in modules
        if (hits := _store_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
