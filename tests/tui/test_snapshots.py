"""Pinned pictures of the key screens on a fixed demo book and a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from store import Store
from store.demo import generate_demo
from tui.app import RetainApp

AS_OF = date(2026, 11, 1)


@pytest.fixture
def demo_store(book_path: Path) -> Iterator[Store]:
    """A 120-account demo book, seed 11, as of 2026-11-01, opened at noon that day."""
    with time_machine.travel(datetime(2026, 11, 1, 12, tzinfo=UTC), tick=False):
        store = Store.open(book_path)
        generate_demo(store, accounts=120, seed=11, as_of=AS_OF)
        yield store
    store.close()


async def _wait_for_board(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(100, 30), (140, 42), (200, 55)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_board_snapshot(snap_compare, demo_store: Store, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Whole columns at 100 (scrolling sideways), every stage at 140 and 200."""
    with time_machine.travel(datetime(2026, 11, 1, 12, tzinfo=UTC), tick=False):
        assert snap_compare(RetainApp(demo_store), terminal_size=size, run_before=_wait_for_board)


def test_board_snapshot_after_moving(snap_compare, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    async def move(pilot) -> None:  # type: ignore[no-untyped-def]
        await _wait_for_board(pilot)
        await pilot.press("l", "l", "j", "j", "j")
        await _wait_for_board(pilot)

    with time_machine.travel(datetime(2026, 11, 1, 12, tzinfo=UTC), tick=False):
        assert snap_compare(RetainApp(demo_store), terminal_size=(140, 36), run_before=move)
