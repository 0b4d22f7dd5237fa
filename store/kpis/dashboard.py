"""Assemble KPIs: the whole dashboard for one period, or one KPI's monthly trend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from store.database import Connection
from store.errors import InvalidInput
from store.kpis import revenue
from store.kpis.catalog import BY_NAME, CATALOG, GROUPS, KpiDefinition
from store.kpis.filters import BookFilter
from store.kpis.periods import Period, trailing_months
from store.kpis.results import KpiValue

DEFAULT_GROSS_MARGIN = 0.8
"""Used by CLTV unless the book's `kpi.gross_margin` setting says otherwise."""

Computer = Callable[[Connection, Period, BookFilter, float], list[KpiValue]]


def _revenue(conn: Connection, period: Period, book: BookFilter, margin: float) -> list[KpiValue]:
    return [
        *revenue.mrr_kpis(conn, period, book),
        *revenue.retention_rates(conn, period, book),
        revenue.logo_churn_rate(conn, period, book),
        revenue.revenue_churn_rate(conn, period, book),
        revenue.upgrade_rate(conn, period, book),
    ]


def _cltv(conn: Connection, period: Period, book: BookFilter, margin: float) -> list[KpiValue]:
    return [revenue.cltv(conn, period, book, margin)]


@dataclass(frozen=True)
class KpiFamily:
    """KPIs computed together (they share their queries), and the names they produce."""

    names: tuple[str, ...]
    compute: Computer


FAMILIES: tuple[KpiFamily, ...] = (
    KpiFamily(("mrr", "mrr_new", "mrr_expansion", "mrr_reactivation", "mrr_contraction",
               "mrr_churned", "arpu", "grr", "nrr", "logo_churn_rate", "revenue_churn_rate",
               "upgrade_rate"), _revenue),
    KpiFamily(("cltv",), _cltv),
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
    return {
        value.name: value
        for family in FAMILIES
        for value in family.compute(conn, period, book, margin)
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
    series = []
    for one in trailing_months(last, months):
        found = {value.name: value for value in family.compute(conn, one, book, margin)}
        series.append((one, found[name]))
    return series
