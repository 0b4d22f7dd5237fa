"""Keys you can see: at 100 columns every screen's footer shows `?` and the palette, `q`
quits from every screen, and Esc clears a search or filter before it goes back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from store import Store
from store.demo import generate_demo
from tui.account_screen import AccountScreen
from tui.app import RetainApp
from tui.board_screen import BoardScreen
from tui.card_list import CardList
from tui.dashboard_screen import DashboardScreen
from tui.drill_screen import DrillScreen
from tui.triage_screen import TriageScreen

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def demo(book_path: Path) -> Iterator[Store]:
    """A 60-account demo book, seed 5, as of 2026-11-01, the clock at 2026-11-02 09:00."""
    with time_machine.travel(NOW, tick=False):
        store = Store.open(book_path)
        generate_demo(store, accounts=60, seed=5, as_of=date(2026, 11, 1))
        yield store
    store.close()


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


SCREENS = {
    "board": ((), BoardScreen),
    "account": (("enter",), AccountScreen),
    "today": (("T",), TriageScreen),
    "kpis": (("K",), DashboardScreen),
    "drill": (("K", lambda app: app.screen.tile("logo_churn_rate").focus(), "enter"),
              DrillScreen),
}
"""How to reach each screen from the board, and what it is."""


async def _reach(pilot, steps) -> None:  # type: ignore[no-untyped-def]
    for step in steps:
        if callable(step):
            step(pilot.app)
        else:
            await pilot.press(step)
        await settle(pilot)


def _visible_keys(app: RetainApp) -> list[str]:
    """The footer keys drawn whole inside the terminal, and not under the pinned `?` and
    palette keys at the right edge."""
    screen = app.screen.region
    pinned = app.screen.query_one(".footer-pinned").region
    return [key.key for key in app.screen.query(FooterKey)
            if key.region.width and screen.contains_region(key.region)
            and (pinned.contains_region(key.region) or key.region.right <= pinned.x)]


@pytest.mark.parametrize("name", list(SCREENS))
async def test_question_mark_and_the_palette_are_in_the_footer_at_100_columns(
    demo: Store, name: str
) -> None:
    keys, kind = SCREENS[name]
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await _reach(pilot, keys)
            assert isinstance(app.screen, kind)
            shown = _visible_keys(app)
            await pilot.press("question_mark")
            await settle(pilot)
            panel = bool(app.screen.query("HelpPanel"))
    assert "question_mark" in shown and "ctrl+p" in shown
    assert panel  # and `?` shows every key


@pytest.mark.parametrize("name", list(SCREENS))
async def test_q_quits_from_every_screen(demo: Store, name: str) -> None:
    keys, kind = SCREENS[name]
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await _reach(pilot, keys)
            assert isinstance(app.screen, kind)
            await pilot.press("q")
            await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_the_board_footer_puts_its_essential_keys_first(demo: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            shown = _visible_keys(app)
    assert shown[:6] == ["enter", "i", "m", "slash", "f", "z"]
    assert {"T", "K", "q"} <= set(shown)


async def test_escape_clears_a_search_and_the_board_stays(demo: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            everyone = sum(card_list.total for card_list in screen.query(CardList))
            await pilot.press("slash", *"zzqx", "enter")  # keep a search that finds nobody
            await settle(pilot)
            found = sum(card_list.total for card_list in screen.query(CardList))
            status = str(screen.query_one("#board-status").render())
            await pilot.press("escape")
            await settle(pilot)
            cleared = sum(card_list.total for card_list in screen.query(CardList))
            box = screen.query_one("#board-search", Input)
            assert box.value == "" and not box.display
            assert isinstance(screen.focused, CardList)
            name = screen.selected_card.name
            await pilot.press("slash", *name, "enter")
            await settle(pilot)
            some = sum(card_list.total for card_list in screen.query(CardList))
            some_status = str(screen.query_one("#board-status").render())
            await pilot.press("escape")
            await settle(pilot)
            again = sum(card_list.total for card_list in screen.query(CardList))
            await pilot.press("escape")  # nothing left to clear: the board stays
            await settle(pilot)
            assert app.screen is screen
    assert found == 0 and "No account matches" in status
    assert cleared == everyone == again
    assert some == 1 and some_status.startswith("1 match (") and f"search: {name}" in some_status


async def test_escape_goes_back_from_today_and_the_kpis(demo: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(demo)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            for key in ("T", "K"):
                await pilot.press(key)
                await settle(pilot)
                await pilot.press("escape")
                await settle(pilot)
                assert isinstance(app.screen, BoardScreen)
