"""The files retain writes are private to their owner: the book, its WAL and SHM, backups.

Already proven: the book file is 0600 (tests/store/test_migrations.py::
test_the_file_is_readable_by_its_owner_only), a migration backup is 0600
(tests/store/test_migrations.py::test_an_upgrade_keeps_the_data_and_a_backup_copy), and
`export --output` refuses to overwrite without --force
(tests/cli/test_read_commands.py::test_export_neutralises_formulas_and_refuses_to_overwrite)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commands.main import app
from store import Store
from store.models import Account
from tests.reliability.conftest import RETAIN, popen, retain


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_book_wal_and_shm_are_0600_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        book = tmp_path / "book.db"
        store = Store.open(book)
        store.add_account(Account(id="a1", name="Acme", stage="adoption"))
        # While a connection is open the WAL and SHM exist beside the book.
        wal, shm = Path(f"{book}-wal"), Path(f"{book}-shm")
        assert wal.exists() and shm.exists()
        assert (_mode(book), _mode(wal), _mode(shm)) == (0o600, 0o600, 0o600)
        store.close()
    finally:
        os.umask(old)


@pytest.mark.skipif(not RETAIN.exists(), reason="retain is not installed here")
def test_files_made_by_the_cli_are_0600(tmp_path: Path) -> None:
    book = tmp_path / "nested" / "book.db"
    assert retain("init", db=book).returncode == 0
    assert _mode(book) == 0o600
    holder = popen("import", "accounts", "-", db=book, stdin=True)  # holds the book open while it waits
    try:
        assert retain("log", "x", "note", "y", db=book).returncode == 1
        for suffix in ("-wal", "-shm"):
            side = Path(f"{book}{suffix}")
            if side.exists():
                assert _mode(side) == 0o600, suffix
    finally:
        _, err = holder.communicate(input="id,name,stage\nA1,Acme,adoption\n", timeout=60)
    assert holder.returncode == 0, err


def test_an_export_never_overwrites_without_force_and_a_refusal_keeps_the_file(
    store: Store, tmp_path: Path
) -> None:
    store.add_account(Account(id="a1", name="Acme", stage="adoption"))
    target = tmp_path / "accounts.json"
    target.write_text("precious", encoding="utf-8")
    for fmt in ("csv", "json", "jsonl"):
        result = CliRunner().invoke(app, ["export", "accounts", "--format", fmt, "-o", str(target)])
        assert result.exit_code == 2 and "--force" in result.stderr
        assert target.read_text(encoding="utf-8") == "precious"
    assert not list(tmp_path.glob("*.partial"))
