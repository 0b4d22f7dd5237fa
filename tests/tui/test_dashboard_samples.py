"""Dashboard rates show their sample (`n=3`), a change from too few answers is marked, and
Enter is not offered on the charts, where it has nothing to open."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from rich.console import Console
from textual.widgets._footer import FooterKey

from store import Store
from store.demo import generate_demo
from store.kpis.results import KpiValue, Unit
from tui.app import RetainApp
from tui.dashboard_screen import DashboardScreen
from tui.kpi_tile import sample_note

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def demo(book_path: Path) -> Iterator[Store]:
    """A 150-account demo book, seed 21, as of 2026-11-01."""
    with time_machine.travel(NOW, tick=False):
        store = Store.open(book_path)
        generate_demo(store, accounts=150, seed=21, as_of=date(2026, 11, 1))
        yield store
    store.close()


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _dashboard(pilot) -> DashboardScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("K")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DashboardScreen)
    return pilot.app.screen


def _tile_lines(screen: DashboardScreen, name: str) -> tuple[str, str]:
    tile = screen.tile(name)
    return tile.shown_value, str(tile.query_one(".kpi-change").render())


async def test_rates_show_their_sample_and_a_change_from_few_answers_is_marked(
    demo: Store,
) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(160, 50)) as pilot:
            screen = await _dashboard(pilot)
            csat = screen.current["csat"]
            value, change = screen.tile("csat").shown_line, _tile_lines(screen, "csat")[1]
            mrr_value = screen.tile("mrr").shown_line
    assert f"n={csat.sample}" in value
    few = min(csat.sample, screen.previous["csat"].sample or 0) < 10
    assert ("(few)" in change) == few
    assert "n=" not in mrr_value  # not a rate: no sample


async def test_the_minimum_sample_is_a_setting(demo: Store) -> None:
    demo.change_setting("kpi.min_sample", 1)
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(160, 50)) as pilot:
            screen = await _dashboard(pilot)
            marked = [name for name, value in screen.current.items()
                      if "(few)" in _tile_lines(screen, name)[1]]
    assert marked == []


def test_sample_note_counts_the_smaller_of_both_periods() -> None:
    now = KpiValue("nps", 50.0, Unit.SCORE, {"answers": 40})
    before = KpiValue("nps", -100.0, Unit.SCORE, {"answers": 1})
    assert sample_note(now, before, 10) == ("n=40", True)
    assert sample_note(now, KpiValue("nps", 20.0, Unit.SCORE, {"answers": 12}), 10) == (
        "n=40", False)
    assert sample_note(KpiValue("mrr", 1.0, Unit.CENTS, {}), None, 10) == ("", False)


async def test_enter_is_not_offered_on_the_charts(demo: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(160, 50)) as pilot:
            screen = await _dashboard(pilot)
            tiles_keys = [key.key for key in screen.query(FooterKey)]
            await pilot.press("c")
            await settle(pilot)
            chart_keys = [key.key for key in screen.query(FooterKey)]
            await pilot.press("question_mark")
            await settle(pilot)
            table = screen.query_one("HelpPanel").query_one("BindingsTable").render_bindings_table()
            console = Console(width=100, color_system=None, force_terminal=False)
            with console.capture() as captured:
                console.print(table)
            panel = captured.get()
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen
    assert "enter" in tiles_keys and "enter" not in chart_keys
    assert "Charts" in panel and "Accounts" not in panel
    assert "⏎" not in panel and "enter" not in panel  # nor the app's "Open" (no account here)
    assert "i" not in chart_keys  # no account to log for on the dashboard
