"""Whole-app flows from the board: open, log, triage, palette jump, live refresh."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from textual.command import CommandList

from store import Store
from store.models import Account, Interaction, Subscription
from tests.tui.conftest import settle, wait_until
from tui.account_screen import AccountScreen
from tui.app import RetainApp
from tui.board_screen import BoardScreen
from tui.card_list import CardList
from tui.triage_screen import TriageScreen


@pytest.fixture
def book(store: Store) -> Store:
    with time_machine.travel(datetime(2026, 1, 5, tzinfo=UTC), tick=False):
        for n, (name, stage) in enumerate([("Acme Corp", "adoption"), ("Globex", "retention"),
                                           ("Initech", "adoption")]):
            store.add_account(Account(id=f"A{n}", name=name, stage=stage,
                                      renewal_on=date(2026, 12, 1)))
            store.add(Subscription(id=f"S{n}", account_id=f"A{n}", mrr_cents=(n + 1) * 10_000,
                                   started_on=date(2025, 6, 1)))
    return store


async def test_enter_opens_the_pane_and_escape_comes_back(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert app.screen.focused_stage == "adoption"  # the first column with accounts
        assert app.screen.selected_account_id == "A2"  # Initech: highest MRR in adoption
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == "A2"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_i_logs_a_note_for_the_selected_card(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("TextArea").focus()
        await pilot.press(*"Walked through the renewal")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    [note] = list(book.export_rows(Interaction))
    assert note.account_id == "A2" and note.summary == "Walked through the renewal"


async def test_capital_t_opens_today_and_enter_there_opens_the_account(book: Store) -> None:
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=UTC), tick=False):
        app = RetainApp(book)
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            await pilot.press("T")
            await settle(pilot)
            assert isinstance(app.screen, TriageScreen)
            assert app.screen.selected_account_id is not None  # renewals are due soon
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AccountScreen)


async def test_the_palette_jumps_to_an_account_by_name(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"globex")
        await wait_until(pilot, lambda: any(
            "Globex" in str(option.prompt) for option in app.screen.query_one(CommandList).options))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == "A1"


async def test_the_board_refreshes_when_another_process_writes(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        other = Store.open(book.path)  # a second connection, as a nightly import would be
        other.move_stage("A0", "expansion", reason="upsell")
        other.close()
        await wait_until(  # the watcher looks once a second
            pilot, lambda: app.screen.query_one("#cards-expansion", CardList).total == 1, timeout=3)
        await settle(pilot)
        assert app.screen.query_one("#cards-expansion", CardList).total == 1
        assert app.screen.query_one("#cards-adoption", CardList).total == 1
