"""Time the KPI dashboard for one period, each KPI family, and a 24-month trend of each KPI."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
from _common import timed_ms  # noqa: E402

from store import Store  # noqa: E402
from store.kpis.dashboard import FAMILIES  # noqa: E402
from store.kpis.filters import BookFilter  # noqa: E402
from store.kpis.periods import add_months, parse_period  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--segment", default=None)
    args = parser.parse_args()
    book = BookFilter(segment=args.segment)
    with Store.open(args.db) as store:
        period = parse_period(args.period, date.today())
        store.kpis(period, book)  # warm the page cache once
        print(f"command: python bench/kpi_dashboard.py {args.db} --period {args.period}"
              + (f" --segment {args.segment}" if args.segment else ""))
        print(f"accounts: {store.conn.execute('SELECT count(*) FROM accounts').fetchone()[0]:,}")
        print(f"whole dashboard, one period ({book.describe()}): "
              f"{timed_ms(lambda: store.kpis(period, book)):.0f} ms")
        margin = store.gross_margin()
        for family in FAMILIES:
            ms = timed_ms(lambda f=family: f.compute(store.conn, period, book, margin))
            print(f"  {', '.join(family.names):<60} {ms:8.1f} ms")
        print("24-month trend of each KPI:")
        slowest = 0.0
        for family in FAMILIES:
            name = family.names[0]
            ms = timed_ms(lambda n=name: store.kpi_trend(n, period, 24, book), runs=1)
            slowest = max(slowest, ms)
            print(f"  {name:<24} {ms:8.0f} ms")
        print(f"slowest trend: {slowest:.0f} ms")
        first = add_months(period.last_day.replace(day=1), -11)
        ends = [add_months(first, k + 1) - timedelta(days=1) for k in range(12)]
        print(f"accounts per stage at 12 month-ends (the stage chart): "
              f"{timed_ms(lambda: store.stage_counts(ends, book)):.0f} ms")


if __name__ == "__main__":
    main()
