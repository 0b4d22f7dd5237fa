"""`retain init`, `where` and the error conventions, through typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from commands.main import app
from store import Store

runner = CliRunner()


def test_init_creates_the_book_with_the_chosen_preset(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "mine.db"
    result = runner.invoke(app, ["init", "--preset", "loyalty", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Book ready at {path}" in result.output
    assert "awareness → conversion → purchase → onboarding → renewal → loyalty" in result.output
    with Store.open(path) as store:
        assert store.lifecycle().name == "loyalty"


def test_the_book_comes_from_db_then_env(tmp_path: Path, book_path: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert book_path.exists()  # $RETAIN_DB, set by the conftest
    other = tmp_path / "other.db"
    result = runner.invoke(app, ["--db", str(other), "where"])
    assert f"book: {other}" in result.output
    assert "not created yet" in result.output


def test_init_reads_a_custom_stage_list(tmp_path: Path, book_path: Path) -> None:
    stages = tmp_path / "stages.toml"
    stages.write_text('name = "ours"\n[[stage]]\nkey = "lead"\nphase = "acquisition"\n'
                      '[[stage]]\nkey = "live"\nphase = "engagement"\n')
    result = runner.invoke(app, ["init", "--stages", str(stages)])
    assert result.exit_code == 0, result.output
    assert "Stages (ours): lead → live (+ churned)" in result.output


def test_a_bad_preset_is_a_usage_error_without_a_traceback() -> None:
    result = runner.invoke(app, ["init", "--preset", "funnel"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_store_error_is_one_line_on_stderr_with_exit_code(book_path: Path) -> None:
    book_path.write_text("this is not a database\n" * 50)
    result = runner.invoke(app, ["where"])
    assert result.exit_code == 3
    assert result.stderr.startswith("retain: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_help_reads_well_for_every_command() -> None:
    for args in ([], ["init"], ["demo"], ["where"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0
        assert "Usage: retain" in result.output
    assert runner.invoke(app, ["-h"]).exit_code == 0
