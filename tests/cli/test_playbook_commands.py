"""`retain playbook`, and playbook tasks opened by `retain stage`, `survey` and `import`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine

from store import Store
from store.playbooks import playbooks_path
from tests.cli.conftest import NOW


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _tasks(cli, account: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = cli("task", "list", "--account", account, "--json")
    return json.loads(result.stdout) if result.exit_code == 0 else []


def test_retain_stage_opens_the_playbook_once_per_entry(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    moved = cli("stage", "ACC-3", "adoption")
    assert moved.exit_code == 0
    assert ("Playbook adoption-habit: 3 tasks opened, the first due 2026-11-27"
            in moved.stdout)
    tasks = _tasks(cli, "ACC-3")
    assert [t["playbook"] for t in tasks] == ["adoption-habit"] * 3
    assert [t["kind"] for t in tasks] == ["call", "training", "email"]
    assert tasks[0]["due_on"] == "2026-11-27" and tasks[0]["playbook_run"]
    assert cli("stage", "ACC-3", "adoption").exit_code == 2  # already there: nothing fires
    assert len(_tasks(cli, "ACC-3")) == 3
    cli("stage", "ACC-3", "retention")
    cli("stage", "ACC-3", "adoption")
    assert len({t["playbook_run"] for t in _tasks(cli, "ACC-3")
                if t["playbook"] == "adoption-habit"}) == 2


def test_a_detractor_answer_from_the_cli_opens_the_call_back(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    answered = cli("survey", "ACC-2", "nps", "4")
    assert answered.exit_code == 0 and "Playbook detractor-call-back: 3 tasks" in answered.stdout
    assert "Playbook" not in cli("survey", "ACC-1", "nps", "9").stdout
    assert {t["playbook"] for t in _tasks(cli, "ACC-2")} == {"detractor-call-back"}


ACCOUNTS = "id,name,stage\nACC-1,Acme Corp,{stage}\n"


def test_an_import_that_changes_a_stage_fires_once(cli, book: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    moved = tmp_path / "moved.csv"
    moved.write_text(ACCOUNTS.format(stage="expansion"), encoding="utf-8")
    result = cli("import", "accounts", str(moved))
    assert result.exit_code == 0, result.output
    assert "1 playbook runs started (3 tasks)" in result.stdout
    assert [t["playbook"] for t in _tasks(cli, "ACC-1")] == ["expansion-need"] * 3
    assert cli("import", "accounts", str(moved)).exit_code == 0  # the same file again
    assert len(_tasks(cli, "ACC-1")) == 3
    dry = cli("import", "accounts", str(moved), "--dry-run")
    assert dry.exit_code == 0 and len(_tasks(cli, "ACC-1")) == 3
    back = tmp_path / "back.csv"
    back.write_text(ACCOUNTS.format(stage="retention"), encoding="utf-8")
    cli("import", "accounts", str(back))
    cli("import", "accounts", str(moved))
    runs = {t["playbook_run"] for t in _tasks(cli, "ACC-1") if t["playbook"] == "expansion-need"}
    assert len(runs) == 2


def test_an_imported_detractor_answer_fires(cli, book: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    answers = tmp_path / "nps.csv"
    answers.write_text("account_id,kind,score,answered_at\nACC-2,nps,2,2026-11-19\n"
                       "ACC-1,nps,10,2026-11-19\nACC-1,nps,1,2025-01-01\n", encoding="utf-8")
    assert cli("import", "surveys", str(answers)).exit_code == 0
    assert {t["playbook"] for t in _tasks(cli, "ACC-2")} == {"detractor-call-back"}
    assert _tasks(cli, "ACC-1") == []  # a promoter, and a detractor from last year


def test_list_and_show(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(cli("playbook", "list", "--json").stdout)
    by_name = {row["name"]: row for row in rows}
    assert by_name["purchase-welcome"]["in_book"] is True
    assert by_name["onboarding-kickoff"]["in_book"] is False  # classic has no onboarding stage
    assert by_name["renewal-prep"]["days_before"] == 90
    book_only = json.loads(cli("playbook", "list", "--book", "--json").stdout)
    assert "onboarding-kickoff" not in {row["name"] for row in book_only}
    shown = cli("playbook", "show", "churned-win-back")
    assert shown.exit_code == 0
    assert "starts on entering churned (shipped)" in shown.stdout
    assert "Exit conversation" in shown.stdout and "day +180" in shown.stdout
    steps = json.loads(cli("playbook", "show", "purchase-welcome", "--json").stdout)["steps"]
    assert steps[0] == {"number": 1, "title": steps[0]["title"], "due": 0, "kind": "email"}
    missing = cli("playbook", "show", "nope")
    assert missing.exit_code == 2 and "no playbook 'nope'" in missing.output


def test_init_copies_the_shipped_set_to_edit_and_refuses_to_overwrite(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    assert cli("playbook", "init").exit_code == 0
    path = playbooks_path()
    assert path.stat().st_mode & 0o777 == 0o600
    assert "purchase-welcome" in path.read_text(encoding="utf-8")
    again = cli("playbook", "init")
    assert again.exit_code == 2 and "exists" in again.output
    rows = json.loads(cli("playbook", "list", "--json").stdout)
    assert {row["source"] for row in rows} == {"playbooks.toml (replaces shipped)"}


def test_run_starts_what_the_date_calls_for_once(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    first = cli("playbook", "run")  # ACC-1, ACC-2 renew on 2026-12-15, within 90 days
    assert first.exit_code == 0
    assert "renewal-prep" in first.stdout
    assert json.loads(cli("playbook", "run", "--json").stdout)["tasks"] == 0


def test_a_bad_playbooks_file_refuses_the_move_with_one_line(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    path = playbooks_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[[playbook]]\nname = "x"\ntrigger = "stage"\nstage = "adoption"\n\n'
                    '[[playbook.step]]\ntitle = "Call"\ndue = -3\n', encoding="utf-8")
    result = cli("stage", "ACC-3", "adoption")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"retain: {path}:8: playbook \"x\" step 1 due: input should be greater than or equal to 0"
        " (got -3)"]
    assert book.get_account("ACC-3").stage == "activation"
    assert cli("playbook", "list").exit_code == 2


RETAIN = Path(sys.executable).parent / "retain"


@pytest.mark.skipif(not RETAIN.exists(), reason="retain is not installed here")
def test_the_installed_script_moves_and_lists_playbook_tasks(tmp_path: Path) -> None:
    db = tmp_path / "sub.db"
    env = {**os.environ, "RETAIN_DB": str(db)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(RETAIN), *args], capture_output=True, text=True, env=env,
                              timeout=120)

    tasks = tmp_path / "accounts.csv"
    tasks.write_text("id,name,stage\nA-1,Acme,consideration\n", encoding="utf-8")
    assert run("init").returncode == 0
    assert run("import", "accounts", str(tasks)).returncode == 0
    moved = run("stage", "A-1", "purchase", "--reason", "signed")
    assert moved.returncode == 0, moved.stderr
    listed = json.loads(run("task", "list", "--json").stdout)
    assert [t["playbook"] for t in listed] == ["purchase-welcome"] * 4


def test_retain_today_starts_date_playbooks_and_shows_their_tasks(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    cli("stage", "ACC-2", "expansion")  # expansion-need: its first step is due today
    rows = json.loads(cli("today", "--all", "--json").stdout)
    by_account = {row["account_id"]: row for row in rows}
    reasons = by_account["ACC-2"]["reasons"]
    assert {"kind": "playbook", "playbook": "expansion-need"}.items() <= next(
        r for r in reasons if r["kind"] == "playbook").items()
    # `retain today` itself started the renewal playbook (ACC-1 renews on 2026-12-15):
    tasks = _tasks(cli, "ACC-1")
    assert {t["playbook"] for t in tasks} == {"renewal-prep"}
    assert any(r["playbook"] == "renewal-prep" for r in by_account["ACC-1"]["reasons"])
    again = json.loads(cli("today", "--all", "--json").stdout)
    assert len(_tasks(cli, "ACC-1")) == len(tasks) and len(again) == len(rows)
