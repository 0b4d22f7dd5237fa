"""Schema migrations: fresh files, no-op reopens, upgrades with a backup, refusals."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import grimp
import pysqlite3.dbapi2 as sqlite3
import pytest

from store import MigrationFailed, SchemaTooNew, Store, StoreError
from store.database import connect
from store.migrations import LATEST_VERSION, MIGRATIONS, migrate, schema_version
from store.models import Account

EXPECTED_TABLES = {
    "settings", "stages", "accounts", "contacts", "stage_history", "subscriptions",
    "interactions", "survey_answers", "usage", "acquisition", "acquisition_spend", "tasks",
}


def schema_of(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT name, sql FROM sqlite_schema ORDER BY name").fetchall()
    finally:
        conn.close()


def test_a_new_file_gets_every_table_at_the_latest_version(book_path: Path) -> None:
    with Store.open(book_path) as store:
        assert schema_version(store.conn) == LATEST_VERSION
        assert EXPECTED_TABLES <= set(store.db.table_names())
        assert store.backup_path is None
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_the_file_is_readable_by_its_owner_only(book_path: Path) -> None:
    Store.open(book_path).close()
    assert stat.S_IMODE(os.stat(book_path).st_mode) == 0o600


def test_reopening_changes_nothing_and_makes_no_backup(book_path: Path) -> None:
    with Store.open(book_path) as store:
        store.add_account(Account(id="a1", name="Acme", stage="awareness"))
    before = schema_of(book_path)
    with Store.open(book_path) as store:
        assert store.backup_path is None
        assert store.get_account("a1").name == "Acme"
    assert schema_of(book_path) == before
    assert not list(book_path.parent.glob("*.bak"))


def _add_column(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE accounts ADD COLUMN health INTEGER")


def _broken(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE accounts ADD COLUMN half_done INTEGER")
    conn.execute("THIS IS NOT SQL")


def test_an_upgrade_keeps_the_data_and_a_backup_copy(book_path: Path) -> None:
    with Store.open(book_path) as store:
        store.add_account(Account(id="a1", name="Acme", stage="awareness"))
    conn = connect(book_path)
    backup = migrate(conn, book_path, MIGRATIONS + (_add_column,))
    assert schema_version(conn) == LATEST_VERSION + 1
    assert conn.execute("SELECT name, health FROM accounts").fetchall() == [("Acme", None)]
    conn.close()
    assert backup is not None and backup.exists()
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    old = sqlite3.connect(str(backup))
    assert old.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert old.execute("SELECT name FROM accounts").fetchall() == [("Acme",)]
    old.close()


def test_a_failed_migration_leaves_the_database_as_it_was(book_path: Path) -> None:
    with Store.open(book_path) as store:
        store.add_account(Account(id="a1", name="Acme", stage="awareness"))
    before = schema_of(book_path)
    conn = connect(book_path)
    with pytest.raises(MigrationFailed, match="unchanged at version"):
        migrate(conn, book_path, MIGRATIONS + (_broken,))
    assert schema_version(conn) == LATEST_VERSION
    conn.close()
    assert schema_of(book_path) == before


def test_a_database_from_a_newer_retain_is_refused_untouched(book_path: Path) -> None:
    Store.open(book_path).close()
    conn = sqlite3.connect(str(book_path))
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    conn.close()
    before = schema_of(book_path)
    with pytest.raises(SchemaTooNew, match="newer retain"):
        Store.open(book_path)
    assert schema_of(book_path) == before


def test_a_foreign_sqlite_file_is_not_taken_over(book_path: Path) -> None:
    conn = sqlite3.connect(str(book_path))
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="not a retain database"):
        Store.open(book_path)


def test_a_file_that_is_not_sqlite_gets_a_clear_error(book_path: Path) -> None:
    book_path.write_text("name,mrr\nAcme,100\n" * 100)
    with pytest.raises(StoreError, match="cannot open as a SQLite database"):
        Store.open(book_path)


def test_the_store_runs_on_a_sqlite_without_the_wal_reset_bug(store: Store) -> None:
    version = store.conn.execute("select sqlite_version()").fetchone()[0]
    assert tuple(int(part) for part in version.split(".")) >= (3, 51, 3)


def _book_at(path: Path, version: int) -> sqlite3.Connection:
    """A book created by the first `version` migrations, with one paying subscription."""
    conn = connect(path)
    migrate(conn, path, MIGRATIONS[:version])
    now = "2026-01-01T00:00:00Z"
    conn.execute("INSERT INTO stages (key, label, phase, position, terminal, updated_at) "
                 "VALUES ('purchase', 'Purchase', 'acquisition', 1, 0, ?)", (now,))
    conn.execute("INSERT INTO accounts (id, name, stage, stage_entered_at, created_at, "
                 "updated_at) VALUES ('a1', 'Acme', 'purchase', ?, ?, ?)", (now, now, now))
    conn.execute("INSERT INTO subscriptions (id, account_id, status, mrr_cents, started_on, "
                 "updated_at) VALUES ('s1', 'a1', 'active', 5000, '2026-01-01', ?)", (now,))
    return conn


def test_a_book_from_before_the_month_table_gets_its_months_derived(book_path: Path) -> None:
    _book_at(book_path, 2).close()
    with Store.open(book_path) as store:
        assert schema_version(store.conn) == LATEST_VERSION
        months = store.conn.execute(
            "SELECT month, mrr_cents, movement FROM account_months ORDER BY month LIMIT 2"
        ).fetchall()
        assert [tuple(row) for row in months] == [("2026-01", 5000, "new"),
                                                  ("2026-02", 5000, None)]
        assert store.conn.execute("SELECT cancelled_on FROM subscriptions").fetchone()[0] is None


def test_adding_the_cancellation_column_does_not_re_derive_a_book(book_path: Path) -> None:
    conn = _book_at(book_path, 3)
    # a marker row the derivation would delete: the upgrade only adds a column
    conn.execute("INSERT INTO account_months (account_id, month, mrr_cents, movement, "
                 "delta_cents) VALUES ('a1', '1999-01', 1, 'new', 1)")
    conn.close()
    with Store.open(book_path) as store:
        assert store.conn.execute(
            "SELECT count(*) FROM account_months WHERE month = '1999-01'").fetchone()[0] == 1


def test_migrations_use_only_code_frozen_with_them() -> None:
    """A migration calling live code (say, a KPI derivation) breaks the upgrade of an old book
    the day that code reads a column a later migration adds: migrations import only the
    connection helpers and the errors, and pinned libraries."""
    graph = grimp.build_graph("store")
    inside = {module for module in graph.find_modules_directly_imported_by("store.migrations")}
    assert inside <= {"store.clock", "store.database", "store.errors"}
