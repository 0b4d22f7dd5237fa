"""Helpers for import tests: run the CLI, write input files, read the book's tables."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pysqlite3.dbapi2 as sqlite3
import pytest
from typer.testing import CliRunner, Result

from commands.main import app
from store import Store

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved mappings go to tmp_path, never the user's config."""
    monkeypatch.setenv("RETAIN_CONFIG", str(tmp_path / "config" / "mappings.toml"))


@pytest.fixture(autouse=True)
def _book_made_by_init(_isolated_book: Path) -> None:
    """The book imports go into, as `retain init` makes it (only init and demo create one)."""
    Store.open(_isolated_book).close()


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run `retain ARGS...` in-process; input text goes to stdin."""
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None) -> Result:
        return runner.invoke(app, list(args), input=input)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under tmp_path (text as UTF-8, or bytes as given) and return its path."""

    def make(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return make


@pytest.fixture
def query(book_path: Path) -> Callable[..., list[tuple[Any, ...]]]:
    """Run a read-only SQL query against the test's book."""

    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(str(book_path))
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    return run


def summary(result: Result) -> dict[str, Any]:
    """The --json summary of an import run."""
    return json.loads(result.stdout)


def needs_data(*parts: str) -> Path:
    """A file of ../shared/data, or skip the test saying it is absent."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real export {path} is absent (../shared/data not checked out)")
    return path


ACCOUNTS_CSV = "id,name,stage\nACC-1,Acme,adoption\nACC-2,Globex,retention\n"


def book_bytes(path: Path) -> tuple[bytes, bytes]:
    """The database file and its write-ahead log, byte for byte (to prove nothing was written)."""
    wal = Path(f"{path}-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""
