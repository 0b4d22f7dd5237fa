"""The accounts behind a KPI: the detractors of an NPS, the churned accounts of a logo churn,
the accounts that expanded or started paying.

Each query repeats the conditions of the KPI it explains (same table, same period bounds, same
filter scope), so the rows it returns are exactly the ones the KPI counted: as many rows as the
KPI's count, and for MRR movements figures that add up to the KPI's amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store.database import Connection
from store.kpis.filters import BookFilter
from store.kpis.periods import Period
from store.kpis.results import Unit
from store.kpis.revenue import MOVEMENTS
from store.kpis.sales_drilldown import deal_rows, payment_rows
from store.nps import NpsGroup

NPS_BANDS = {f"{group}s": group.condition("sa.score") for group in
             (NpsGroup.DETRACTOR, NpsGroup.PASSIVE, NpsGroup.PROMOTER)}
"""The score condition of each NPS band, as `engagement.nps` counts them."""


@dataclass(frozen=True, slots=True)
class DrillRow:
    """One account behind a KPI, with the figure that put it there."""

    account_id: str
    account_name: str
    figure: float
    """The score, or the MRR amount in cents, this row contributed."""
    detail: str
    """When or how: the answer's timestamp, the month of the movement."""


@dataclass(frozen=True, slots=True)
class DrillView:
    """One list of accounts behind a KPI, e.g. the detractors of an NPS."""

    key: str
    title: str
    figure_label: str
    figure_unit: Unit


DRILL_VIEWS: dict[str, tuple[DrillView, ...]] = {
    "nps": (
        DrillView("detractors", "Detractors (0-6)", "Score", Unit.COUNT),
        DrillView("passives", "Passives (7-8)", "Score", Unit.COUNT),
        DrillView("promoters", "Promoters (9-10)", "Score", Unit.COUNT),
    ),
    "logo_churn_rate": (
        DrillView("lost", "Customers lost", "MRR at start", Unit.CENTS),
    ),
    "upgrade_rate": (
        DrillView("upgraded", "Customers at the start who expanded", "Expansion", Unit.CENTS),
    ),
    "win_rate": (DrillView("won", "Deals won", "Amount", Unit.CENTS),
                 DrillView("lost", "Deals lost", "Amount", Unit.CENTS)),
    "won_value": (DrillView("won", "Deals won", "Amount", Unit.CENTS),),
    "average_deal_size": (DrillView("won", "Deals won", "Amount", Unit.CENTS),),
    "sales_cycle_median": (DrillView("cycle", "Deals won, by days to close", "Days",
                                     Unit.DAYS),),
    "open_pipeline": (DrillView("open", "Deals open at the period's end", "Amount",
                                Unit.CENTS),),
    "open_deals": (DrillView("open", "Deals open at the period's end", "Amount", Unit.CENTS),),
    "failed_payment_rate": (DrillView("failed", "Failed payments", "Amount", Unit.CENTS),),
    "unrecovered_failed_payments": (DrillView("unrecovered", "Failed payments not recovered",
                                              "Amount", Unit.CENTS),),
    "refunds": (DrillView("refunds", "Refunds", "Refunded", Unit.CENTS),),
    "collected_revenue": (DrillView("collected", "Payments collected", "Amount", Unit.CENTS),),
    **{
        f"mrr_{kind}": (DrillView(kind, f"{kind.title()} MRR movements",
                                  "Amount", Unit.CENTS),)
        for kind in MOVEMENTS
    },
}
"""The KPIs that can be drilled into, and the account lists each offers (the first is the
default)."""


_SALES_ROWS = {name: deal_rows for name in ("win_rate", "won_value", "average_deal_size",
                                             "sales_cycle_median", "open_pipeline",
                                             "open_deals")} | {
    name: payment_rows for name in ("failed_payment_rate", "unrecovered_failed_payments",
                                    "refunds", "collected_revenue")}
"""The deal and payment KPIs' lists: one row per deal or payment the KPI counted."""


def views(name: str) -> tuple[DrillView, ...]:
    """The account lists behind KPI `name` (empty when it has none)."""
    return DRILL_VIEWS.get(name, ())


def accounts_behind(
    conn: Connection, name: str, view: str, period: Period, book: BookFilter
) -> list[DrillRow]:
    """The rows behind KPI `name` for one of its views (see `DRILL_VIEWS`)."""
    if name == "nps":
        return nps_answers(conn, view, period, book)
    if name == "logo_churn_rate":
        return lost_customers(conn, period, book)
    if name == "upgrade_rate":
        return upgraded_customers(conn, period, book)
    if name.startswith("mrr_") and name[4:] in MOVEMENTS:
        return movement_accounts(conn, name[4:], period, book)
    if name in _SALES_ROWS and view in {one.key for one in DRILL_VIEWS[name]}:
        return [DrillRow(str(row[0]), str(row[1]), float(row[2]), str(row[3]))
                for row in _SALES_ROWS[name](conn, view, period, book)]
    raise ValueError(f"KPI {name!r} has no account list")


def _rows(conn: Connection, sql: str, params: dict[str, Any]) -> list[DrillRow]:
    return [DrillRow(str(row[0]), str(row[1]), float(row[2]), str(row[3]))
            for row in conn.execute(sql, params).fetchall()]


def nps_answers(conn: Connection, band: str, period: Period, book: BookFilter) -> list[DrillRow]:
    """Every NPS answer of the period in one band (detractors, passives, promoters), lowest
    score first; an account answering twice is listed twice, as the NPS counts it twice."""
    if band not in NPS_BANDS:
        raise ValueError(f"unknown NPS band {band!r}; known: {', '.join(NPS_BANDS)}")
    scope, params = book.scope("sa.account_id")
    return _rows(conn, (
        "SELECT sa.account_id, a.name, sa.score, sa.answered_at FROM survey_answers sa "
        "JOIN accounts a ON a.id = sa.account_id "
        f"WHERE sa.kind = 'nps' AND sa.answered_at >= :start AND sa.answered_at < :end "
        f"AND {NPS_BANDS[band]}{scope} ORDER BY sa.score, sa.answered_at, sa.id"
    ), {**period.instant_bounds(), **params})


def lost_customers(conn: Connection, period: Period, book: BookFilter) -> list[DrillRow]:
    """Customers paying at the period's start and not at its end (logo churn's `lost`), with
    their MRR at the start, largest first."""
    if period.month_count == 1:
        # As `logo_churn_rate` for one month: the month's churn movements.
        scope, params = book.scope("am.account_id")
        return _rows(conn, (
            "SELECT am.account_id, a.name, -am.delta_cents, am.month FROM account_months am "
            "JOIN accounts a ON a.id = am.account_id "
            f"WHERE am.month = :month AND am.movement = 'churned'{scope} "
            "ORDER BY am.delta_cents, am.account_id"
        ), {"month": period.months[0], **params})
    scope, params = book.scope("s.account_id")
    return _rows(conn, (
        "SELECT s.account_id, a.name, s.mrr_cents, :last FROM account_months s "
        "JOIN accounts a ON a.id = s.account_id "
        "LEFT JOIN account_months e ON e.account_id = s.account_id AND e.month = :last "
        f"WHERE s.month = :opening AND s.mrr_cents > 0 AND coalesce(e.mrr_cents, 0) = 0{scope} "
        "ORDER BY s.mrr_cents DESC, s.account_id"
    ), {"opening": period.opening_month, "last": period.months[-1], **params})


def upgraded_customers(conn: Connection, period: Period, book: BookFilter) -> list[DrillRow]:
    """Customers paying at the period's start who expanded in it (upgrade rate's `upgraded`),
    with their expansion over the period, largest first."""
    scope, params = book.scope("s.account_id")
    months = period.months
    return _rows(conn, (
        "SELECT s.account_id, a.name, sum(u.delta_cents), max(u.month) FROM account_months s "
        "JOIN accounts a ON a.id = s.account_id "
        "JOIN account_months u ON u.account_id = s.account_id "
        "AND u.month BETWEEN :first AND :last AND u.movement = 'expansion' "
        f"WHERE s.month = :opening AND s.mrr_cents > 0{scope} "
        "GROUP BY s.account_id ORDER BY 3 DESC, s.account_id"
    ), {"opening": period.opening_month, "first": months[0], "last": months[-1], **params})


def movement_accounts(
    conn: Connection, kind: str, period: Period, book: BookFilter
) -> list[DrillRow]:
    """The period's MRR movements of one kind, one row per account and month (as the movement
    KPIs count them), largest amount first; the amounts add up to the KPI."""
    if kind not in MOVEMENTS:
        raise ValueError(f"unknown movement {kind!r}; known: {', '.join(MOVEMENTS)}")
    scope, params = book.scope("am.account_id")
    months = period.months
    return _rows(conn, (
        "SELECT am.account_id, a.name, abs(am.delta_cents), am.month FROM account_months am "
        "JOIN accounts a ON a.id = am.account_id "
        f"WHERE am.month BETWEEN :first AND :last AND am.movement = :kind{scope} "
        "ORDER BY abs(am.delta_cents) DESC, am.month, am.account_id"
    ), {"first": months[0], "last": months[-1], "kind": kind, **params})
