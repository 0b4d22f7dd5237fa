"""Time `Store.evaluate_playbooks` (the date-based playbook triggers) on a book, cold and warm."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path, help="a book (copied first: the original is not changed)")
    parser.add_argument("--on", default=None, help="evaluate as of this day (YYYY-MM-DD)")
    args = parser.parse_args()
    day = date.fromisoformat(args.on) if args.on else None
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "book.db"
        shutil.copyfile(args.db, copy)
        with Store.open(copy) as store:
            print(f"command: python bench/playbooks_evaluate.py {args.db}"
                  + (f" --on {args.on}" if args.on else ""))
            print(f"accounts: {store.conn.execute('SELECT count(*) FROM accounts').fetchone()[0]:,}")
            started = time.perf_counter()
            fired = store.evaluate_playbooks(day)
            first = (time.perf_counter() - started) * 1000
            print(f"first evaluation (records the day's health if not yet, starts every run due): {first:,.0f} ms, "
                  f"{fired.run_count:,} runs, {fired.tasks:,} tasks {dict(sorted(fired.runs.items()))}")
            started = time.perf_counter()
            again = store.evaluate_playbooks(day)
            second = (time.perf_counter() - started) * 1000
            print(f"second evaluation (nothing new; reads the recorded health): {second:,.0f} ms, "
                  f"{again.run_count} runs")
            scores = store.health_scores(None, day)
            started = time.perf_counter()
            store.evaluate_playbooks(day, health=scores)
            third = (time.perf_counter() - started) * 1000
            print(f"evaluation given the health scores: {third:,.0f} ms")


if __name__ == "__main__":
    main()
