"""Schema upgrades as the CLI meets them. The store-level points (backup content, a failed step
rolled back, a newer file refused) are proven in tests/store/test_migrations.py; here: what a
user sees — the exit code, one line on stderr, and a file left as it was."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3
import pytest
from typer.testing import CliRunner

from commands.main import app
from store import migrations
from store.database import connect
from store.migrations import LATEST_VERSION, MIGRATIONS, migrate
from tests.reliability.conftest import RETAIN, dump, retain

needs_script = pytest.mark.skipif(not RETAIN.exists(), reason="retain is not installed here")


def _older_book(db: Path, version: int) -> None:
    """A book at schema `version` with one account in it."""
    conn = connect(db)
    migrate(conn, db, MIGRATIONS[:version])
    conn.execute("INSERT INTO stages VALUES ('adoption', 'Adoption', 'engagement', 1, 0, 'x')")
    conn.execute("INSERT INTO accounts (id, name, stage, stage_entered_at, created_at, updated_at)"
                 " VALUES ('A1', 'Acme', 'adoption', '2026-01-01T00:00:00Z', "
                 "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
    conn.close()


@needs_script
def test_an_older_book_is_upgraded_through_the_cli_with_a_backup_first(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    _older_book(db, 2)
    before = dump(db)
    shown = retain("accounts", "--json", db=db)
    assert shown.returncode == 0, shown.stderr
    assert '"A1"' in shown.stdout
    [line] = shown.stderr.splitlines()
    assert line.startswith("retain: upgraded the book's schema; a copy was kept at ")
    [backup] = tmp_path.glob("book.db.v2-*.bak")
    assert str(backup) in line
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    assert dump(backup) == before  # the copy is the book as it was, version 2
    assert dump(db)["user_version"] == [(LATEST_VERSION,)]
    again = retain("accounts", "--json", db=db)
    assert again.returncode == 0 and again.stderr == ""  # upgraded once, no second backup
    assert len(list(tmp_path.glob("*.bak"))) == 1


def _broken(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE accounts ADD COLUMN half_done INTEGER")
    conn.execute("THIS IS NOT SQL")


def test_a_failed_migration_is_one_line_exit_3_and_the_book_is_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "book.db"
    assert CliRunner().invoke(app, ["init", "--db", str(db)]).exit_code == 0
    before = dump(db)
    # A future release whose next migration fails half-way.
    monkeypatch.setattr(migrations.migrate, "__defaults__", (MIGRATIONS + (_broken,),))
    result = CliRunner().invoke(app, ["accounts", "--db", str(db)])
    assert result.exit_code == 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if "migration" in line]
    assert len(lines) == 1 and lines[0].startswith("retain: ")
    assert f"migration {LATEST_VERSION + 1}" in lines[0]
    assert f"unchanged at version {LATEST_VERSION}" in lines[0] and ".bak" in lines[0]
    assert dump(db) == before


@needs_script
def test_a_book_from_a_newer_retain_is_refused_with_one_line_and_exit_3(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    assert retain("init", db=db).returncode == 0
    conn = sqlite3.connect(str(db))
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    for args in (["accounts"], ["log", "A1", "note", "x"], ["import", "accounts", "-"]):
        result = retain(*args, db=db, stdin="id,name,stage\nA1,Acme,adoption\n")
        assert result.returncode == 3, (args, result.stderr)
        [line] = result.stderr.splitlines()
        assert line.startswith("retain: ") and "newer retain" in line, line
        assert "upgrade retain" in line
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))
