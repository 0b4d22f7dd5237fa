"""Assemble KPIs: the whole dashboard for one period, or one KPI's monthly trend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from store.database import Connection
from store.errors import InvalidInput
from store.kpis import acquisition, deals, engagement, payments, revenue
from store.kpis.catalog import BY_NAME, CATALOG, GROUPS, KpiDefinition
from store.kpis.filters import BookFilter
from store.kpis.periods import Period, trailing_months
from store.kpis.results import KpiValue

DEFAULT_GROSS_MARGIN = 0.8
"""Used by CLTV unless the book's `kpi.gross_margin` setting says otherwise."""

Computer = Callable[[Connection, Period, BookFilter, float], list[KpiValue]]
SeriesComputer = Callable[[Connection, list[Period], BookFilter, float], list[KpiValue]]


@dataclass(frozen=True)
class KpiFamily:
    """KPIs computed together (they share their queries), and the names they produce."""

    names: tuple[str, ...]
    compute: Computer
    series: SeriesComputer | None = None
    """A faster way to compute many months at once, for trends (optional)."""


def _one(function: Callable[[Connection, Period, BookFilter], KpiValue]) -> Computer:
    return lambda conn, period, book, margin: [function(conn, period, book)]


def _many(function: Callable[[Connection, Period, BookFilter], list[KpiValue]]) -> Computer:
    return lambda conn, period, book, margin: function(conn, period, book)


FAMILIES: tuple[KpiFamily, ...] = (
    KpiFamily(("new_leads",), _one(acquisition.new_leads)),
    KpiFamily(("trial_signups",), _one(acquisition.trial_signups)),
    KpiFamily(("demo_requests",), _one(acquisition.demo_requests)),
    KpiFamily(("lead_conversion_rate",), _one(acquisition.lead_conversion_rate)),
    KpiFamily(("trial_to_paid_rate",), _one(acquisition.trial_to_paid_rate)),
    KpiFamily(("cac",), _one(acquisition.cac)),
    KpiFamily(("ttfv_median", "ttfv_p90"), _many(engagement.time_to_first_value)),
    KpiFamily(("feature_usage",), _one(engagement.feature_usage)),
    KpiFamily(("stickiness",), _one(engagement.stickiness)),
    KpiFamily(("csat",), _one(engagement.csat)),
    KpiFamily(("logo_churn_rate",), _one(revenue.logo_churn_rate)),
    KpiFamily(("revenue_churn_rate",), _one(revenue.revenue_churn_rate)),
    KpiFamily(("grr", "nrr"), _many(revenue.retention_rates)),
    KpiFamily(("cltv",), lambda conn, period, book, margin: [
        revenue.cltv(conn, period, book, margin)], revenue.cltv_series),
    KpiFamily(("nps",), _one(engagement.nps)),
    KpiFamily(("upgrade_rate",), _one(revenue.upgrade_rate)),
    KpiFamily(("cli",), _one(engagement.cli)),
    KpiFamily(("referrals",), _one(engagement.referrals)),
    KpiFamily(("mrr", "mrr_new", "mrr_expansion", "mrr_reactivation", "mrr_contraction",
               "mrr_churned", "arpu"), _many(revenue.mrr_kpis)),
    KpiFamily(("win_rate", "won_value", "average_deal_size", "sales_cycle_median",
               "open_pipeline", "open_deals", "deal_conversion_rate"), _many(deals.deal_kpis)),
    KpiFamily(("collected_revenue", "refunds", "failed_payment_rate",
               "unrecovered_failed_payments", "purchase_cltv", "average_order_value",
               "repeat_purchase_rate"), payments.payment_kpis),
)
"""Together they cover the catalog; a trend computes only the family of the KPI asked for."""


def family_of(name: str) -> KpiFamily:
    """The family that computes KPI `name`, or InvalidInput listing the known KPIs."""
    for family in FAMILIES:
        if name in family.names:
            return family
    raise InvalidInput(f"unknown KPI {name!r}; known: {', '.join(BY_NAME)}")


@dataclass(frozen=True)
class DashboardSection:
    """The KPIs of one lifecycle stage."""

    group: str
    items: list[tuple[KpiDefinition, KpiValue]]


def compute_all(conn: Connection, period: Period, book: BookFilter,
                margin: float = DEFAULT_GROSS_MARGIN) -> dict[str, KpiValue]:
    """Every KPI for the period and filter, by name (missing data is a None value)."""
    scoped = book.materialize(conn)
    return {
        value.name: value
        for family in FAMILIES
        for value in family.compute(conn, period, scoped, margin)
    }


def sections(values: dict[str, KpiValue]) -> list[DashboardSection]:
    """The computed values grouped by lifecycle stage, in catalog order."""
    grouped = []
    for group in GROUPS:
        items = [(definition, values[definition.name]) for definition in CATALOG
                 if definition.group == group and definition.name in values]
        if items:
            grouped.append(DashboardSection(group, items))
    return grouped


def trend(conn: Connection, name: str, last: Period, months: int, book: BookFilter,
          margin: float = DEFAULT_GROSS_MARGIN) -> list[tuple[Period, KpiValue]]:
    """One KPI month by month: `months` one-month periods ending with `last`'s last month."""
    family = family_of(name)
    book = book.materialize(conn)
    periods = trailing_months(last, months)
    if family.series is not None:
        return list(zip(periods, family.series(conn, periods, book, margin), strict=True))
    series = []
    for one in periods:
        found = {value.name: value for value in family.compute(conn, one, book, margin)}
        series.append((one, found[name]))
    return series
