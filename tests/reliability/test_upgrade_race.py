"""Issue 14 item 20: many processes opening an older book at once. Exactly one upgrades it,
under a lock, keeping one uniquely named backup; the others wait and open the upgraded book.
`retain where` and shell completion never upgrade; interrupted upgrades leave one backup."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
from pathlib import Path

import pytest

from store import Store
from store.database import connect
from store.migrations import LATEST_VERSION, MIGRATIONS, migrate
from tests.reliability.conftest import RETAIN, dump, env_for, popen, query, retain

OPENERS = 12
ROUNDS = 20
OLD_VERSION = 2


def _older_book(db: Path, notes: int = 3000) -> None:
    """A book at schema version 2 holding one account and `notes` interactions."""
    conn = connect(db)
    migrate(conn, db, MIGRATIONS[:OLD_VERSION])
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO stages VALUES ('adoption', 'Adoption', 'engagement', 1, 0, 'x')")
    conn.execute("INSERT INTO accounts (id, name, stage, stage_entered_at, created_at, updated_at)"
                 " VALUES ('A1', 'Acme', 'adoption', '2026-01-01T00:00:00Z', "
                 "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
    conn.executemany(
        "INSERT INTO interactions (id, account_id, kind, occurred_at, summary, updated_at) "
        "VALUES (?, 'A1', 'note', '2026-01-02T00:00:00Z', ?, '2026-01-02T00:00:00Z')",
        [(f"N{n}", f"note {n} " + "x" * 200) for n in range(notes)])
    conn.execute("COMMIT")
    conn.close()


def _open_when_released(db: str, start: object, errors: object) -> None:
    """A child process: wait for the starting gun, open the book as every command does."""
    start.wait()  # type: ignore[attr-defined]
    try:
        with Store.open(db) as store:
            store.conn.execute("SELECT count(*) FROM interactions").fetchone()
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        errors.put(f"{type(error).__name__}: {error}")  # type: ignore[attr-defined]
        os._exit(1)
    os._exit(0)


def _round_of_openers(folder: Path) -> tuple[list[str], list[Path], dict[str, object]]:
    """One round: an older book, OPENERS forked processes opening it at the same instant."""
    folder.mkdir()
    db = folder / "book.db"
    _older_book(db)
    before = dump(db)
    fork = multiprocessing.get_context("fork")
    start, errors = fork.Event(), fork.Queue()
    children = [fork.Process(target=_open_when_released, args=(str(db), start, errors))
                for _ in range(OPENERS)]
    for child in children:
        child.start()
    start.set()
    for child in children:
        child.join(timeout=120)
    failures = [f"exit {child.exitcode}" for child in children if child.exitcode != 0]
    while not errors.empty():
        failures.append(errors.get())
    return failures, sorted(folder.glob("book.db.v*.bak")), before


def test_twelve_processes_opening_an_older_book_upgrade_it_once_with_one_backup(
        tmp_path: Path) -> None:
    for number in range(ROUNDS):
        folder = tmp_path / f"round-{number}"
        failures, backups, before = _round_of_openers(folder)
        assert failures == [], f"round {number}: {failures}"
        assert len(backups) == 1, f"round {number}: {[b.name for b in backups]}"
        assert backups[0].name.startswith(f"book.db.v{OLD_VERSION}-")
        assert dump(backups[0]) == before, f"round {number}: the backup is not the old book"
        db = folder / "book.db"
        assert dump(db)["user_version"] == [(LATEST_VERSION,)]
        assert query(db, "SELECT count(*) FROM interactions") == [(3000,)]
        left = {p.name for p in folder.iterdir()} - {"book.db", "book.db-wal", "book.db-shm",
                                                      backups[0].name}
        assert left == set(), f"round {number}: left behind {left}"


def _cli_round(folder: Path) -> None:
    folder.mkdir()
    db = folder / "book.db"
    _older_book(db, notes=500)
    before = dump(db)
    procs = [popen("accounts", "--json", db=db) for _ in range(OPENERS)]
    results = [(proc.wait(timeout=300), *proc.communicate()) for proc in procs]
    assert [code for code, _, _ in results] == [0] * OPENERS, [err for _, _, err in results]
    assert all('"A1"' in out for _, out, _ in results)
    told = [err for _, _, err in results if "upgraded the book's schema" in err]
    assert len(told) == 1, [err for _, _, err in results]
    [backup] = folder.glob("book.db.v*.bak")
    assert str(backup) in told[0] and dump(backup) == before


def test_twelve_retain_commands_on_an_older_book_at_once(tmp_path: Path) -> None:
    """The same through the installed command (one round: twelve starts cost seconds)."""
    _cli_round(tmp_path / "cli")


@pytest.mark.slow
def test_twelve_retain_commands_on_an_older_book_twenty_rounds(tmp_path: Path) -> None:
    for number in range(ROUNDS):
        _cli_round(tmp_path / f"cli-{number}")


def test_where_never_upgrades_and_says_the_book_is_older(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    _older_book(db, notes=10)
    before = dump(db)
    done = retain("where", db=db)
    assert done.returncode == 0, done.stderr
    assert f"schema version {OLD_VERSION}, older than this retain's {LATEST_VERSION}" in done.stdout
    assert "upgrades it" in done.stdout
    assert dump(db) == before and list(tmp_path.glob("*.bak")) == []


def test_shell_completion_never_upgrades(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    _older_book(db, notes=10)
    before = dump(db)
    env = {**env_for(db), "_RETAIN_COMPLETE": "complete_bash", "COMP_WORDS": "retain log A",
           "COMP_CWORD": "2"}
    done = subprocess.run([str(RETAIN)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and done.stdout.split() == []
    assert dump(db) == before and list(tmp_path.glob("*.bak")) == []


def _dies(conn: object) -> None:
    os._exit(9)  # as if killed half-way through the upgrade


def _upgrade_and_die(db: str) -> None:
    conn = connect(Path(db))
    migrate(conn, Path(db), MIGRATIONS + (_dies,))


def test_interrupted_upgrades_leave_one_backup_not_a_pile(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    Store.open(db).close()  # the latest version; the next "release" adds a step that dies
    before = dump(db)
    fork = multiprocessing.get_context("fork")
    for _ in range(3):
        child = fork.Process(target=_upgrade_and_die, args=(str(db),))
        child.start()
        child.join(timeout=60)
        assert child.exitcode == 9
    # and one killed while copying: its hidden scratch copy is left behind
    (tmp_path / f".book.db.v{LATEST_VERSION}-20260101T000000Z-abc123.bak.partial").write_bytes(
        b"half a copy")
    conn = connect(db)
    backup = migrate(conn, db, MIGRATIONS + (lambda c: None,))
    conn.close()
    assert backup is not None
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name) == [backup.name]
    assert dump(backup) == before
