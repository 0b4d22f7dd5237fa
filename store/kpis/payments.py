"""Billing and purchase KPIs from payments: collected revenue, refunds, failed payments,
average order value, repeat purchases and the purchase form of CLTV.

A payment counts on its `attempted_at`. A purchase is one invoice or order (`invoice_id`, or
the payment itself when it has none): the lines of one order are one purchase.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from store.database import Connection
from store.kpis import revenue
from store.kpis.filters import BookFilter
from store.kpis.periods import Period, add_months
from store.kpis.results import KpiValue, Unit, ratio

COLLECTED = "p.status IN ('paid', 'refunded') AND p.amount_cents > 0"
"""A payment that brought money in (a refund later does not undo that it was collected)."""
ATTEMPT = "p.status IN ('paid', 'refunded', 'failed') AND p.amount_cents > 0"
"""A payment that was tried: collected or failed (pending ones are not yet either)."""
PURCHASE = "coalesce(p.invoice_id, p.id)"
"""What makes one purchase: its invoice or order, else the payment itself."""
REFUNDED = ("CASE WHEN p.amount_cents < 0 THEN -p.amount_cents "
            "ELSE coalesce(p.refunded_cents, 0) END")
"""Money given back by one row: a negative row's amount, or a payment's refunded part."""
UNRECOVERED = ("p.status = 'failed' AND NOT EXISTS (SELECT 1 FROM payments r "
               "WHERE r.account_id = p.account_id AND r.status IN ('paid', 'refunded') "
               "AND r.amount_cents > 0 AND r.attempted_at > p.attempted_at "
               "AND r.attempted_at < :end)")
"""A failed payment with no collected payment from the same account after it, by :end."""
LIFETIME_MONTHS = 12
"""Frequency is taken over, and a customer has stopped after, this many months."""


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _has_payments(conn: Connection, book: BookFilter) -> bool:
    scope, params = book.scope("p.account_id")
    return bool(conn.execute(f"SELECT EXISTS (SELECT 1 FROM payments p WHERE 1{scope})",
                             params).fetchone()[0])


def _window(conn: Connection, start: str, end: str, book: BookFilter) -> dict[str, Any]:
    """Sums over payments attempted in [start, end)."""
    scope, params = book.scope("p.account_id")
    row = conn.execute(
        f"SELECT coalesce(sum(p.amount_cents) FILTER (WHERE {COLLECTED}), 0), "
        f"count(DISTINCT {PURCHASE}) FILTER (WHERE {COLLECTED}), "
        f"count(DISTINCT p.account_id) FILTER (WHERE {COLLECTED}), "
        f"coalesce(sum({REFUNDED}), 0), "
        f"count(*) FILTER (WHERE {REFUNDED} > 0), "
        f"count(*) FILTER (WHERE {ATTEMPT}), "
        "count(*) FILTER (WHERE p.status = 'failed' AND p.amount_cents > 0) "
        f"FROM payments p WHERE p.attempted_at >= :start AND p.attempted_at < :end{scope}",
        {"start": start, "end": end, **params}).fetchone()
    return {"collected_cents": int(row[0]), "purchases": int(row[1]), "customers": int(row[2]),
            "refunded_cents": int(row[3]), "refunds": int(row[4]), "attempts": int(row[5]),
            "failed": int(row[6])}


def _unrecovered(conn: Connection, period: Period, book: BookFilter) -> tuple[int, int]:
    """(accounts with a failed payment in the period not followed by a collected one by the
    period's end, their failed payments)."""
    scope, params = book.scope("p.account_id")
    row = conn.execute(
        "SELECT count(DISTINCT p.account_id), count(*) FROM payments p "
        f"WHERE p.attempted_at >= :start AND p.attempted_at < :end AND {UNRECOVERED}{scope}",
        {**period.instant_bounds(), **params}).fetchone()
    return int(row[0]), int(row[1])


def _repeat(conn: Connection, period: Period, book: BookFilter) -> tuple[int, int]:
    """(customers with a purchase in the period, those of them with two or more purchases
    up to the period's end)."""
    scope, params = book.scope("p.account_id")
    row = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE n >= 2) FROM ("
        f"  SELECT p.account_id, count(DISTINCT {PURCHASE}) AS n FROM payments p "
        f"  WHERE {COLLECTED} AND p.attempted_at < :end{scope} GROUP BY p.account_id "
        "  HAVING max(p.attempted_at) >= :start)",
        {**period.instant_bounds(), **params}).fetchone()
    return int(row[0]), int(row[1])


def _stopped(conn: Connection, since: str, end: str, book: BookFilter) -> tuple[int, float]:
    """(customers whose last purchase before `end` came before `since`, the mean months
    between their first and last purchase)."""
    scope, params = book.scope("p.account_id")
    row = conn.execute(
        "SELECT count(*), avg(julianday(last) - julianday(first)) FROM ("
        "  SELECT min(p.attempted_at) AS first, max(p.attempted_at) AS last FROM payments p "
        f"  WHERE {COLLECTED} AND p.attempted_at < :end{scope} GROUP BY p.account_id "
        "  HAVING max(p.attempted_at) < :since)",
        {"since": since, "end": end, **params}).fetchone()
    return int(row[0]), float(row[1] or 0.0) / (365.25 / 12)


def purchase_cltv(conn: Connection, period: Period, book: BookFilter,
                  margin: float) -> KpiValue:
    """Average purchase value × purchases per customer per year × average lifespan in years.

    Value and frequency are read over the 12 months ending with the period. The lifespan is
    the mean time between first and last purchase of the customers who stopped buying (none
    in those 12 months); when none stopped, 1 ÷ the average monthly logo churn the
    subscription CLTV uses; when there is no churn either, no data.
    """
    end = period.end
    since = add_months(end, -LIFETIME_MONTHS)
    window = _window(conn, _stamp(since), _stamp(end), book)
    value = ratio(window["collected_cents"], window["purchases"])
    frequency = ratio(window["purchases"], window["customers"])
    stopped, months = _stopped(conn, _stamp(since), _stamp(end), book)
    inputs: dict[str, Any] = {
        "average_purchase_value_cents": value, "purchases_per_customer_per_year": frequency,
        "purchases": window["purchases"], "customers": window["customers"],
        "collected_cents": window["collected_cents"], "customers_who_stopped": stopped}
    if stopped:
        form = (f"purchase form: average purchase value × purchases per customer per year "
                f"(last {LIFETIME_MONTHS} months) × lifespan = mean time from first to last "
                f"purchase of the {stopped} customers who stopped buying")
    else:
        churn = revenue.cltv(conn, period, book, margin).inputs["average_monthly_churn_percent"]
        months = 100 / churn if churn else 0.0
        inputs["average_monthly_churn_percent"] = churn
        form = ("purchase form: average purchase value × purchases per customer per year × "
                "lifespan = 1 ÷ average monthly logo churn (no customer stopped buying)")
    inputs["lifespan_months"] = months if months else None
    result = value * frequency * months / 12 if value and frequency and months else None
    return KpiValue("purchase_cltv", result, Unit.CENTS, inputs, form)


def payment_kpis(conn: Connection, period: Period, book: BookFilter,
                 margin: float) -> list[KpiValue]:
    """Every payment KPI for one period and filter; "no data" when the book has no payments."""
    known = _has_payments(conn, book)
    bounds = period.instant_bounds()
    sums = _window(conn, bounds["start"], bounds["end"], book)
    collected = sums["collected_cents"]
    unrecovered, unrecovered_failures = _unrecovered(conn, period, book)
    customers, repeating = _repeat(conn, period, book)
    return [
        KpiValue("collected_revenue", float(collected) if known else None, Unit.CENTS,
                 {"purchases": sums["purchases"], "customers": sums["customers"],
                  "refunded_cents": sums["refunded_cents"],
                  "net_cents": collected - sums["refunded_cents"]},
                 "payments collected in the period, before refunds (net_cents after them)"),
        KpiValue("refunds", float(sums["refunded_cents"]) if known else None, Unit.CENTS,
                 {"refunds": sums["refunds"]},
                 "money given back in the period: refund rows, and refunded parts of payments "
                 "(counted on the payment's date)"),
        KpiValue("failed_payment_rate", ratio(sums["failed"], sums["attempts"], 100),
                 Unit.PERCENT, {"failed": sums["failed"], "attempts": sums["attempts"]},
                 "failed attempts ÷ attempts (collected or failed; pending left out)"),
        KpiValue("unrecovered_failed_payments", float(unrecovered) if known else None,
                 Unit.COUNT, {"failed_payments": unrecovered_failures},
                 "customers with a failed payment in the period and no payment collected "
                 "after it by the period's end"),
        purchase_cltv(conn, period, book, margin),
        KpiValue("average_order_value", ratio(collected, sums["purchases"]), Unit.CENTS,
                 {"collected_cents": collected, "purchases": sums["purchases"]},
                 "collected revenue ÷ purchases (orders or invoices) in the period"),
        KpiValue("repeat_purchase_rate", ratio(repeating, customers, 100), Unit.PERCENT,
                 {"customers": customers, "repeat_customers": repeating},
                 "customers buying in the period with two or more purchases to date ÷ "
                 "customers buying in the period"),
    ]
