"""Time `retain demo --accounts N --no-open` into a fresh file and report what it wrote."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3

sys.path.insert(0, str(Path(__file__).parent))
from _common import children_peak_rss_mb, retain_executable  # noqa: E402

TABLES = ("accounts", "contacts", "stage_history", "subscriptions", "interactions",
          "survey_answers", "usage", "acquisition", "acquisition_spend", "tasks")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="keep the book here (default: a temp file)")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench-demo.db"
    path.unlink(missing_ok=True)
    command = [retain_executable(), "demo", "--accounts", str(args.accounts), "--no-open",
               "--as-of", "2026-11-01", "--db", str(path)]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    conn = sqlite3.connect(str(path))
    counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}
    conn.close()
    total = sum(counts.values())
    print(f"command: {' '.join(command)}")
    print(f"wall time: {elapsed:.1f} s, {total:,} rows ({total / elapsed:,.0f} rows/s)")
    print(f"file size: {path.stat().st_size / 1e6:.0f} MB, peak RSS: {children_peak_rss_mb():.0f} MB")
    for table, count in counts.items():
        print(f"  {table:<18} {count:>11,}")


if __name__ == "__main__":
    main()
