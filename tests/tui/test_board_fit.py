"""The board at 100, 140 and 200 columns: every stage in view where it fits, whole columns
when it scrolls, and the churned column's MRR lost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from store import Store
from store.demo import generate_demo
from store.models import Account, Subscription
from tui.app import RetainApp
from tui.board_screen import MIN_COLUMN_WIDTH, column_widths
from tui.card_list import CARD_HEIGHT, CardList
from tui.stage_column import StageColumn, StageHeader

NOON = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.fixture
def demo(book_path: Path) -> Iterator[Store]:
    """A 120-account classic demo book, seed 11, as of 2026-11-01, at noon that day."""
    with time_machine.travel(NOON, tick=False):
        store = Store.open(book_path)
        generate_demo(store, accounts=120, seed=11, as_of=date(2026, 11, 1))
        yield store
    store.close()


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _on_screen(app: RetainApp) -> list[str]:
    """The stage labels whose whole column is inside the terminal."""
    screen = app.screen.region
    return [
        str(column.query_one(StageHeader).render()).splitlines()[0]
        for column in app.screen.query(StageColumn)
        if column.display and screen.contains_region(column.region)
    ]


async def test_every_stage_and_churned_are_on_screen_at_140_columns(demo: Store) -> None:
    with time_machine.travel(NOON, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(140, 42)) as pilot:
            await _settled(pilot)
            shown = _on_screen(app)
    labels = [stage.label for stage in demo.lifecycle().stages]
    assert len(labels) == 8 and shown == labels


async def test_below_the_fitting_width_the_focused_column_is_always_whole(demo: Store) -> None:
    with time_machine.travel(NOON, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(100, 30)) as pilot:
            await _settled(pilot)
            first = _on_screen(app)
            seen = []
            for _ in range(7):
                await pilot.press("l")
                await _settled(pilot)
                focused = app.screen.focused.parent
                seen.append(focused.column.stage.label in _on_screen(app))
            last = _on_screen(app)
    labels = [stage.label for stage in demo.lifecycle().stages]
    assert first == labels[: len(first)] and 5 <= len(first) < 8
    assert all(seen)
    assert last[-1] == "Churned" and last == labels[-len(last):]


def test_columns_share_the_width_and_scroll_whole_columns_when_narrow() -> None:
    assert column_widths(140, 8) == ([18] * 4 + [17] * 4, False)
    widths, scrolls = column_widths(100, 8)
    assert scrolls and len(set(widths)) == 1 and widths[0] >= MIN_COLUMN_WIDTH
    assert 100 - (100 // widths[0]) * widths[0] < widths[0]  # no part of a column shows
    nine = column_widths(140, 10)
    assert nine[1] and nine[0][0] >= MIN_COLUMN_WIDTH  # nine stages and churned: scroll


async def test_the_churned_column_shows_the_mrr_lost_not_held(store: Store) -> None:
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=False):
        store.add_account(Account(id="gone", name="Gone Co", stage="adoption"))
    store.add(Subscription(id="s-gone", account_id="gone", mrr_cents=1_470_000,
                           started_on=date(2025, 1, 1)))
    with time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False):
        store.move_stage("gone", "churned", reason="budget cut", source="test")
        app = RetainApp(store)
        async with app.run_test(size=(200, 40)) as pilot:
            await _settled(pilot)
            header = str(app.screen.query_one("#stage-churned").query_one(StageHeader).render())
            adoption = str(app.screen.query_one("#stage-adoption").query_one(StageHeader).render())
    assert "1 · $14.7k MRR lost" in header
    assert "0 · $0" in adoption


async def test_a_search_says_how_many_match_and_in_which_columns(demo: Store) -> None:
    with time_machine.travel(NOON, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(100, 30)) as pilot:
            await _settled(pilot)
            await pilot.press("slash", *"co", "enter")
            await _settled(pilot)
            status = str(app.screen.query_one("#board-status").render())
            counts = {column.column.stage.label: column.column.count
                      for column in app.screen.query(StageColumn)}
    total = sum(counts.values())
    assert status.startswith(f"{total:,} matches (")
    for label, count in counts.items():
        assert (f"{label} {count:,}" in status) == (count > 0)


async def test_after_a_sort_each_column_shows_whole_cards(demo: Store) -> None:
    with time_machine.travel(NOON, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(140, 30)) as pilot:
            await _settled(pilot)
            for _ in range(8):  # the last card of every column: the long ones scroll
                await pilot.press("end", "l")
            await _settled(pilot)
            await pilot.press("s")  # health, worst first: the cursor follows the account
            await _settled(pilot)
            offsets = [card_list.scroll_offset.y for card_list in app.screen.query(CardList)]
    assert all(offset % CARD_HEIGHT == 0 for offset in offsets)
    assert any(offsets)
