"""Dependencies point one way (tui -> store <- commands), and the CLI stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def test_the_cli_does_not_load_textual_until_the_app_opens() -> None:
    probe = "import sys, commands.main; print(sorted(m for m in sys.modules if m.startswith(('textual', 'tui'))))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_module_says_what_it_is_for() -> None:
    missing = []
    for package in ("store", "commands", "tui"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8").lstrip()
            if not text.startswith('"""'):
                missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """The strongly connected groups of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.find_modules_directly_imported_by(module) & modules:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in graph.find_modules_directly_imported_by(module):
                found.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_inside_store() -> None:
    """Type-only imports count too: a cycle dodged with TYPE_CHECKING is still a back-edge."""
    graph = grimp.build_graph("store")
    inside = {module for module in graph.modules if module.startswith("store.")}
    assert _cycles(graph, inside) == []


def test_opening_and_searching_a_book_does_not_load_sqlite_utils(tmp_path: Path) -> None:
    """sqlite-utils imports numpy when it is installed (~0.3 s): only a migration loads it."""
    from store import Store

    book = tmp_path / "book.db"
    Store.open(book).close()  # created and migrated here, in the test's process
    probe = (
        "import sys, commands.main, tui.app; from store import Store; "
        f"s = Store.open({str(book)!r}); s.board_columns(); s.search('renewal'); "
        "print('sqlite_utils' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
