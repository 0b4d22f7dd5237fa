"""Time full-text search on a book, the cost of the search index on writes, and sqlite-utils'
import cost (why it is imported lazily)."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import median, retain_executable, timed_ms  # noqa: E402
from store import Store  # noqa: E402
from store.ids import new_id  # noqa: E402
from store.models import Interaction  # noqa: E402

RARE = "quokkaphone"
"""A word the demo never writes: the benchmark logs one interaction that says it."""


def import_ms(code: str, runs: int) -> float:
    """Median wall time of a fresh Python running `code`, in ms."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append((time.perf_counter() - started) * 1000)
    return median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path, help="a book to search (one interaction is added)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(f"command: python bench/search.py {args.db} --runs {args.runs}")
    with Store.open(args.db) as store:
        count = store.conn.execute("SELECT count(*) FROM interactions").fetchone()[0]
        print(f"accounts: {store.conn.execute('SELECT count(*) FROM accounts').fetchone()[0]:,}"
              f", interactions: {count:,}")
        if not store.search(RARE):
            account = store.conn.execute("SELECT id FROM accounts LIMIT 1").fetchone()[0]
            store.log_interaction(Interaction(
                id=new_id(), account_id=account, kind="note", occurred_at=datetime.now(UTC),
                summary=f"Asked about the {RARE} integration"))
        for text in (RARE, "pricing", "renewal timeline", "acme"):
            hits = store.search(text)
            ms = timed_ms(lambda t=text: store.search(t), args.runs)
            print(f"Store.search({text!r}): {ms:.1f} ms median, {len(hits)} hits shown")
        conn = store.conn
        for column, note in (("mrr_cents", "MRR (as the daily catch-up does): index untouched"),
                             ("name", "name: every row re-indexed")):
            conn.execute("BEGIN IMMEDIATE")
            started = time.perf_counter()
            conn.execute(f"UPDATE accounts SET {column} = {column}")
            elapsed = (time.perf_counter() - started) * 1000
            conn.execute("ROLLBACK")
            print(f"UPDATE of every account's {note}: {elapsed:.0f} ms (rolled back)")
    retain = retain_executable()
    started = time.perf_counter()
    subprocess.run([retain, "search", RARE, "--db", str(args.db), "--json"], check=True,
                   capture_output=True)
    print(f"retain search {RARE} --json, whole process: "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")
    bare = import_ms("pass", args.runs)
    utils = import_ms("import sqlite_utils", args.runs)
    numpy = import_ms("import numpy", args.runs) if _has("numpy") else None
    print(f"python -c pass: {bare:.0f} ms; import sqlite_utils: +{utils - bare:.0f} ms"
          + (f" (numpy installed; import numpy alone: +{numpy - bare:.0f} ms)" if numpy else
             " (numpy not installed)"))


def _has(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


if __name__ == "__main__":
    main()
