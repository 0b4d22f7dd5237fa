"""Property-based: random rows through validation and import.

Valid rows round-trip exactly; a file with any invalid row is refused with one message per bad
row naming its line and column, and the book is left as it was (never half an import)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from commands.main import app
from store import Store
from store.models import Account
from tests.reliability.conftest import dump

STAGES = ["awareness", "adoption", "retention", "churned"]
NAME_CHARS = st.sampled_from(list("abcXYZ019 .,;:|\"[]/=+-@&%_()é Ü中") +
                             ["\u202e", "\u200b", "\x1b", "\t", "\n", "[/oops]", "[link=x]"])
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "book.db"
    store = Store.open(path)
    store.add_account(Account(id="KEEP", name="Already here", stage="adoption"))
    store.checkpoint()
    store.close()
    return path


@st.composite
def account_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 8))
    ids = draw(st.lists(st.from_regex(r"[A-Z][A-Z0-9-]{0,7}", fullmatch=True),
                        min_size=count, max_size=count, unique=True))
    rows = []
    for key in ids:
        name = "".join(draw(st.lists(NAME_CHARS, max_size=12)))
        stage = draw(st.one_of(st.sampled_from(STAGES), st.sampled_from(["limbo", "Adoption!"])))
        cents = draw(st.integers(-50_000, 5_000_000))
        rows.append({"id": key, "name": name, "stage": stage, "mrr": cents})
    return rows


def _problems(row: dict[str, Any]) -> list[str]:
    found = []
    if not row["name"].strip():
        found.append("name")
    if row["stage"] not in STAGES:
        found.append("stage")
    if row["mrr"] < 0:
        found.append("mrr")
    return found


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "stage", "mrr"])
    for row in rows:
        writer.writerow([row["id"], row["name"], row["stage"], f"{row['mrr'] / 100:.2f}"])
    return out.getvalue()


@SETTINGS
@given(rows=account_rows())
def test_random_account_files_round_trip_or_are_refused_whole(
    rows: list[dict[str, Any]], template: Path, tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = tmp_path_factory.mktemp("prop")
    book = work / "book.db"
    shutil.copy(template, book)
    monkeypatch.setenv("RETAIN_DB", str(book))
    source = work / "accounts.csv"
    source.write_text(_csv(rows), encoding="utf-8", newline="")
    before = dump(book, skip=set())
    result = CliRunner().invoke(app, ["import", "accounts", str(source)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    # Line numbers are the file's physical lines: a quoted newline makes a record two lines.
    bad, line = {}, 2
    for row in rows:
        end = line + row["name"].count("\n")
        if _problems(row):
            bad[(line, end)] = _problems(row)
        line = end + 1
    if bad:
        assert result.exit_code == 2, result.output
        for (start, end), fields in bad.items():
            messages = [m for m in result.stderr.splitlines()
                        if m.startswith((f"{source}:{start}:", f"{source}:{end}:"))]
            assert messages, (line, result.stderr)
            assert any(f in m for m in messages for f in fields), (fields, messages)
        assert dump(book, skip=set()) == before  # nothing of the file was written
        return
    assert result.exit_code == 0, result.output
    exported = json.loads(CliRunner().invoke(app, ["export", "accounts", "--format", "json"]).stdout)
    by_id = {a["id"]: a for a in exported}
    assert set(by_id) == {"KEEP"} | {row["id"] for row in rows}
    for row in rows:
        got = by_id[row["id"]]
        assert (got["name"], got["stage"], got["mrr_cents"]) == (
            row["name"].strip(), row["stage"], row["mrr"]), row


@SETTINGS
@given(kind=st.sampled_from(["nps", "csat"]), score=st.integers(-20, 30))
def test_survey_scores_are_accepted_exactly_in_range(
    kind: str, score: int, template: Path, tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    book = tmp_path_factory.mktemp("survey") / "book.db"
    shutil.copy(template, book)
    monkeypatch.setenv("RETAIN_DB", str(book))
    low, high = (0, 10) if kind == "nps" else (1, 5)
    result = CliRunner().invoke(app, ["survey", "KEEP", kind, "--", str(score)])
    assert "Traceback" not in result.output
    stored = dump(book)["survey_answers"]
    if low <= score <= high:
        assert result.exit_code == 0, result.output
        assert len(stored) == 1
    else:
        assert result.exit_code == 2
        assert f"score {score} is outside {low}-{high}" in result.stderr
        assert stored == []
