"""Pinned pictures of the key screens on a fixed demo book and a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from store import Store
from tests.tui.conftest import settle
from tui.app import RetainApp


@pytest.mark.parametrize("size", [(100, 30), (140, 42), (200, 55)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_board_snapshot(snap_compare, demo_store: Store, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Whole columns at 100 (scrolling sideways), every stage at 140 and 200."""
    with time_machine.travel(datetime(2026, 11, 1, 12, tzinfo=UTC), tick=False):
        assert snap_compare(RetainApp(demo_store), terminal_size=size, run_before=settle)


def test_board_snapshot_after_moving(snap_compare, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    async def move(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("l", "l", "j", "j", "j")
        await settle(pilot)

    with time_machine.travel(datetime(2026, 11, 1, 12, tzinfo=UTC), tick=False):
        assert snap_compare(RetainApp(demo_store), terminal_size=(140, 36), run_before=move)
