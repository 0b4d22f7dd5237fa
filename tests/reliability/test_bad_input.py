"""The bad-input corpus (corpus/cases.toml): every case is refused with the documented exit
code and a one-line reason naming file, line and field, no traceback, and the book unchanged.

tests/imports/test_malformed.py covers a first handful of broken CSV/JSON files; this corpus
spans every import kind and every CLI command that takes values."""

from __future__ import annotations

import shutil
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from typer.testing import CliRunner

from commands.main import app
from store import Store
from store.models import Account, Task
from tests.reliability.conftest import dump

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES: list[dict[str, Any]] = tomllib.loads((CORPUS / "cases.toml").read_text("utf-8"))["case"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small book: Acme (ACC-1) with a task, and Globex (ACC-2); copied for each case."""
    path = tmp_path_factory.mktemp("template") / "book.db"
    with time_machine.travel(datetime(2026, 1, 10, tzinfo=UTC), tick=False):
        store = Store.open(path)
        store.add_account(Account(id="ACC-1", name="Acme Corp", stage="adoption", owner="Dana"))
        store.add_account(Account(id="ACC-2", name="Globex", stage="retention", owner="Lee"))
        store.add_task(Task(id="TASK-0001", account_id="ACC-1", title="Call back",
                            due_on=date(2026, 12, 1)))
        store.checkpoint()
        store.close()
    return path


def _arg(value: str, tmp: Path) -> str:
    if value.startswith("{2MB:"):
        return value[5] * 2_000_000
    return value.replace("{corpus}", str(CORPUS)).replace("{tmp}", str(tmp))


def _params() -> list[Any]:
    return [pytest.param(case, id=case["name"],
                         marks=[pytest.mark.xfail(strict=True, reason=case["bug"])]
                         if "bug" in case else [])
            for case in CASES]


def test_the_corpus_is_wide_enough() -> None:
    assert len(CASES) >= 40
    commands = {case["args"][0] for case in CASES}
    assert {"import", "log", "stage", "survey", "task", "accounts", "kpi", "export", "init",
            "setting"} <= commands
    kinds = {case["args"][1] for case in CASES if case["args"][0] == "import"}
    assert {"accounts", "contacts", "subscriptions", "interactions", "surveys", "usage",
            "acquisition", "spend", "stages", "tasks"} <= kinds
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", _params())
def test_bad_input_is_refused_cleanly(case: dict[str, Any], template: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "book.db"
    shutil.copy(template, book)
    monkeypatch.setenv("RETAIN_DB", str(book))
    monkeypatch.setenv("RETAIN_CONFIG", str(tmp_path / "config" / "mappings.toml"))
    before = dump(book, skip=set())
    result = CliRunner().invoke(app, [_arg(value, tmp_path) for value in case["args"]],
                                input=case.get("stdin"))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {type(result.exception).__name__}: {result.exception}")
    assert "Traceback" not in result.output
    assert result.exit_code == case["exit"], result.output[-600:]
    assert case["message"] in result.stderr, result.stderr[-600:]
    lines = result.stderr.strip().splitlines()
    assert not lines or lines[-1].startswith("retain: "), lines[-1]
    if case["args"][0] != "import":  # an import lists one line per row at fault, then this
        assert len(lines) <= 1, f"an error takes one line: {lines[:5]}"
    assert dump(book, skip=set()) == before
    assert not list(tmp_path.glob("**/*.rejects.csv"))
