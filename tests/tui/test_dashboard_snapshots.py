"""Pinned pictures of the KPI dashboard and its charts (MRR movements, accounts per stage) on a
fixed demo book and frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from store import Store
from store.demo import generate_demo
from tests.tui.conftest import settle
from tui.app import RetainApp
from tui.dashboard_screen import DashboardScreen

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def demo(book_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A 150-account demo book, seed 21, as of 2026-11-01, pictured in colour: the good/bad
    arrows and the chart's movements are told apart by colour (NO_COLOR greys them alike)."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    with time_machine.travel(NOW, tick=False):
        store = Store.open(book_path)
        generate_demo(store, accounts=150, seed=21, as_of=date(2026, 11, 1))
        yield store
    store.close()


async def _open_dashboard(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.push_screen(DashboardScreen(pilot.app.store))
    await settle(pilot)


def test_dashboard_snapshot(snap_compare, demo: Store) -> None:  # type: ignore[no-untyped-def]
    async def nps_focused(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open_dashboard(pilot)
        # past consideration, the three rows of purchase (deals), activation and adoption
        await pilot.press("down", "down", "down", "down", "down", "down", "right")  # revenue churn
        await settle(pilot)

    with time_machine.travel(NOW, tick=False):
        assert snap_compare(RetainApp(demo), terminal_size=(140, 40), run_before=nps_focused)


def test_charts_snapshot(snap_compare, demo: Store) -> None:  # type: ignore[no-untyped-def]
    async def charts(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open_dashboard(pilot)
        await pilot.press("c")
        await settle(pilot)

    with time_machine.travel(NOW, tick=False):
        assert snap_compare(RetainApp(demo), terminal_size=(140, 40), run_before=charts)
