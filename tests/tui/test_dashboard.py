"""The KPI dashboard: the figures are the engine's, period and filter keys recompute them in a
worker, Enter lists the accounts behind a KPI, and keys stay live while it computes."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from textual.widgets import DataTable, Select

from store import Store
from store.kpis import trends
from store.kpis.catalog import CATALOG
from store.kpis.filters import BookFilter
from store.kpis.formatting import format_value
from store.kpis.periods import Period, parse_period
from tests.tui.conftest import settle
from tui.account_screen import AccountScreen
from tui.app import RetainApp
from tui.dashboard_screen import DashboardScreen
from tui.drill_screen import DrillScreen
from tui.kpi_charts import StageChart
from tui.kpi_filter_dialog import KpiFilterDialog
from tui.kpi_tile import LOADING, Trend, trend_text, value_text

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


async def open_dashboard(pilot) -> DashboardScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.push_screen(DashboardScreen(pilot.app.store))
    await settle(pilot)
    assert isinstance(pilot.app.screen, DashboardScreen)
    return pilot.app.screen


YEAR_TO_DATE = Period(date(2026, 1, 1), date(2026, 12, 1), "2026 to date", "year")
"""What the dashboard computes for 2026 on 2026-11-02: January to November (December's
scheduled subscription ends have not happened yet)."""


def assert_engine_values(screen: DashboardScreen, store: Store, period: Period,
                         book: BookFilter, counted: Period | None = None) -> None:
    """Every tile shows exactly what `store.kpis` gives for the period (or the months of it
    that are `counted`) and filter."""
    assert screen.period == period and screen.book == book
    expected = store.kpis(counted or period, book)
    for definition in CATALOG:
        value = expected[definition.name]
        assert screen.tile(definition.name).shown_value == format_value(value.value, value.unit), \
            definition.name


async def test_the_dashboard_shows_the_engines_figures_for_each_period(dashboard_store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(dashboard_store)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await open_dashboard(pilot)
            assert_engine_values(screen, dashboard_store, parse_period("2026-10", NOW.date()), BookFilter())
            await pilot.press("left_square_bracket")
            await settle(pilot)
            assert_engine_values(screen, dashboard_store, parse_period("2026-09", NOW.date()), BookFilter())
            await pilot.press("p")  # month -> the quarter holding it
            await settle(pilot)
            assert_engine_values(screen, dashboard_store, parse_period("2026-Q3", NOW.date()), BookFilter())
            await pilot.press("p")  # quarter -> year
            await settle(pilot)
            assert_engine_values(screen, dashboard_store, parse_period("2026", NOW.date()), BookFilter(),
                                 counted=YEAR_TO_DATE)
            status = str(screen.query_one("#dashboard-status").render())
            assert "2026 (year to date, day 306 of 365) · Jan–Nov vs the 11 months before" \
                in status
            await pilot.press("right_square_bracket")  # 2027 has not started
            await settle(pilot)
            assert screen.period.label == "2026"
            await pilot.press("p")  # back to the month it started from
            await settle(pilot)
            assert_engine_values(screen, dashboard_store, parse_period("2026-09", NOW.date()), BookFilter())
            await pilot.press("right_square_bracket", "right_square_bracket",
                              "right_square_bracket")  # 2026-11 at most
            await settle(pilot)
            assert screen.period.label == "2026-11"
            status = str(screen.query_one("#dashboard-status").render())
            assert "2026-11 (month to date, day 2 of 30)" in status
            # a year still running draws no month after the current one
            await pilot.press("p", "p")
            await settle(pilot)
            assert screen.period.label == "2026" and screen.trend_months[-1] == "2026-11"


async def test_a_filter_recomputes_every_tile(dashboard_store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(dashboard_store)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await open_dashboard(pilot)
            before = screen.tile("mrr").shown_value
            await pilot.press("f")
            await settle(pilot)
            assert isinstance(app.screen, KpiFilterDialog)
            app.screen.query_one("#kpi-filter-segment", Select).value = "SMB"
            app.screen.query_one("#kpi-filter-plan", Select).value = "Growth"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is screen
            book = BookFilter(segment="SMB", plan="Growth")
            assert_engine_values(screen, dashboard_store, parse_period("2026-10", NOW.date()), book)
            assert screen.tile("mrr").shown_value != before
            await pilot.press("f")
            await settle(pilot)
            await pilot.press("ctrl+x", "ctrl+s")  # clear
            await settle(pilot)
            assert_engine_values(screen, dashboard_store, parse_period("2026-10", NOW.date()), BookFilter())


async def test_the_focused_tile_explains_its_kpi(dashboard_store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(dashboard_store)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await open_dashboard(pilot)
            screen.tile("nps").focus()
            await settle(pilot)
            text = str(screen.query_one("#kpi-explain").content)
            nps = dashboard_store.kpis(parse_period("2026-10", NOW.date()))["nps"]
            assert "% promoters (9-10) − % detractors (0-6)" in text
            assert f"detractors: {nps.inputs['detractors']}" in text
            assert nps.note in text
            # an input that is a table (the loyalty index's mean per question) reads as words
            screen.tile("cli").focus()
            await settle(pilot)
            text = str(screen.query_one("#kpi-explain").content)
            means = dashboard_store.kpis(parse_period("2026-10", NOW.date()))["cli"].inputs["question_means"]
            assert means and "{" not in text
            question, mean = next(iter(means.items()))
            assert f"{question} {mean:,.2f}" in text


async def test_enter_on_nps_lists_exactly_the_detractors_and_opens_one(dashboard_store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(dashboard_store)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await open_dashboard(pilot)
            await pilot.press("p", "p")  # the year 2026: more answers
            await settle(pilot)
            screen.tile("nps").focus()
            await pilot.press("enter")
            await settle(pilot)
            drill = app.screen
            assert isinstance(drill, DrillScreen) and drill.view.key == "detractors"
            nps = dashboard_store.kpis(YEAR_TO_DATE)["nps"]
            assert nps.inputs["detractors"] > 0
            assert drill.total == nps.inputs["detractors"]
            assert drill.query_one(DataTable).row_count == nps.inputs["detractors"]
            assert all(row.figure <= 6 for row in drill.rows)
            when = str(drill.query_one(DataTable).get_row_at(0)[3])  # the answer's time, read
            assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", when), when
            await pilot.press("n")  # passives, then promoters
            await settle(pilot)
            assert drill.view.key == "passives" and drill.total == nps.inputs["passives"]
            await pilot.press("n")
            await settle(pilot)
            assert drill.view.key == "promoters" and drill.total == nps.inputs["promoters"]
            table = drill.query_one(DataTable)
            await pilot.press("G")  # the last row, then back up and to the top, as on the board
            assert table.cursor_row == drill.total - 1
            await pilot.press("k")
            assert table.cursor_row == drill.total - 2
            await pilot.press("g", "j")
            assert table.cursor_row == 1
            await pilot.press("g")
            first = drill.selected_account_id
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AccountScreen) and app.screen.account_id == first
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen


async def test_enter_on_logo_churn_lists_the_churned_accounts(dashboard_store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(dashboard_store)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await open_dashboard(pilot)
            await pilot.press("p", "p")
            await settle(pilot)
            screen.tile("logo_churn_rate").focus()
            await pilot.press("enter")
            await settle(pilot)
            lost = dashboard_store.kpis(YEAR_TO_DATE)["logo_churn_rate"].inputs["lost"]
            assert isinstance(app.screen, DrillScreen) and app.screen.total == lost > 0
            # one list only: no "Next list" key offered
            assert "Next list" not in [key.description for key in app.screen.query("FooterKey")]


async def test_the_stage_chart_draws_the_engines_month_end_counts(dashboard_store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(dashboard_store)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await open_dashboard(pilot)
            assert screen.stage_series is None  # read only once the charts are shown
            await pilot.press("c")
            await settle(pilot)
            # no KPI under a cursor here: Enter offers no account list
            assert "Accounts" not in [key.description for key in screen.query("FooterKey")]
            chart = screen.query_one(StageChart)
            ends = [date(2025, 11, 30), date(2025, 12, 31)] + [
                date(2026, month + 1, 1) - timedelta(days=1) for month in range(1, 11)]
            expected = dashboard_store.stage_counts(ends)
            assert chart.months == [f"{day:%Y-%m}" for day in ends]
            for key in dashboard_store.lifecycle().keys:
                assert chart.counts[key] == [
                    next(row.accounts for row in rows if row.stage == key) for rows in expected]
            # what the key and the title say: each stage's accounts at the end of October
            october = {row.stage: row.accounts for row in expected[-1]}
            labels = {stage.key: stage.label for stage in dashboard_store.lifecycle().stages}
            for stage in dashboard_store.lifecycle().stages:
                shown = chart.border_title if stage.terminal else chart.border_subtitle
                assert f"{labels[stage.key]} {october[stage.key]:,}" in str(shown)
            assert sum(october.values()) > 0
            await pilot.press("left_square_bracket")  # September: the months shift by one
            await settle(pilot)
            assert chart.months[-1] == "2026-09" and chart.months[0] == "2025-10"


async def test_keys_stay_live_while_the_dashboard_computes(
    dashboard_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_trends = trends.all_trends

    def slow_trends(*args, **kwargs):  # type: ignore[no-untyped-def]
        release.wait(timeout=30)  # the trends hang until the test has pressed its keys
        yield from real_trends(*args, **kwargs)

    monkeypatch.setattr(trends, "all_trends", slow_trends)
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(dashboard_store)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            app.push_screen(DashboardScreen(dashboard_store))
            for _ in range(5):
                await pilot.pause()
            screen = app.screen
            assert isinstance(screen, DashboardScreen)
            assert screen.trends_pending  # the worker is still busy
            assert screen.tile("new_leads").query_one(Trend).values is None  # still "…"
            await pilot.press("right", "right", "down")
            await pilot.pause()
            assert screen.focused_kpi == "cac"  # moved while the worker runs
            await pilot.press("c")
            await pilot.pause()
            assert screen.query_one("#dashboard-views").current == "dashboard-charts"
            assert screen.trends_pending
            release.set()
            await settle(pilot)
            assert not screen.trends_pending
            assert screen.tile("mrr").trend is not None and len(screen.tile("mrr").trend) == 12


async def test_no_data_is_shown_as_such(store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(store)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await open_dashboard(pilot)
            assert screen.tile("nps").shown_value == "no data"
            assert screen.tile("mrr").shown_value == "no data"
            assert LOADING not in screen.tile("cltv").shown_value


async def test_a_narrow_terminal_gets_fewer_tiles_with_whole_figures(dashboard_store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(dashboard_store)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_dashboard(pilot)
            assert screen.tile_columns == 3
            expected = dashboard_store.kpis(parse_period("2026-10", NOW.date()))
            for definition in CATALOG:
                tile, value = screen.tile(definition.name), expected[definition.name]
                shown = tile.shown_value
                width = tile.query_one(".kpi-value").size.width
                assert shown in (value_text(value), value_text(value, short=True))
                assert len(shown) <= width, (definition.name, shown, width)
            screen.tile("logo_churn_rate").focus()
            await pilot.press("down")  # retention's rows are 3 tiles: logo churn, revenue
            await pilot.pause()        # churn, GRR / NRR, CLTV, NPS / ...
            assert screen.focused_kpi == "nrr"


def test_a_trend_keeps_each_month_in_its_place() -> None:
    # no data in the second and fourth months: a dot holds their places
    assert trend_text([1.0, None, 3.0, None, 2.0]).plain == "▁·█·▅"
    assert trend_text([5.0, 5.0], cells_per_month=2).plain == "▄▄▄▄"


async def test_period_keys_come_back_where_they_started(dashboard_store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(dashboard_store)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await open_dashboard(pilot)
            await pilot.press("left_square_bracket")  # 2026-09
            # quarter, the next one (Q4, running), back, then year and month again
            for key in ("p", "right_square_bracket", "left_square_bracket", "p", "p"):
                await pilot.press(key)
            await settle(pilot)
            assert screen.period.label == "2026-09"


async def test_closing_the_charts_comes_back_to_the_same_tile(dashboard_store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(dashboard_store)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await open_dashboard(pilot)
            screen.tile("cac").focus()
            await pilot.pause()
            await pilot.press("c")
            await settle(pilot)
            await pilot.press("tab", "c")
            await settle(pilot)
            assert screen.focused is screen.tile("cac") and screen.focused_kpi == "cac"
