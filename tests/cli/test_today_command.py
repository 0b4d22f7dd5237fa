"""`retain today` and `retain backtest` through typer's CliRunner and as an installed script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from typer.testing import Result

from store import Store
from tests.cli.conftest import NOW

Cli = Callable[..., Result]


@pytest.fixture(autouse=True)
def _no_playbooks(no_playbooks: None) -> None:
    """Today's own rules and ranking are under test here: no playbook opens tasks."""



@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _ids(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [row["account_id"] for row in json.loads(result.stdout)]


def test_the_whole_book_ranked_with_every_field(cli: Cli, book: Store) -> None:
    rows = json.loads(cli("today", "--all", "--json").stdout)
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))
    assert [row["account_id"] for row in rows] == ["ACC-1", "ACC-3", "ACC-2"]
    first = rows[0]
    assert set(first) >= {"rank", "score", "reasons", "account_id", "account_name", "owner",
                          "mrr_cents", "terms", "stake", "multiplier"}
    assert first["owner"] == "Dana" and first["mrr_cents"] == 120_000
    assert [reason["kind"] for reason in first["reasons"]] == ["quiet", "renewal"]
    points = sum(term["points"] for term in first["terms"])
    assert first["score"] == round(points * first["multiplier"], 1)
    assert [row["score"] for row in rows] == sorted((row["score"] for row in rows), reverse=True)


def test_my_book_by_default_another_owner_or_all(cli: Cli, book: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert _ids(cli("today", "--json")) == ["ACC-1", "ACC-3", "ACC-2"]  # no `me`: whole book
    table = cli("today")
    assert "whole book" in table.stdout and "no `me` set" in table.stdout
    monkeypatch.setenv("RETAIN_USER", "Lee")
    assert _ids(cli("today", "--json")) == ["ACC-3"]
    assert "my book (Lee)" in cli("today").stdout
    assert _ids(cli("today", "--owner", " dana ", "--json")) == ["ACC-1", "ACC-2"]
    assert _ids(cli("today", "--all", "--json")) == ["ACC-1", "ACC-3", "ACC-2"]
    assert _ids(cli("today", "--all", "--limit", "1", "--json")) == ["ACC-1"]


def test_csv_and_bad_options(cli: Cli, book: Store) -> None:
    csv = cli("today", "--all", "--csv")
    assert csv.stdout.splitlines()[0] == \
        "rank,score,account_id,account_name,owner,mrr_cents,reasons"
    both = cli("today", "--owner", "Dana", "--all")
    assert both.exit_code == 2 and both.stderr.strip() == \
        "retain: choose one of --owner and --all"
    assert cli("today", "--json", "--csv").exit_code == 2
    assert cli("today", "--limit", "0").exit_code == 2


def test_backtest_prints_its_figures(cli: Cli, book: Store) -> None:
    result = cli("backtest", "--from", "2026-06-01", "--to", "2026-06-15", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert len(figures["replays"]) == 3 and figures["horizon"] == 90
    assert {"recall_top10", "recall_top50", "recall_red", "precision_top10", "auc_health",
            "auc_today", "base_rate"} <= set(figures)
    table = cli("backtest", "--from", "2026-06-01", "--to", "2026-06-01")
    assert "recall, Today top 10" in table.stdout and "ROC AUC, health score" in table.stdout
    bad = cli("backtest", "--from", "2026-07-01", "--to", "2026-06-01")
    assert bad.exit_code == 2 and "after" in bad.stderr


RETAIN = Path(sys.executable).parent / "retain"


@pytest.mark.skipif(not RETAIN.exists(), reason="retain is not installed here")
def test_retain_today_as_a_cron_job_would_run_it(book: Store, book_path: Path) -> None:
    env = {**os.environ, "RETAIN_DB": str(book_path), "NO_COLOR": "1", "RETAIN_USER": "Dana"}
    done = subprocess.run([str(RETAIN), "today", "--json"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [row["owner"] for row in json.loads(done.stdout)] == ["Dana", "Dana"]


def test_tasks_and_stage_moves_carry_their_author(cli: Cli, book: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETAIN_USER", "Maya Chen")
    assert cli("task", "add", "ACC-1", "Send the deck", "--due", "tomorrow").exit_code == 0
    assert cli("stage", "ACC-3", "adoption", "--reason", "live").exit_code == 0
    assert [task.author for task in book.tasks("ACC-1")] == ["Maya Chen"]
    assert book.stage_history("ACC-3")[-1].author == "Maya Chen"
