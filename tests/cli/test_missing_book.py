"""Issue 14 item 21: only `init` and `demo` create a book. Any other command given a path with
no book says so, says how to make one, exits 3, and leaves no file or folder behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.conftest import retain

COMMANDS = [
    ["accounts"], ["accounts", "--json"], ["show", "ACME"], ["log", "ACME", "note", "hi"],
    ["stage", "ACME", "adoption"], ["survey", "ACME", "nps", "9"], ["task", "list"],
    ["task", "add", "ACME", "call"], ["export", "accounts"], ["imports"], ["kpi"],
    ["kpi", "mrr", "--months", "3"], ["cohorts"], ["health", "ACME"], ["funnel"], ["setting"],
    ["import", "accounts", "-"], [],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args) or "(the board)")
def test_a_mistyped_book_path_is_refused_and_nothing_is_created(
        tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "typo" / "bok.db"
    done = retain(*args, "--db", str(missing), db=tmp_path / "unused.db",
                  stdin="id,name\nA1,Acme\n")
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert done.stderr == (f"retain: there is no book at {missing}; 'retain init --db "
                           f"{missing}' creates one (or 'retain demo', a sample book)\n")
    assert list(tmp_path.iterdir()) == []


def test_without_db_the_message_names_the_default_book_and_plain_init(tmp_path: Path) -> None:
    book = tmp_path / "book.db"
    done = retain("accounts", db=book)
    assert done.returncode == 3
    assert done.stderr == (f"retain: there is no book at {book}; 'retain init' creates one "
                           "(or 'retain demo', a sample book)\n")
    assert not book.exists()


def test_init_and_demo_create_a_book_and_then_every_command_works(tmp_path: Path) -> None:
    book = tmp_path / "new" / "book.db"
    assert retain("init", db=book).returncode == 0 and book.exists()
    assert retain("accounts", db=book).returncode == 1  # an empty book: nothing matched
    sample = tmp_path / "sample.db"
    made = retain("demo", "--accounts", "5", "--no-open", db=sample)
    assert made.returncode == 0, made.stderr
    assert retain("accounts", db=sample).returncode == 0


def test_where_says_how_to_create_the_book(tmp_path: Path) -> None:
    done = retain("where", db=tmp_path / "book.db")
    assert done.returncode == 0
    assert "not created yet (`retain init` or `retain demo` creates it)" in done.stdout
    assert list(tmp_path.iterdir()) == []
