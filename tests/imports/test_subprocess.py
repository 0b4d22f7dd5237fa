"""The installed `retain import` in a real process: piped input, summary line, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RETAIN = Path(sys.executable).parent / "retain"

pytestmark = pytest.mark.skipif(not RETAIN.exists(), reason="retain is not installed here")


def _run(*args: str, db: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RETAIN_DB": str(db), "NO_COLOR": "1"}
    return subprocess.run([str(RETAIN), *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=120)


def test_nightly_script_pipes_a_file_and_gets_one_summary_line(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    accounts = "id,name,stage\nACC-1,Acme,adoption\nACC-2,Globex,retention\n"
    first = _run("import", "accounts", "-", db=db, stdin=accounts)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "accounts: imported -: 2 rows: 2 new, 0 updated, 0 unchanged, 0 rejected\n"
    assert first.stderr == ""  # not a terminal: no progress bar
    again = _run("import", "accounts", "-", "--json", db=db, stdin=accounts)
    report = json.loads(again.stdout)
    assert report["ok"] and report["files"][0]["unchanged"] == 2
    bad = _run("import", "accounts", "-", db=db, stdin="id,name,stage\nACC-3,,adoption\n")
    assert bad.returncode == 2
    assert bad.stderr.splitlines() == [
        "-:2: column 'name': is required but blank",
        "retain: 1 invalid row(s); nothing was written",
    ]
