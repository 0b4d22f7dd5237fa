"""The installed `retain` script end to end, as a shell script would drive it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RETAIN = Path(sys.executable).parent / "retain"

pytestmark = pytest.mark.skipif(not RETAIN.exists(), reason="retain is not installed here")


def run(*args: str, db: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RETAIN_DB": str(db), "NO_COLOR": "1"}
    return subprocess.run([str(RETAIN), *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=120)


def test_init_demo_log_stage_survey_task_then_show(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    assert run("init", "--preset", "classic", db=db).returncode == 0
    demo = run("demo", "--accounts", "40", "--seed", "3", "--no-open", db=db)
    assert demo.returncode == 0, demo.stderr
    assert "Wrote a demo book" in demo.stdout and demo.stderr == ""
    key = json.loads(run("accounts", "--json", "--stage", "adoption", "--limit", "1",
                         db=db).stdout)[0]["key"]

    logged = run("log", key, "call", "-", "--follow-up", "+3d", "--json", db=db,
                 stdin="Walked through the new dashboard\n")
    assert logged.returncode == 0, logged.stderr
    interaction_id = json.loads(logged.stdout)["id"]
    assert run("stage", key, "retention", "--reason", "using it daily", db=db).returncode == 0
    assert run("survey", key, "nps", "10", "--comment", "love it", db=db).returncode == 0
    tasks = json.loads(run("task", "list", "--account", key, "--json", db=db).stdout)
    follow_up = next(t for t in tasks if t["interaction_id"] == interaction_id)
    assert run("task", "done", follow_up["id"][-8:], db=db).returncode == 0

    story = json.loads(run("show", key, "--json", db=db).stdout)
    assert story["account"]["stage"] == "retention"
    newest = story["timeline"][:3]
    assert {entry["kind"] for entry in newest} == {"interaction", "stage", "survey"}
    assert any(e["detail"] == "using it daily" for e in newest)
    assert any(e["title"] == "NPS 10" and e["detail"] == "love it" for e in newest)
    assert any(e["ref"] == interaction_id for e in newest)
    assert follow_up["id"] not in {t["id"] for t in story["open_tasks"]}


def test_user_errors_are_one_line_with_the_documented_exit_codes(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    assert run("init", db=db).returncode == 0
    missing = run("show", "nobody", db=db)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1
    bad = run("survey", "nobody", "nps", "11", db=db)
    assert bad.returncode in (1, 2) and "Traceback" not in bad.stderr
    usage = run("log", db=db)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_the_demo_is_refused_over_a_book_with_other_data(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    assert run("demo", "--accounts", "20", "--no-open", db=db).returncode == 0
    again = run("demo", "--accounts", "20", "--no-open", db=db)
    assert again.returncode == 0 and "already there" in again.stdout
    other = run("demo", "--accounts", "25", "--no-open", db=db)
    assert other.returncode == 2 and "--replace" in other.stderr
    replaced = run("demo", "--accounts", "25", "--no-open", "--replace", db=db)
    assert replaced.returncode == 0, replaced.stderr
    assert "accounts: 25" in run("where", db=db).stdout
