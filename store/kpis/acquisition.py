"""Acquisition KPIs from the acquisition rows and spend: CAC, leads, trials, demos, conversion."""

from __future__ import annotations

from store.database import Connection
from store.kpis.filters import BookFilter
from store.kpis.periods import Period
from store.kpis.results import KpiValue, Unit, ratio
from store.kpis.revenue import new_customers

_DATE_COLUMNS = {"lead_on", "trial_on", "demo_on"}
"""The acquisition dates a cohort or a count can be taken on (never user input in the SQL)."""




def _check_column(column: str) -> None:
    """Refuse any column name but the known acquisition dates (they go into the SQL text)."""
    if column not in _DATE_COLUMNS:
        raise ValueError(f"not an acquisition date column: {column!r}")


def cac(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Customer acquisition cost = acquisition spend in the period / new customers won in it.

    New customers are accounts whose first paying month is in the period (as in revenue).
    Whole book: the spend is `acquisition_spend.amount_cents` with `spent_on` in [start, end).
    With a filter, channel spend cannot be attributed to a segment, owner or tag: the spend is
    the per-account `acquisition.spend_cents` of the filtered customers won in the period, and
    the cost is averaged over those of them that have it recorded. No spend recorded (no spend
    row in the period, or no attributed spend) or no new customer → no data.
    """
    customers = new_customers(conn, period, book)
    months = period.months
    if book.is_whole_book:
        row = conn.execute(
            "SELECT count(*), coalesce(sum(amount_cents), 0) FROM acquisition_spend "
            "WHERE spent_on >= :start AND spent_on < :end",
            period.day_bounds(),
        ).fetchone()
        spend_rows, spend = int(row[0]), int(row[1])
        value = ratio(spend, customers) if spend_rows else None
        return KpiValue("cac", value, Unit.CENTS,
                        {"spend_cents": spend, "spend_rows": spend_rows,
                         "new_customers": customers},
                        "acquisition_spend in the period ÷ new paying customers")
    scope, params = book.scope("am.account_id")
    row = conn.execute(
        "SELECT count(*), coalesce(sum(q.spend), 0) FROM account_months am "
        "JOIN (SELECT account_id, sum(spend_cents) AS spend FROM acquisition "
        "      WHERE spend_cents IS NOT NULL GROUP BY account_id) q "
        "  ON q.account_id = am.account_id "
        f"WHERE am.movement = 'new' AND am.month BETWEEN :first AND :last{scope}",
        {"first": months[0], "last": months[-1], **params},
    ).fetchone()
    with_spend, spend = int(row[0]), int(row[1])
    return KpiValue(
        "cac", ratio(spend, with_spend), Unit.CENTS,
        {"spend_cents": spend, "new_customers": customers,
         "new_customers_with_spend": with_spend},
        "filtered: acquisition.spend_cents of the new customers ÷ those with spend recorded "
        "(channel spend cannot be attributed to a filter)",
    )


def _dated_count(conn: Connection, period: Period, book: BookFilter, column: str,
                 name: str, note: str) -> KpiValue:
    """Accounts with acquisition `column` in [start, end), each once.

    No data when the (filtered) book records no such date at all; 0 when it does but none
    fell in the period.
    """
    _check_column(column)
    scope, params = book.scope("q.account_id")
    row = conn.execute(
        f"SELECT count(DISTINCT CASE WHEN q.{column} >= :start AND q.{column} < :end "
        f"THEN q.account_id END), count(*) FROM acquisition q "
        f"WHERE q.{column} IS NOT NULL{scope}",
        {**period.day_bounds(), **params},
    ).fetchone()
    counted, recorded = int(row[0]), int(row[1])
    return KpiValue(name, float(counted) if recorded else None, Unit.COUNT,
                    {"accounts": counted, "dates_recorded": recorded}, note)


def new_leads(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Lead generation: accounts whose `lead_on` is in the period, as a count per period.

    The book holds no visitor counts, so the "new leads / visitors" rate cannot be computed.
    """
    return _dated_count(conn, period, book, "lead_on", "new_leads",
                        "leads per period (a count: no visitor numbers to divide by)")


def trial_signups(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Free-trial sign-ups: accounts whose `trial_on` is in the period."""
    return _dated_count(conn, period, book, "trial_on", "trial_signups", "")


def demo_requests(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Demo requests: accounts whose `demo_on` is in the period."""
    return _dated_count(conn, period, book, "demo_on", "demo_requests", "")


_WHAT = {"lead_on": "leads", "trial_on": "trials"}


def _cohort_conversion(conn: Connection, period: Period, book: BookFilter, column: str,
                       name: str) -> KpiValue:
    """Of the accounts with `column` in [start, end), those with `converted_on` set × 100."""
    _check_column(column)
    scope, params = book.scope("q.account_id")
    row = conn.execute(
        "SELECT count(DISTINCT q.account_id), "
        "count(DISTINCT CASE WHEN q.converted_on IS NOT NULL THEN q.account_id END) "
        "FROM acquisition q "
        f"WHERE q.{column} >= :start AND q.{column} < :end{scope}",
        {**period.day_bounds(), **params},
    ).fetchone()
    cohort, converted = int(row[0]), int(row[1])
    return KpiValue(
        name, ratio(converted, cohort, 100), Unit.PERCENT,
        {"cohort": cohort, "converted": converted},
        f"a cohort: the period's {_WHAT[column]} that have converted since, at any date; "
        "recent cohorts have had less time to convert, so their rate is still rising",
    )


def lead_conversion_rate(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Leads of the period (`lead_on` in [start, end)) that have converted / those leads × 100.

    A cohort rate: a lead counts as converted whenever its `converted_on` is set, even after
    the period. No leads in the period → no data.
    """
    return _cohort_conversion(conn, period, book, "lead_on", "lead_conversion_rate")


def trial_to_paid_rate(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Trials started in the period (`trial_on` in [start, end)) that have converted / those
    trials × 100, as a cohort (conversion at any time counts). No trials → no data."""
    return _cohort_conversion(conn, period, book, "trial_on", "trial_to_paid_rate")


def acquisition_kpis(conn: Connection, period: Period, book: BookFilter) -> list[KpiValue]:
    """Every KPI of this module for one period and filter, in a stable order."""
    return [
        new_leads(conn, period, book),
        trial_signups(conn, period, book),
        demo_requests(conn, period, book),
        lead_conversion_rate(conn, period, book),
        trial_to_paid_rate(conn, period, book),
        cac(conn, period, book),
    ]
