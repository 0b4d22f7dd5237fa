"""Purchase-stage KPIs from CRM deals: win rate, won value, deal size, sales cycle, pipeline.

Closed deals count in the period their `close_on` falls in; the pipeline is read at the
period's end. Amounts are summed as stored, whatever their currency (a book holds one).
"""

from __future__ import annotations

from typing import Any

from store.database import Connection
from store.kpis.filters import BookFilter
from store.kpis.periods import Period
from store.kpis.results import KpiValue, Unit, median, ratio

CLOSED_IN_PERIOD = "d.status IN ('won', 'lost') AND d.close_on >= :start AND d.close_on < :end"
"""The deals a period's win rate, won value and deal size count (one definition)."""
OPEN_AT_END = ("(d.created_on IS NULL OR d.created_on < :end) "
               "AND (d.status = 'open' OR (d.close_on IS NOT NULL AND d.close_on >= :end))")
"""Deals in the pipeline at the period's end: created by then, and not closed before it."""
CYCLE_DAYS = "julianday(d.close_on) - julianday(d.created_on)"
"""A won deal's sales cycle in days (created → close)."""


def _has_deals(conn: Connection, book: BookFilter) -> bool:
    scope, params = book.scope("d.account_id")
    return bool(conn.execute(f"SELECT EXISTS (SELECT 1 FROM deals d WHERE 1{scope})",
                             params).fetchone()[0])


def _closed(conn: Connection, period: Period, book: BookFilter) -> dict[str, Any]:
    scope, params = book.scope("d.account_id")
    row = conn.execute(
        "SELECT count(*) FILTER (WHERE d.status = 'won'), "
        "count(*) FILTER (WHERE d.status = 'lost'), "
        "coalesce(sum(d.amount_cents) FILTER (WHERE d.status = 'won'), 0), "
        "count(d.amount_cents) FILTER (WHERE d.status = 'won'), "
        "coalesce(sum(d.amount_cents) FILTER (WHERE d.status = 'lost'), 0) "
        f"FROM deals d WHERE {CLOSED_IN_PERIOD}{scope}",
        {**period.day_bounds(), **params}).fetchone()
    return {"won": int(row[0]), "lost": int(row[1]), "won_cents": int(row[2]),
            "won_with_amount": int(row[3]), "lost_cents": int(row[4])}


def _cycles(conn: Connection, period: Period, book: BookFilter) -> tuple[list[float], int, int]:
    """(sorted cycle days of won deals closed in the period, deals without both dates,
    deals that close before they were created)."""
    scope, params = book.scope("d.account_id")
    rows = conn.execute(
        f"SELECT {CYCLE_DAYS} FROM deals d WHERE d.status = 'won' "
        f"AND d.close_on >= :start AND d.close_on < :end{scope}",
        {**period.day_bounds(), **params}).fetchall()
    days = [float(row[0]) for row in rows if row[0] is not None]
    undated = len(rows) - len(days)
    usable = sorted(day for day in days if day >= 0)
    return usable, undated, len(days) - len(usable)


def _open(conn: Connection, period: Period, book: BookFilter) -> tuple[int, int, int]:
    scope, params = book.scope("d.account_id")
    row = conn.execute(
        "SELECT count(*), coalesce(sum(d.amount_cents), 0), count(d.amount_cents) "
        f"FROM deals d WHERE {OPEN_AT_END}{scope}", {**period.day_bounds(), **params}).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def _created(conn: Connection, period: Period, book: BookFilter) -> tuple[int, int]:
    scope, params = book.scope("d.account_id")
    row = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE d.status = 'won') FROM deals d "
        f"WHERE d.created_on >= :start AND d.created_on < :end{scope}",
        {**period.day_bounds(), **params}).fetchone()
    return int(row[0]), int(row[1])


def deal_kpis(conn: Connection, period: Period, book: BookFilter) -> list[KpiValue]:
    """Every deal KPI for one period and filter; all "no data" when the book has no deals."""
    known = _has_deals(conn, book)
    closed = _closed(conn, period, book)
    won, lost = closed["won"], closed["lost"]
    cycles, undated, inverted = _cycles(conn, period, book)
    open_count, open_cents, open_priced = _open(conn, period, book)
    created, created_won = _created(conn, period, book)
    return [
        KpiValue("win_rate", ratio(won, won + lost, 100), Unit.PERCENT,
                 {"won": won, "lost": lost},
                 "deals won ÷ deals won or lost, by close date in the period"),
        KpiValue("won_value", float(closed["won_cents"]) if known else None, Unit.CENTS,
                 {"won": won, "won_with_amount": closed["won_with_amount"],
                  "lost_cents": closed["lost_cents"]},
                 "bookings: amounts of the deals won in the period (blank amounts left out)"),
        KpiValue("average_deal_size",
                 ratio(closed["won_cents"], closed["won_with_amount"]), Unit.CENTS,
                 {"won_cents": closed["won_cents"],
                  "won_with_amount": closed["won_with_amount"]},
                 "won value ÷ won deals that have an amount"),
        KpiValue("sales_cycle_median", median(cycles), Unit.DAYS,
                 {"won_deals": len(cycles), "without_dates": undated,
                  "closed_before_created": inverted,
                  "mean_days": sum(cycles) / len(cycles) if cycles else None},
                 "median days from created to close of the deals won in the period; deals "
                 "closing before they were created (a bulk-load date) are left out"),
        KpiValue("open_pipeline", float(open_cents) if known else None, Unit.CENTS,
                 {"open_deals": open_count, "with_amount": open_priced},
                 "amounts of the deals open at the period's end"),
        KpiValue("open_deals", float(open_count) if known else None, Unit.COUNT,
                 {"open_cents": open_cents}, "deals open at the period's end"),
        KpiValue("deal_conversion_rate", ratio(created_won, created, 100), Unit.PERCENT,
                 {"created": created, "won": created_won},
                 "a cohort: deals created in the period that have been won since, at any date"),
    ]
