"""Stage moves on the board: `m` starts on the current stage, churning asks why and confirms,
and the palette's `Go:` selects the account's card."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from textual.command import CommandPalette
from textual.widgets import Input, Label, OptionList

from store import Store
from store.models import Account, Subscription
from tui.account_screen import AccountScreen
from tui.app import RetainApp
from tui.board_screen import BoardScreen
from tui.move_dialog import CHURN_PLACEHOLDER, MoveDialog


@pytest.fixture
def book(store: Store) -> Store:
    """Three adoption accounts and one in retention, each paying."""
    with time_machine.travel(datetime(2026, 1, 5, tzinfo=UTC), tick=False):
        for n, (name, stage) in enumerate([("Acme Corp", "adoption"), ("Globex", "retention"),
                                           ("Initech", "adoption"), ("Umbrella", "adoption")]):
            store.add_account(Account(id=f"A{n}", name=name, stage=stage))
            store.add(Subscription(id=f"S{n}", account_id=f"A{n}", mrr_cents=(n + 1) * 10_000,
                                   started_on=date(2025, 6, 1)))
    return store


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _highlighted(dialog: MoveDialog) -> str | None:
    stages = dialog.query_one(OptionList)
    return stages.get_option_at_index(stages.highlighted).id


async def test_m_opens_on_the_current_stage_and_two_downs_reach_expansion(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        # the first column with cards, adoption, is focused: Umbrella (highest MRR) first
        assert app.screen.selected_card.name == "Umbrella"
        await pilot.press("m")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MoveDialog) and _highlighted(dialog) == "adoption"
        await pilot.press("down", "down")
        assert _highlighted(dialog) == "expansion"
        await pilot.press("enter", *"upsell signed", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    [*_, last] = book.stage_history("A3")
    assert (last.from_stage, last.to_stage, last.reason) == ("adoption", "expansion",
                                                             "upsell signed")


async def test_churning_asks_for_a_reason_and_confirms(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        dialog = app.screen
        await pilot.press("down", "down", "down")
        assert _highlighted(dialog) == "churned"
        await pilot.press("enter")
        reason = dialog.query_one(Input)
        assert reason.has_focus and reason.placeholder == CHURN_PLACEHOLDER
        assert "signed the renewal" not in CHURN_PLACEHOLDER
        await pilot.press("enter")  # no reason: asked for one, nothing moves
        await settle(pilot)
        asked = str(dialog.query_one("#move-confirm", Label).render())
        assert app.screen is dialog and book.get_account("A3").stage == "adoption"
        await pilot.press(*"budget cut", "enter")
        await settle(pilot)
        confirm = str(dialog.query_one("#move-confirm", Label).render())
        assert app.screen is dialog and book.get_account("A3").stage == "adoption"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    assert "Say why" in asked
    assert "Umbrella" in confirm and "$400 MRR will count as lost" in confirm
    assert book.get_account("A3").stage == "churned"
    assert book.stage_history("A3")[-1].reason == "budget cut"


async def test_escape_at_the_confirmation_churns_nothing(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x", *"moved away", "enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    assert book.get_account("A3").stage == "adoption"


async def test_the_palette_go_selects_the_card_on_the_board(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        board = app.screen
        assert board.selected_card.name == "Umbrella"
        await pilot.press("ctrl+p", *"initech")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        for _ in range(100):  # the palette searches in a worker after a short debounce
            await settle(pilot)
            options = palette.query_one(OptionList)
            if any("Initech" in str(options.get_option_at_index(n).prompt)
                   for n in range(options.option_count)):
                break
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == "A2"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is board
        assert board.selected_card.account_id == "A2"
        assert board.focused_stage == "adoption"


async def test_go_shows_an_account_a_search_was_hiding(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        board = app.screen
        await pilot.press("slash", *"acme", "enter")
        await settle(pilot)
        app.go_to_account("A1")  # Globex: hidden by the search
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert board.selected_card.account_id == "A1"
        assert board.view.search is None
        assert not board.query_one("#board-search", Input).display
