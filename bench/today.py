"""Time Today on a book: the ranked rows for the whole book and for one owner, and the day's
first read (which records the whole book's health scores once)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
from _common import timed_ms  # noqa: E402

from store import Store  # noqa: E402
from store.today import Scope  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--day", type=date.fromisoformat, default=None,
                        help="The day to rank (default: today).")
    args = parser.parse_args()
    with Store.open(args.db) as store:
        day = args.day or date.today()
        accounts = store.conn.execute("SELECT count(*) FROM accounts").fetchone()[0]
        print(f"command: python bench/today.py {args.db}"
              + (f" --day {day}" if args.day else ""))
        print(f"accounts: {accounts:,}")
        loads = ", ".join(f"{load:.1f}" for load in os.getloadavg())
        print(f"load average (1, 5, 15 min): {loads}")
        started = time.perf_counter()
        written = store.record_health(day)
        print(f"first read of the day, recording health ({written:,} scores changed): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms (once a day, in a worker)")
        queue = store.today(day)
        owner = queue.rows[0].owner if queue.rows else None
        print(f"Today, whole book ({len(queue.rows):,} rows): "
              f"{timed_ms(lambda: store.today(day), runs=5):.0f} ms")
        print(f"Today without the health rule (the screen's first frame): "
              f"{timed_ms(lambda: store.today(day, kinds=[k for k in queue.kinds if k != 'health']), runs=5):.0f} ms")
        if owner:
            mine = store.today(day, Scope(owner))
            print(f"Today, {owner}'s book ({len(mine.rows):,} rows): "
                  f"{timed_ms(lambda: store.today(day, Scope(owner)), runs=5):.0f} ms")


if __name__ == "__main__":
    main()
