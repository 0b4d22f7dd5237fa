"""Helpers for the reliability battery: run the installed `retain`, dump a book, skip slow runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pysqlite3.dbapi2 as sqlite3
import pytest

RETAIN = Path(sys.executable).parent / "retain"
"""The console script of the virtualenv running the tests."""

SKIP_VOLATILE = {"imports"}
"""The import log: one row per run with wall-clock times, so it differs between equal books."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`slow` tests run only with RETAIN_SLOW=1 (CI runs plain `pytest`)."""
    if os.environ.get("RETAIN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow variant: set RETAIN_SLOW=1 to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def env_for(db: Path) -> dict[str, str]:
    """The environment a `retain` subprocess runs in: this book, no colour, private config."""
    return {**os.environ, "RETAIN_DB": str(db), "NO_COLOR": "1",
            "RETAIN_CONFIG": str(db.parent / "config" / "mappings.toml")}


def retain(*args: str, db: Path, stdin: str | None = None,
           timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the installed `retain ARGS...` on `db` and wait for it."""
    return subprocess.run([str(RETAIN), *args], capture_output=True, text=True,
                          env=env_for(db), input=stdin, timeout=timeout)


def popen(*args: str, db: Path, stdin: bool = False) -> subprocess.Popen[str]:
    """Start `retain ARGS...` on `db` without waiting (`stdin`: give it a pipe to write to)."""
    return subprocess.Popen([str(RETAIN), *args], stdout=subprocess.PIPE,
                            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=env_for(db))


def query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """A read-only query on a fresh connection (pysqlite3, like retain itself)."""
    conn = sqlite3.connect(str(db), timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def dump(db: Path, *, skip: set[str] = SKIP_VOLATILE,
         drop_columns: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, ordered by id (or by all columns), minus `skip` and `drop_columns`."""
    conn = sqlite3.connect(str(db), timeout=30)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            if table in skip:
                continue
            cols = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")
                    if row[1] not in drop_columns]
            order = "id" if "id" in cols else ", ".join(cols)
            out[table] = conn.execute(
                f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}").fetchall()
        out["user_version"] = conn.execute("PRAGMA user_version").fetchall()
        return out
    finally:
        conn.close()


def integrity(db: Path) -> str:
    """PRAGMA integrity_check's verdict ('ok' when the file is sound)."""
    return str(query(db, "PRAGMA integrity_check")[0][0])


def interactions_csv(path: Path, rows: int, accounts: tuple[str, ...] = ("A1", "A2"),
                     tag: str = "row") -> Path:
    """An interactions CSV of `rows` distinct rows spread over `accounts`."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("account_id,kind,occurred_at,summary\n")
        count = len(accounts)
        for n in range(rows):
            out.write(f"{accounts[n % count]},note,20{10 + n % 15}-{n % 12 + 1:02d}-"
                      f"{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}:00Z,{tag} {n}\n")
    return path


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A book made through the CLI: three accounts (A3 takes the concurrent notes)."""
    db = tmp_path / "book.db"
    made = retain("init", db=db)
    assert made.returncode == 0, made.stderr
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("id,name,stage,owner\nA1,Acme,adoption,Dana\nA2,Globex,retention,Lee\n"
                        "A3,Initech,activation,Dana\n", encoding="utf-8")
    done = retain("import", "accounts", str(accounts), db=db)
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def reaped() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts; any still running at its end are killed by their own id."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
