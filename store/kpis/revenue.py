"""Revenue KPIs from the derived month table: MRR and its movements, churn, GRR/NRR, ARPU, CLTV.

Every function takes a connection, a period and a filter, and returns KpiValues whose `inputs`
hold the counts and sums they were computed from.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from store.database import Connection
from store.kpis.filters import BookFilter
from store.kpis.periods import Period, add_months, month, month_key
from store.kpis.results import KpiValue, Unit, ratio

MOVEMENTS = ("new", "expansion", "reactivation", "contraction", "churned")
"""MRR movements, the three that add first; contraction and churned are reported positive."""

CLTV_CHURN_MONTHS = 6
"""CLTV divides by the average monthly logo churn of this many complete months."""



def mrr_at(conn: Connection, month: str, book: BookFilter) -> tuple[int, int]:
    """(MRR in cents, paying accounts) at the end of `month`."""
    scope, params = book.scope("am.account_id")
    row = conn.execute(
        "SELECT coalesce(sum(am.mrr_cents), 0), count(*) FROM account_months am "
        f"WHERE am.month = :month AND am.mrr_cents > 0{scope}",
        {"month": month, **params},
    ).fetchone()
    return int(row[0]), int(row[1])


def movements(conn: Connection, period: Period, book: BookFilter) -> dict[str, tuple[int, int]]:
    """Per movement kind: (amount in cents, always positive; number of accounts) in the period."""
    scope, params = book.scope("am.account_id")
    months = period.months
    rows = conn.execute(
        "SELECT am.movement, sum(abs(am.delta_cents)), count(*) FROM account_months am "
        f"WHERE am.month BETWEEN :first AND :last AND am.movement IS NOT NULL{scope} "
        "GROUP BY am.movement",
        {"first": months[0], "last": months[-1], **params},
    ).fetchall()
    found = {kind: (int(amount), int(count)) for kind, amount, count in rows}
    return {kind: found.get(kind, (0, 0)) for kind in MOVEMENTS}


def mrr_kpis(conn: Connection, period: Period, book: BookFilter) -> list[KpiValue]:
    """MRR at the period's end, its movements, and the reconciliation of the two."""
    opening, _ = mrr_at(conn, period.opening_month, book)
    closing, paying = mrr_at(conn, period.months[-1], book)
    moved = movements(conn, period, book)
    amounts = {kind: amount for kind, (amount, _) in moved.items()}
    reconciled = (opening + amounts["new"] + amounts["expansion"] + amounts["reactivation"]
                  - amounts["contraction"] - amounts["churned"])
    inputs = {"opening_mrr_cents": opening, "closing_mrr_cents": closing,
              "paying_accounts": paying, "reconciles": reconciled == closing,
              **{f"{kind}_cents": amount for kind, amount in amounts.items()},
              **{f"{kind}_accounts": count for kind, (_, count) in moved.items()}}
    has_revenue = bool(closing or opening or any(amounts.values()))
    values = [KpiValue("mrr", float(closing) if has_revenue else None, Unit.CENTS, inputs)]
    for kind in MOVEMENTS:
        amount, count = moved[kind]
        values.append(KpiValue(f"mrr_{kind}", float(amount) if has_revenue else None,
                               Unit.CENTS, {"accounts": count}))
    values.append(KpiValue(
        "arpu", ratio(closing, paying), Unit.CENTS,
        {"mrr_cents": closing, "paying_accounts": paying},
    ))
    return values


def _cohort(conn: Connection, period: Period, book: BookFilter) -> tuple[int, int, int, int, int]:
    """For accounts paying at the period's start: (count, lost by the end, start MRR,
    retained MRR capped at the start value, end MRR)."""
    scope, params = book.scope("s.account_id")
    row = conn.execute(
        f"""SELECT count(*),
                   coalesce(sum(coalesce(e.mrr_cents, 0) = 0), 0),
                   coalesce(sum(s.mrr_cents), 0),
                   coalesce(sum(min(s.mrr_cents, coalesce(e.mrr_cents, 0))), 0),
                   coalesce(sum(coalesce(e.mrr_cents, 0)), 0)
            FROM account_months s
            LEFT JOIN account_months e ON e.account_id = s.account_id AND e.month = :last
            WHERE s.month = :opening AND s.mrr_cents > 0{scope}""",
        {"opening": period.opening_month, "last": period.months[-1], **params},
    ).fetchone()
    return tuple(int(value) for value in row)  # type: ignore[return-value]


def logo_churn_rate(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Customers at the start who are not paying at the end / customers at the start × 100.

    Customers who arrive and leave inside the period are not counted; one who leaves and comes
    back inside the period is not lost. Over several months the monthly average is given too.
    For one month this is the month's churn movements over the opening paying count: every
    customer lost in a month has exactly one churn movement in it.
    """
    if period.month_count == 1:
        _, customers = mrr_at(conn, period.opening_month, book)
        lost = movements(conn, period, book)["churned"][1]
    else:
        customers, lost, *_ = _cohort(conn, period, book)
    inputs: dict[str, Any] = {"customers_at_start": customers, "lost": lost}
    note = "period figure from its start and end"
    if period.month_count > 1:
        monthly = [logo_churn_rate(conn, one, book).value for one in _months_of(period)]
        known = [value for value in monthly if value is not None]
        inputs["monthly_average"] = sum(known) / len(known) if known else None
        note += "; monthly_average is the mean of the monthly rates"
    return KpiValue("logo_churn_rate", ratio(lost, customers, 100), Unit.PERCENT, inputs, note)


def _months_of(period: Period) -> list[Period]:
    return [month(int(m[:4]), int(m[5:])) for m in period.months]


def revenue_churn_rate(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """MRR lost to churn and contraction in the period / MRR at its start × 100.

    For one month: the month's churned and contraction movements over the opening MRR. Over
    several months, as for logo churn, a period figure from its start and end: the MRR the
    customers paying at the start no longer bring at the end (each capped at its start, so a
    later expansion does not hide a loss), over their start MRR; that is 100 − GRR. Customers
    who arrive inside the period are not in it (they were not in the starting MRR); the
    monthly average is given beside it.
    """
    if period.month_count == 1:
        opening, _ = mrr_at(conn, period.opening_month, book)
        moved = movements(conn, period, book)
        inputs: dict[str, Any] = {"opening_mrr_cents": opening,
                                  "churned_cents": moved["churned"][0],
                                  "contraction_cents": moved["contraction"][0]}
        return KpiValue("revenue_churn_rate",
                        ratio(moved["churned"][0] + moved["contraction"][0], opening, 100),
                        Unit.PERCENT, inputs)
    _, _, opening, retained, _ = _cohort(conn, period, book)
    monthly = [revenue_churn_rate(conn, one, book).value for one in _months_of(period)]
    known = [value for value in monthly if value is not None]
    inputs = {"opening_mrr_cents": opening, "lost_cents": opening - retained,
              "monthly_average": sum(known) / len(known) if known else None}
    return KpiValue("revenue_churn_rate", ratio(opening - retained, opening, 100), Unit.PERCENT,
                    inputs, "period figure from its start and end (100 − GRR); "
                    "monthly_average is the mean of the monthly rates")


def retention_rates(conn: Connection, period: Period, book: BookFilter) -> list[KpiValue]:
    """GRR and NRR for the cohort of customers paying at the period's start.

    GRR caps each account's end MRR at its start MRR; NRR does not. For one month they are
    exactly (start − contraction − churned) / start and (start + expansion − contraction −
    churned) / start: only customers paying at the start can expand, contract or churn.
    """
    if period.month_count == 1:
        start, customers = mrr_at(conn, period.opening_month, book)
        moved = movements(conn, period, book)
        lost = moved["contraction"][0] + moved["churned"][0]
        capped, end = start - lost, start - lost + moved["expansion"][0]
    else:
        customers, _, start, capped, end = _cohort(conn, period, book)
    inputs = {"cohort_accounts": customers, "cohort_start_mrr_cents": start,
              "cohort_retained_mrr_cents": capped, "cohort_end_mrr_cents": end}
    return [
        KpiValue("grr", ratio(capped, start, 100), Unit.PERCENT, inputs,
                 "each account's MRR at the end, capped at its start MRR"),
        KpiValue("nrr", ratio(end, start, 100), Unit.PERCENT, inputs,
                 "expansion counts, new customers do not"),
    ]


def upgrade_rate(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Accounts paying at the start that expanded in the period / those accounts × 100."""
    if period.month_count == 1:
        _, paying = mrr_at(conn, period.opening_month, book)
        upgraded = movements(conn, period, book)["expansion"][1]
    else:
        scope, params = book.scope("s.account_id")
        months = period.months
        row = conn.execute(
            f"""SELECT count(*), coalesce(sum(EXISTS (
                    SELECT 1 FROM account_months u WHERE u.account_id = s.account_id
                      AND u.month BETWEEN :first AND :last AND u.movement = 'expansion')), 0)
                FROM account_months s WHERE s.month = :opening AND s.mrr_cents > 0{scope}""",
            {"opening": period.opening_month, "first": months[0], "last": months[-1],
             **params},
        ).fetchone()
        paying, upgraded = int(row[0]), int(row[1])
    return KpiValue("upgrade_rate", ratio(upgraded, paying, 100), Unit.PERCENT,
                    {"paying_at_start": paying, "upgraded": upgraded})


def monthly_churn(
    conn: Connection, first: str, last: str, book: BookFilter
) -> dict[str, tuple[int, int]]:
    """For each month from `first` to `last`: (customers paying at its start, customers lost in
    it). Two grouped queries for the whole range, whatever its length."""
    scope, params = book.scope("am.account_id")
    opening_first = month_key(add_months(_first_day(first), -1))
    paying = dict(conn.execute(
        "SELECT am.month, count(*) FROM account_months am WHERE am.month BETWEEN :a AND :b "
        f"AND am.mrr_cents > 0{scope} GROUP BY am.month",
        {"a": opening_first, "b": last, **params},
    ).fetchall())
    lost = dict(conn.execute(
        "SELECT am.month, count(*) FROM account_months am WHERE am.month BETWEEN :a AND :b "
        f"AND am.movement = 'churned'{scope} GROUP BY am.month",
        {"a": first, "b": last, **params},
    ).fetchall())
    series, cursor = {}, _first_day(first)
    while (month := month_key(cursor)) <= last:
        opening = month_key(add_months(cursor, -1))
        series[month] = (int(paying.get(opening, 0)), int(lost.get(month, 0)))
        cursor = add_months(cursor, 1)
    return series


def _first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def cltv(conn: Connection, period: Period, book: BookFilter, gross_margin: float) -> KpiValue:
    """ARPU × gross margin / average monthly logo churn of the six months ending with the
    period's last month.

    The subscription form of CLTV; "no data" when those months had no churn at all (a
    lifetime cannot be estimated from none).
    """
    return cltv_series(conn, [period], book, gross_margin)[0]


def cltv_series(
    conn: Connection, periods: list[Period], book: BookFilter, gross_margin: float
) -> list[KpiValue]:
    """CLTV for several periods with one pass over the months they need (for trends)."""
    last_months = [period.months[-1] for period in periods]
    first = month_key(add_months(_first_day(min(last_months)), -(CLTV_CHURN_MONTHS - 1)))
    churn = monthly_churn(conn, first, max(last_months), book)
    values = []
    for last in last_months:
        closing, paying = mrr_at(conn, last, book)
        arpu = ratio(closing, paying)
        window = [add_months(_first_day(last), -back) for back in range(CLTV_CHURN_MONTHS)]
        rates = [ratio(churn[month_key(day)][1], churn[month_key(day)][0], 100)
                 for day in window]
        known = [rate for rate in rates if rate is not None]
        average = sum(known) / len(known) if known else 0.0
        inputs = {"arpu_cents": arpu, "gross_margin": gross_margin,
                  "average_monthly_churn_percent": average if known else None,
                  "churn_months": CLTV_CHURN_MONTHS,
                  "customer_value_x_lifespan_cents":
                      ratio(arpu or 0, average / 100) if average else None}
        value = arpu * gross_margin / (average / 100) if arpu is not None and average else None
        values.append(KpiValue(
            "cltv", value, Unit.CENTS, inputs,
            "subscription form: ARPU × gross margin ÷ monthly logo churn; "
            "customer_value_x_lifespan_cents is the margin-free form"))
    return values


def new_customers(conn: Connection, period: Period, book: BookFilter) -> int:
    """Accounts whose first paying month falls in the period."""
    return movements(conn, period, book)["new"][1]
