"""Issue 14: files written behind the user's back, crashes instead of one line, text driving the
terminal. Each test runs the installed `retain` (or the CLI in-process) on a real book."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import resource
import select
import signal
import stat
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commands.main import app
from store import Store
from store.models import Account
from tests.reliability.conftest import RETAIN, dump, env_for, query, retain

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
"""Sets the terminal's clipboard to `rm -rf ~` (base64) on terminals that honour OSC 52."""

HOSTILE_NAME = f"Evil{OSC52} Corp\u202e\u2066\U000e0041\u3164\x9b"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def hostile_book(tmp_path: Path) -> Path:
    """A book whose one account's name drives a terminal (OSC 52, bidi, a tag, a filler)."""
    db = tmp_path / "book.db"
    with Store.open(db) as store:
        store.add_account(Account(id="EVIL-1", name=HOSTILE_NAME, stage="adoption",
                                  owner="Dana"))
    return db


# -- item 16: scratch files -------------------------------------------------------------------

def test_export_never_writes_through_a_planted_scratch_link(seeded: Path, tmp_path: Path) -> None:
    """The old fixed `.out.csv.partial` name let a planted symlink overwrite its target."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (tmp_path / ".out.csv.partial").symlink_to(victim)
    done = retain("export", "accounts", "-o", str(tmp_path / "out.csv"), db=seeded)
    assert done.returncode == 0, done.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert "Acme" in (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert not (tmp_path / "out.csv").is_symlink()
    leftovers = {p.name for p in tmp_path.iterdir()} - {"victim.txt", ".out.csv.partial",
                                                         "out.csv", "accounts.csv", "book.db",
                                                         "book.db-wal", "book.db-shm"}
    assert leftovers == set()


def _export_with_a_full_disk(db: Path, output: Path, limit: int) -> subprocess.CompletedProcess[str]:
    """Run `retain export` where any file past `limit` bytes fails to grow (EFBIG), as on a
    full disk: RLIMIT_FSIZE, with SIGXFSZ ignored so the write fails instead of killing."""
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([str(RETAIN), "export", "interactions", "-o", str(output)],
                          capture_output=True, text=True, env=env_for(db),
                          preexec_fn=limited, timeout=120)


def test_an_export_that_fills_the_disk_leaves_no_partial_file_and_names_the_file(
        seeded: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.csv"
    with notes.open("w", encoding="utf-8") as out:
        out.write("account_id,kind,occurred_at,summary\n")
        for n in range(4000):
            out.write(f"A1,note,2026-01-01T00:{n % 60:02d}:00Z,note number {n} {'x' * 80}\n")
    assert retain("import", "interactions", str(notes), db=seeded).returncode == 0
    output = tmp_path / "out" / "export.csv"
    output.parent.mkdir()
    done = _export_with_a_full_disk(seeded, output, limit=100_000)
    assert done.returncode == 3, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"cannot write {output}" in done.stderr and "no partial file" in done.stderr
    assert list(output.parent.iterdir()) == []


# -- item 19: everything retain creates or adopts is 0600 ---------------------------------------

def test_exports_and_saved_mappings_are_0600_even_with_a_permissive_umask(
        seeded: Path, tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        for fmt in ("csv", "json", "jsonl"):
            output = tmp_path / f"accounts.{fmt}.out"
            done = retain("export", "accounts", "-f", fmt, "-o", str(output), db=seeded)
            assert done.returncode == 0, done.stderr
            assert _mode(output) == 0o600, fmt
        source = tmp_path / "people.csv"
        source.write_text("Company,Customer\nA1,Acme\n", encoding="utf-8")
        done = retain("import", "accounts", str(source), "--map", "Company=id",
                      "--map", "Customer=name", "--save-mapping", "people", db=seeded)
        assert done.returncode == 0, done.stderr
    finally:
        os.umask(previous)
    mappings = tmp_path / "config" / "mappings.toml"
    assert _mode(mappings) == 0o600
    assert [p.name for p in mappings.parent.iterdir()] == ["mappings.toml"]


def test_an_empty_file_given_as_the_book_is_adopted_as_0600_with_its_wal_and_shm(
        tmp_path: Path) -> None:
    db = tmp_path / "touched.db"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.touch()
        path.chmod(0o644)
    done = retain("init", db=db)
    assert done.returncode == 0, done.stderr
    assert _mode(db) == 0o600
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db}{suffix}")
        assert not side.exists() or _mode(side) == 0o600, suffix


# -- item 22: crashes become one line -------------------------------------------------------

def test_an_argument_that_is_not_utf8_is_one_line_and_writes_nothing(seeded: Path) -> None:
    before = dump(seeded, skip=set())
    done = subprocess.run([os.fsencode(RETAIN), b"log", b"A1", b"note", b"x\xffy"],
                          capture_output=True, env=env_for(seeded), timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr == b"retain: argument 4 is not UTF-8 text; nothing was done\n"
    assert dump(seeded, skip=set()) == before


def test_a_demo_refused_for_its_date_leaves_no_book(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    done = retain("demo", "--as-of", "9999-12-31", "--no-open", db=db)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "--as-of: 9999-12-31 is out of range" in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["export", "accounts"], ["export", "accounts", "-f", "json"],
    ["accounts", "--csv"], ["accounts", "--json"], ["accounts"],
])
def test_a_reader_that_closes_the_pipe_early_gets_a_quiet_exit(
        seeded: Path, tmp_path: Path, args: list[str]) -> None:
    """`retain export accounts | head -1`: no "Broken pipe" line, no traceback."""
    rows = tmp_path / "many.csv"
    with rows.open("w", encoding="utf-8") as out:
        out.write("id,name\n" + "".join(f"B{n},Account number {n}\n" for n in range(3000)))
    assert retain("import", "accounts", str(rows), db=seeded).returncode == 0
    shell = f"'{RETAIN}' {' '.join(args)} | head -1; echo \"status=${{PIPESTATUS[0]}}\""
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True,
                          env=env_for(seeded), timeout=120)
    assert done.stderr == "", done.stderr
    status = int(done.stdout.rsplit("status=", 1)[1])
    assert status in (0, 141), done.stdout[-300:]


# -- item 23: export what import reads ----------------------------------------------------

def test_a_year_before_1000_is_exported_as_import_reads_it(seeded: Path, tmp_path: Path) -> None:
    logged = retain("log", "A1", "note", "from the archive", "--at", "0999-05-05T10:00:00Z",
                    db=seeded)
    assert logged.returncode == 0, logged.stderr
    assert "0999-05-05 10:00 UTC" in logged.stdout
    exported = retain("export", "interactions", db=seeded)
    assert ",0999-05-05T10:00:00Z," in exported.stdout
    copy = tmp_path / "copy.db"
    assert retain("init", db=copy).returncode == 0
    for kind in ("accounts", "interactions"):
        out = tmp_path / f"exported-{kind}.csv"
        assert retain("export", kind, "-o", str(out), db=seeded).returncode == 0
        done = retain("import", kind, str(out), db=copy)
        assert done.returncode == 0, done.stderr
    rows = query(copy, "SELECT occurred_at FROM interactions WHERE summary = 'from the archive'")
    assert rows == [("0999-05-05T10:00:00Z",)]


# -- item 24: CSV and JSON to a terminal --------------------------------------------------------

def _run_on_a_terminal(args: list[str], db: Path) -> bytes:
    """Run `retain ARGS` with stdout on a pseudo-terminal; return every byte it wrote there."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([str(RETAIN), *args], stdout=follower, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env={**env_for(db), "COLUMNS": "200"})
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    return seen


@pytest.mark.parametrize("args", [
    ["accounts", "--csv"], ["export", "accounts"], ["export", "accounts", "-f", "json"],
    ["export", "accounts", "-f", "jsonl"], ["accounts", "--json"], ["show", "EVIL-1", "--json"],
])
def test_csv_and_json_on_a_terminal_show_hostile_text_instead_of_running_it(
        hostile_book: Path, args: list[str]) -> None:
    seen = _run_on_a_terminal(args, hostile_book).decode("utf-8")
    assert "Evil" in seen
    for char in ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\U000e0041", "\u3164"):
        assert char not in seen, (char, seen[:400])


def test_csv_and_json_to_a_file_or_pipe_keep_the_text_exactly(hostile_book: Path) -> None:
    listed = retain("accounts", "--csv", db=hostile_book)
    assert list(csv.DictReader(io.StringIO(listed.stdout)))[0]["name"] == HOSTILE_NAME
    exported = retain("export", "accounts", "-f", "json", db=hostile_book)
    assert json.loads(exported.stdout)[0]["name"] == HOSTILE_NAME


def test_json_on_a_terminal_is_still_the_same_json(hostile_book: Path) -> None:
    seen = _run_on_a_terminal(["export", "accounts", "-f", "json"], hostile_book)
    assert json.loads(seen.decode("utf-8"))[0]["name"] == HOSTILE_NAME


def test_the_cli_runner_sees_csv_exactly_as_a_pipe_would(hostile_book: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETAIN_DB", str(hostile_book))
    result = CliRunner().invoke(app, ["accounts", "--csv"])
    assert result.exit_code == 0
    assert HOSTILE_NAME in result.stdout
