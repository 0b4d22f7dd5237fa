"""Time `retain import interactions` of N rows against a bare executemany of the same rows.

Usage: python bench/import_interactions.py [--rows 1000000] [--keep DIR]

Generates an 8-column interactions CSV (and 1,000 accounts) in a temporary directory, imports
the accounts, then times (1) `retain import interactions FILE` into that fresh book, in a
subprocess, and (2) a bare `executemany` of the same rows (csv.reader, one transaction) into a
second fresh book with the same schema and indexes. Prints both, their ratio and the peak RSS of
the import subprocess.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import children_peak_rss_mb, retain_executable  # noqa: E402

ACCOUNTS = 1000
KINDS = ("call", "email", "meeting", "note", "ticket", "training", "qbr", "demo")
SENTIMENTS = ("positive", "neutral", "negative", "")
WORDS = ("renewal", "onboarding", "pricing", "usage", "roadmap", "escalation", "training",
         "invoice", "champion", "feedback", "integration", "security")


def generate(directory: Path, rows: int) -> tuple[Path, Path]:
    """Write accounts.csv and interactions.csv (8 columns) into `directory`."""
    rng = random.Random(7)
    accounts = directory / "accounts.csv"
    with accounts.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "name", "stage"])
        writer.writerows([f"ACC-{n:05d}", f"Company {n}", "adoption"] for n in range(ACCOUNTS))
    interactions = directory / "interactions.csv"
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with interactions.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "account_id", "kind", "occurred_at", "author", "summary",
                         "sentiment", "follow_up_on"])
        for n in range(rows):
            when = start + timedelta(seconds=n * 31)
            follow = (when + timedelta(days=7)).date().isoformat() if n % 10 == 0 else ""
            writer.writerow([
                f"{rng.getrandbits(64):016x}-{n:08d}", f"ACC-{rng.randrange(ACCOUNTS):05d}",
                rng.choice(KINDS), when.strftime("%Y-%m-%dT%H:%M:%SZ"), f"csm{n % 25}",
                " ".join(rng.choices(WORDS, k=6)), rng.choice(SENTIMENTS), follow,
            ])
    return accounts, interactions


def bare_insert(db: Path, interactions: Path) -> float:
    """Seconds to executemany the CSV's rows into `db` (schema and accounts already there)."""
    import pysqlite3.dbapi2 as sqlite3

    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    stamp = "2026-01-01T00:00:00Z"
    sql = ("INSERT INTO interactions (id, account_id, kind, occurred_at, author, contact_id, "
           "summary, sentiment, follow_up_on, source, updated_at) "
           "VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, ?)")
    began = time.perf_counter()
    with interactions.open(newline="", encoding="utf-8") as stream:
        reader = csv.reader(stream)
        next(reader)
        conn.execute("BEGIN IMMEDIATE")
        batch = []
        for row in reader:
            batch.append((*row[:6], row[6] or None, row[7] or None, stamp))
            if len(batch) == 5000:
                conn.executemany(sql, batch)
                batch = []
        conn.executemany(sql, batch)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - began
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="Work in this directory and keep it.")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="retain-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    retain = retain_executable()
    print(f"generating {args.rows:,} interactions in {directory} ...", flush=True)
    accounts, interactions = generate(directory, args.rows)
    books = {name: directory / f"{name}.db" for name in ("import", "bare")}
    for book in books.values():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{book}{suffix}").unlink(missing_ok=True)
        subprocess.run([retain, "init", "--db", str(book)], check=True, capture_output=True)
        subprocess.run([retain, "import", "accounts", str(accounts), "--db", str(book)],
                       check=True, capture_output=True)
    env = dict(os.environ, RETAIN_DB=str(books["import"]))
    began = time.perf_counter()
    done = subprocess.run([retain, "import", "interactions", str(interactions)],
                          env=env, capture_output=True, text=True)
    import_seconds = time.perf_counter() - began
    if done.returncode:
        sys.exit(done.stderr)
    peak = children_peak_rss_mb()
    began = time.perf_counter()
    again = subprocess.run([retain, "import", "interactions", str(interactions)],
                           env=env, capture_output=True, text=True, check=True)
    reimport_seconds = time.perf_counter() - began
    bare_seconds = bare_insert(books["bare"], interactions)
    print(done.stdout.strip())
    print(again.stdout.strip())
    print(f"retain import:     {import_seconds:6.1f} s   (peak RSS {peak:.0f} MB)")
    print(f"same file again:   {reimport_seconds:6.1f} s   (0 rows written)")
    print(f"bare executemany:  {bare_seconds:6.1f} s")
    print(f"ratio: {import_seconds / bare_seconds:.2f}x")
    print(f"command: {Path(sys.executable).name} bench/import_interactions.py --rows {args.rows}")


if __name__ == "__main__":
    main()
