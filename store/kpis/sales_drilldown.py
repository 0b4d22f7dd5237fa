"""The deals and payments behind the purchase and billing KPIs, with the KPIs' own conditions."""

from __future__ import annotations

from typing import Any

from store.database import Connection
from store.kpis.deals import CLOSED_IN_PERIOD, CYCLE_DAYS, OPEN_AT_END
from store.kpis.filters import BookFilter
from store.kpis.payments import ATTEMPT, COLLECTED, REFUNDED, UNRECOVERED
from store.kpis.periods import Period

_DEAL_ROWS = {
    "won": (f"{CLOSED_IN_PERIOD} AND d.status = 'won'", "coalesce(d.amount_cents, 0)"),
    "lost": (f"{CLOSED_IN_PERIOD} AND d.status = 'lost'", "coalesce(d.amount_cents, 0)"),
    "open": (OPEN_AT_END, "coalesce(d.amount_cents, 0)"),
    "cycle": ("d.status = 'won' AND d.close_on >= :start AND d.close_on < :end "
              f"AND {CYCLE_DAYS} >= 0", CYCLE_DAYS),
}
_PAYMENT_ROWS = {
    "failed": f"{ATTEMPT} AND p.status = 'failed'",
    "unrecovered": UNRECOVERED,
    "refunds": f"{REFUNDED} > 0",
    "collected": COLLECTED,
}


def deal_rows(conn: Connection, view: str, period: Period,
              book: BookFilter) -> list[tuple[Any, ...]]:
    """(account id, account name, amount or days, 'close date · deal name') per deal."""
    condition, figure = _DEAL_ROWS[view]
    scope, params = book.scope("d.account_id")
    return conn.execute(
        f"SELECT d.account_id, a.name, {figure}, "
        "coalesce(d.close_on, 'no close date') || ' · ' || coalesce(d.name, d.id) "
        f"FROM deals d JOIN accounts a ON a.id = d.account_id WHERE {condition}{scope} "
        "ORDER BY 3 DESC, d.close_on, d.id", {**period.day_bounds(), **params}).fetchall()


def payment_rows(conn: Connection, view: str, period: Period,
                 book: BookFilter) -> list[tuple[Any, ...]]:
    """(account id, account name, amount, 'date · status · invoice') per payment."""
    figure = REFUNDED if view == "refunds" else "p.amount_cents"
    scope, params = book.scope("p.account_id")
    return conn.execute(
        f"SELECT p.account_id, a.name, {figure}, substr(p.attempted_at, 1, 10) || ' · ' || "
        "p.status || coalesce(' · ' || p.invoice_id, '') "
        "FROM payments p JOIN accounts a ON a.id = p.account_id "
        f"WHERE p.attempted_at >= :start AND p.attempted_at < :end "
        f"AND {_PAYMENT_ROWS[view]}{scope} ORDER BY 3 DESC, p.attempted_at, p.id",
        {**period.instant_bounds(), **params}).fetchall()
