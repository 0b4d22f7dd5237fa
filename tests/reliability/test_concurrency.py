"""Two writers at once, and a big import beside a CSM logging notes: nothing lost, nobody refused.

Every process here is the installed `retain` script (or a bare SQLite reader), as in real use.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import RETAIN, integrity, interactions_csv, query, retain

pytestmark = pytest.mark.skipif(not RETAIN.exists(), reason="retain is not installed here")

WRITER_LOOP = 12
"""Interactions each of the two concurrent CLI writers logs."""


def _writer(db: Path, account: str, count: int, tag: str) -> subprocess.Popen[str]:
    """A shell-like loop of `retain log` calls, one after another, in its own process."""
    script = textwrap.dedent(f"""
        import os, subprocess, sys
        failures = 0
        for n in range({count}):
            done = subprocess.run([{str(RETAIN)!r}, "log", {account!r}, "note", "{tag} " + str(n)],
                                  capture_output=True, text=True)
            if done.returncode != 0 or done.stderr:
                failures += 1
                sys.stderr.write(f"{{done.returncode}}: {{done.stderr}}")
        print(failures)
    """)
    from tests.reliability.conftest import env_for
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env_for(db))


def test_two_cli_writers_at_once_lose_nothing(seeded: Path, reaped: list) -> None:  # type: ignore[type-arg]
    writers = [_writer(seeded, "A1", WRITER_LOOP, "first"), _writer(seeded, "A2", WRITER_LOOP, "second")]
    reaped.extend(writers)
    outcomes = [w.communicate(timeout=170) for w in writers]
    for out, err in outcomes:
        assert "locked" not in err.lower() and "Traceback" not in err, err
        assert out.strip() == "0", err
    for account, tag in (("A1", "first"), ("A2", "second")):
        summaries = {row[0] for row in query(
            seeded, "SELECT summary FROM interactions WHERE account_id = ?", account)}
        assert summaries == {f"{tag} {n}" for n in range(WRITER_LOOP)}
    assert integrity(seeded) == "ok"


READER = textwrap.dedent("""
    import sys, time, pathlib
    import pysqlite3.dbapi2 as sqlite3
    db, stop = sys.argv[1], pathlib.Path(sys.argv[2])
    seen = set()
    reads = 0
    conn = sqlite3.connect(db, timeout=30)
    while not stop.exists():
        n = conn.execute("SELECT count(*) FROM interactions WHERE account_id IN ('A1', 'A2')").fetchone()[0]
        seen.add(n)
        reads += 1
        time.sleep(0.02)
    print(reads, *sorted(seen))
""")


NOTE_WRITER = textwrap.dedent("""
    import sys, time, pathlib
    from datetime import UTC, datetime
    from store import Store
    from store.ids import new_id
    from store.models import Interaction
    db, stop = sys.argv[1], pathlib.Path(sys.argv[2])
    store = Store.open(db)
    written, failed, longest = 0, [], 0.0
    while not stop.exists():  # a note every 100 ms, as a CSM in the app would save them
        began = time.monotonic()
        try:
            store.log_interaction(Interaction(id=new_id(), account_id="A3", kind="note",
                                  occurred_at=datetime.now(UTC), summary=f"app note {written}"))
            written += 1
        except Exception as error:
            failed.append(repr(error))
        longest = max(longest, time.monotonic() - began)
        time.sleep(0.1)
    print(written, round(longest, 2))
    for line in failed:
        print(line, file=sys.stderr)
""")


def _cli_notes(db: Path, stop: Path) -> subprocess.Popen[str]:
    """A shell loop of `retain log` calls, one after another, until `stop` exists."""
    script = textwrap.dedent(f"""
        import pathlib, subprocess, sys
        stop = pathlib.Path({str(stop)!r})
        n = 0
        while not stop.exists():
            done = subprocess.run([{str(RETAIN)!r}, "log", "A3", "note", f"cli note {{n}}"],
                                  capture_output=True, text=True)
            if done.returncode != 0 or done.stderr:
                sys.stderr.write(f"{{done.returncode}}: {{done.stderr}}")
            n += 1
        print(n)
    """)
    from tests.reliability.conftest import env_for
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env_for(db))


def _import_beside_notes(seeded: Path, tmp_path: Path, rows: int,
                         reaped: list) -> dict[str, float]:  # type: ignore[type-arg]
    from tests.reliability.conftest import env_for
    big = interactions_csv(tmp_path / "big.csv", rows)
    stop = tmp_path / "stop"
    helpers = [
        subprocess.Popen([sys.executable, "-c", code, str(seeded), str(stop)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=env_for(seeded))
        for code in (READER, NOTE_WRITER)
    ]
    cli_notes = _cli_notes(seeded, stop)
    reaped.extend([*helpers, cli_notes])
    time.sleep(1.0)  # the writers are under way before the import starts
    started = time.monotonic()
    done = retain("import", "interactions", str(big), "--json", db=seeded, timeout=600)
    import_seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    time.sleep(0.5)
    stop.touch()
    (reader_out, reader_err), (notes_out, notes_err), (cli_out, cli_err) = (
        proc.communicate(timeout=200) for proc in (*helpers, cli_notes))
    assert reader_err == "" and notes_err == "" and cli_err == "", (reader_err, notes_err, cli_err)
    written, longest_wait = notes_out.split()
    cli_count = int(cli_out)
    logged = {row[0] for row in query(
        seeded, "SELECT summary FROM interactions WHERE account_id = 'A3'")}
    assert logged == ({f"app note {n}" for n in range(int(written))}
                      | {f"cli note {n}" for n in range(cli_count)})
    assert query(seeded, "SELECT count(*) FROM interactions WHERE account_id IN ('A1','A2')") \
        == [(rows,)]
    reads, *seen = (int(part) for part in reader_out.split())
    assert set(seen) <= {0, rows}, f"a reader saw a partial import: {sorted(seen)[:10]}"
    assert integrity(seeded) == "ok"
    summary = json.loads(done.stdout)
    return {"rows": rows, "import_s": round(import_seconds, 1),
            "lock_held_s": summary.get("write_seconds"), "app_notes": int(written),
            "longest_note_wait_s": float(longest_wait), "cli_notes": cli_count, "reads": reads}


def test_an_import_beside_a_csm_logging_notes(seeded: Path, tmp_path: Path, reaped: list) -> None:  # type: ignore[type-arg]
    figures = _import_beside_notes(seeded, tmp_path, 200_000, reaped)
    print("200k import beside notes:", figures)
    assert figures["app_notes"] >= 10 and figures["cli_notes"] >= 2


@pytest.mark.slow
def test_a_million_row_import_beside_a_csm_logging_notes(seeded: Path, tmp_path: Path,
                                                          reaped: list) -> None:  # type: ignore[type-arg]
    figures = _import_beside_notes(seeded, tmp_path, 1_000_000, reaped)
    print("1M import beside notes:", figures)
