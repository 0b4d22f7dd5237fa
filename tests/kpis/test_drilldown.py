"""The accounts behind a KPI are exactly the ones it counted, and all-KPI trends match `trend`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from store import Store
from store.demo import generate_demo
from store.kpis import drilldown
from store.kpis.filters import BookFilter
from store.kpis.periods import Period, parse_period
from store.kpis.revenue import MOVEMENTS
from store.kpis.trends import all_trends

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A 150-account demo book, seed 21, as of 2026-11-01 (shared: these tests only read)."""
    path = Path(tmp_path_factory.mktemp("drill")) / "book.db"
    with time_machine.travel(NOW, tick=False):
        store = Store.open(path)
        generate_demo(store, accounts=150, seed=21, as_of=date(2026, 11, 1))
        yield store
    store.close()


PERIODS = ["2026-10", "2026-09", "2026-Q3", "2026"]
FILTERS = [BookFilter(), BookFilter(segment="SMB"), BookFilter(plan="growth")]


def _period(text: str) -> Period:
    return parse_period(text, NOW.date())


@pytest.mark.parametrize("text", PERIODS)
@pytest.mark.parametrize("book", FILTERS, ids=lambda book: book.describe())
def test_each_list_counts_what_its_kpi_counts(demo: Store, text: str, book: BookFilter) -> None:
    with time_machine.travel(NOW, tick=False):
        period = _period(text)
        values = demo.kpis(period, book)
        conn = demo.conn
        nps = values["nps"].inputs
        for band in ("detractors", "passives", "promoters"):
            rows = drilldown.accounts_behind(conn, "nps", band, period, book)
            assert len(rows) == nps[band]
        lost = drilldown.accounts_behind(conn, "logo_churn_rate", "lost", period, book)
        assert len(lost) == values["logo_churn_rate"].inputs["lost"]
        upgraded = drilldown.accounts_behind(conn, "upgrade_rate", "upgraded", period, book)
        assert len(upgraded) == values["upgrade_rate"].inputs["upgraded"]
        for kind in MOVEMENTS:
            rows = drilldown.accounts_behind(conn, f"mrr_{kind}", kind, period, book)
            assert len(rows) == values["mrr"].inputs[f"{kind}_accounts"]
            assert sum(row.figure for row in rows) == (values[f"mrr_{kind}"].value or 0)


def test_the_demo_has_something_to_drill_into(demo: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        period = _period("2026")
        rows = drilldown.nps_answers(demo.conn, "detractors", period, BookFilter())
        assert rows and all(row.figure <= 6 for row in rows)
        assert drilldown.lost_customers(demo.conn, period, BookFilter())
        assert drilldown.upgraded_customers(demo.conn, period, BookFilter())


def test_a_kpi_without_a_list_says_so(demo: Store) -> None:
    assert drilldown.views("cac") == ()
    with pytest.raises(ValueError):
        drilldown.accounts_behind(demo.conn, "cac", "x", _period("2026-10"), BookFilter())


@pytest.mark.parametrize("book", FILTERS[:2], ids=lambda book: book.describe())
def test_all_trends_equal_each_kpis_own_trend(demo: Store, book: BookFilter) -> None:
    with time_machine.travel(NOW, tick=False):
        period = _period("2026-10")
        combined: dict[str, list[float | None]] = {}
        for periods, series in all_trends(demo.conn, period, 12, book, demo.gross_margin()):
            assert [one.label for one in periods][-1] == "2026-10"
            combined.update({name: [value.value for value in values]
                             for name, values in series.items()})
        for name in ("mrr", "mrr_churned", "nps", "cltv", "ttfv_p90", "stickiness", "arpu"):
            own = [value.value for _, value in demo.kpi_trend(name, period, 12, book)]
            assert combined[name] == own
