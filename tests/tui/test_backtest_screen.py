"""The backtest chart: `b` on the KPI dashboard computes in a worker ("computing…", keys live),
then shows the figures `retain backtest --json` prints; leaving stops the computation."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from typer.testing import CliRunner

from commands.main import app as cli_app
from store import Store
from store.demo import generate_demo
from tests.tui.conftest import settle
from tui import backtest_screen
from tui.app import RetainApp
from tui.backtest_screen import BacktestScreen
from tui.dashboard_screen import DashboardScreen
from tui.kpi_charts import BacktestChart

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def demo(book_path: Path) -> Iterator[Store]:
    """A 60-account demo book, seed 5, as of 2026-11-01, the clock at 2026-11-02 09:00."""
    with time_machine.travel(NOW, tick=False):
        store = Store.open(book_path)
        generate_demo(store, accounts=60, seed=5, as_of=date(2026, 11, 1))
        yield store
    store.close()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Holds the screen's backtest until `release` is set; records how it ended."""
    state: dict[str, Any] = {"release": threading.Event(), "ended": None}
    real = backtest_screen.backtest

    def held(*args: Any, **kwargs: Any) -> Any:
        state["release"].wait(timeout=30)
        try:
            result = real(*args, **kwargs)
        except BaseException as error:
            state["ended"] = type(error).__name__
            raise
        state["ended"] = "finished"
        return result

    monkeypatch.setattr(backtest_screen, "backtest", held)
    return state


def status(screen: BacktestScreen) -> str:
    return str(screen.query_one("#backtest-status").render())


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{value * 100:.1f}%"


async def test_b_computes_the_backtest_in_a_worker_and_shows_the_clis_figures(
        demo: Store, book_path: Path, gate: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        expected = json.loads(CliRunner().invoke(
            cli_app, ["backtest", "--json", "--db", str(book_path)]).stdout)
        app = RetainApp(demo)
        async with app.run_test(size=(140, 42)) as pilot:
            await settle(pilot)
            await pilot.press("K")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            await pilot.press("b")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, BacktestScreen)
            assert "computing…" in status(screen)
            assert "computing…" in str(screen.query_one(BacktestChart).border_title)
            await pilot.press("question_mark")  # keys stay live while it computes
            await pilot.pause()
            assert app.screen is screen and "computing…" in status(screen)
            gate["release"].set()
            await settle(pilot)
            assert gate["ended"] == "finished"
            assert "computing" not in status(screen)
            lines = str(screen.query_one("#backtest-summary").render()).splitlines()
            replays = expected["replays"]
            assert lines[0].startswith(f"{len(replays)} weekly replays {expected['start']} → "
                                       f"{expected['end']}:")
            assert lines[1] == (f"recall     Today top 10 {percent(expected['recall_top10'])}   "
                                f"Today top 50 {percent(expected['recall_top50'])}   "
                                f"red health band (< 40) {percent(expected['recall_red'])}")
            assert lines[2] == (
                f"precision  Today top 10 {percent(expected['precision_top10'])}   "
                f"Today top 50 {percent(expected['precision_top50'])}   "
                f"base rate (a random pick) {percent(expected['base_rate'])}")
            assert lines[3] == (f"ROC AUC    health score {expected['auc_health']:.3f}   "
                                f"Today score {expected['auc_today']:.3f}")
            chart = screen.query_one(BacktestChart)
            assert chart.series["top 10"] == [
                (n, 100 * r["in_top10"] / r["top10"]) for n, r in enumerate(replays, 1)
                if r["top10"]]
            assert chart.series["base rate"] == [
                (n, 100 * r["lost"] / r["paying"]) for n, r in enumerate(replays, 1)
                if r["paying"]]
            assert len(chart.series["top 50"]) == sum(1 for r in replays if r["top50"])


async def test_leaving_stops_the_backtest(demo: Store, gate: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(140, 42)) as pilot:
            await settle(pilot)
            await pilot.press("K")
            await settle(pilot)
            await pilot.press("b")
            await pilot.pause()
            assert isinstance(app.screen, BacktestScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)
            gate["release"].set()
            await settle(pilot)
            assert gate["ended"] == "Cancelled"  # stopped at its first replay day
