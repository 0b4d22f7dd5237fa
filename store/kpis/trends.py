"""Every KPI month by month at once (the dashboard's sparklines), family by family."""

from __future__ import annotations

from collections.abc import Iterator

from store.database import Connection
from store.kpis.dashboard import DEFAULT_GROSS_MARGIN, FAMILIES, KpiFamily
from store.kpis.filters import BookFilter
from store.kpis.periods import Period, trailing_months
from store.kpis.results import KpiValue


def family_trend(
    conn: Connection, family: KpiFamily, periods: list[Period], book: BookFilter,
    margin: float = DEFAULT_GROSS_MARGIN,
) -> dict[str, list[KpiValue]]:
    """Each KPI of one family for each of `periods`: what `dashboard.trend` gives for any one of
    them, computed once for the whole family."""
    if family.series is not None:
        [name] = family.names
        return {name: family.series(conn, periods, book, margin)}
    series: dict[str, list[KpiValue]] = {name: [] for name in family.names}
    for one in periods:
        for value in family.compute(conn, one, book, margin):
            series[value.name].append(value)
    return series


def all_trends(
    conn: Connection, last: Period, months: int, book: BookFilter,
    margin: float = DEFAULT_GROSS_MARGIN,
) -> Iterator[tuple[list[Period], dict[str, list[KpiValue]]]]:
    """Every KPI for `months` one-month periods ending with `last`'s last month, yielded one
    family at a time so a caller can show each as soon as it is ready."""
    book = book.materialize(conn)
    periods = trailing_months(last, months)
    for family in FAMILIES:
        yield periods, family_trend(conn, family, periods, book, margin)
