"""Dependencies point one way (tui -> store <- commands), and the CLI stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken" in result.stdout


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
