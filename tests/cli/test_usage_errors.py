"""Issue 14 item 15: usage errors take one line, and the README's exit codes are the code's."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from store import Store
from tests.reliability.conftest import RETAIN, env_for

README = Path(__file__).parents[2] / "README.md"


@pytest.mark.parametrize(("args", "says"), [
    (["log"], "Missing argument 'account' (see 'retain log -h')"),
    (["accounts", "--sort", "zz"], "Invalid value for '--sort'"),
    (["accounts", "--bogus"], "No such option: --bogus (see 'retain accounts -h')"),
    (["bogus"], "No such command 'bogus' (see 'retain -h')"),
    (["task", "add"], "Missing argument"),
    (["export", "nothing"], "Invalid value for 'KIND"),
])
def test_a_usage_error_is_one_line_naming_where_help_is(
        cli: Callable[..., Result], book: Store, args: list[str], says: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("retain: "), result.stderr
    assert says.lower() in lines[0].lower()


def test_a_usage_error_is_one_line_from_the_installed_command(book_path: Path,
                                                              book: Store) -> None:
    done = subprocess.run([str(RETAIN), "survey", "ACC-1"], capture_output=True, text=True,
                          env=env_for(book_path), timeout=60)
    assert done.returncode == 2
    assert done.stderr == ("retain: Missing argument 'kind'. Choose from: nps, csat, cli "
                           "(see 'retain survey -h')\n")


def test_a_negative_survey_score_is_a_score_out_of_range_not_an_option(
        cli: Callable[..., Result], book: Store) -> None:
    result = cli("survey", "ACC-1", "nps", "-1")
    assert result.exit_code == 2
    assert result.stderr == "retain: score 1: score -1 is outside 0-10 for a nps answer\n"
    result = cli("survey", "ACC-1", "cli", "7", "8", "-3", "9")
    assert result.exit_code == 2 and "score -3 is outside 1-10" in result.stderr


def test_help_is_still_help(cli: Callable[..., Result]) -> None:
    assert cli("survey", "-h").exit_code == 0
    task = cli("task")
    assert "Commands:" in task.output and "snooze" in task.output


def test_the_readme_gives_the_exit_code_an_ambiguous_account_name_exits_with(
        cli: Callable[..., Result], book: Store) -> None:
    result = cli("show", "acme")
    assert "Acme Corp" in result.stderr and "Acme Analytics" in result.stderr
    codes = README.read_text(encoding="utf-8").split("Exit codes:", 1)[1].split("Errors are", 1)[0]
    described = {int(code): text for code, text in re.findall(r"`(\d+)` ([^`]+)", codes)}
    assert "ambiguous" in described[result.exit_code]
