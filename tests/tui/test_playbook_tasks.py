"""A board move opens the stage's playbook; the account pane's tasks tab shows its steps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from textual.widgets import DataTable

from store import Store
from store.models import Account
from tests.tui.conftest import settle
from tui.account_screen import AccountScreen
from tui.app import RetainApp

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _rows(screen: AccountScreen) -> list[list[str]]:
    table = screen.query_one("#tasks-table", DataTable)
    return [[cell.plain for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_a_board_move_opens_the_playbook_once_and_the_pane_shows_it(store: Store) -> None:
    store.add_account(Account(id="acme", name="Acme Rockets", stage="consideration",
                              stage_entered_at=datetime(2026, 6, 1, tzinfo=UTC)))
    app = RetainApp(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.screen.selected_card.account_id == "acme"
        await pilot.press("greater_than_sign")  # to purchase
        await settle(pilot)
        assert store.get_account("acme").stage == "purchase"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        await pilot.press("5")
        await settle(pilot)
        rows = _rows(screen)
    assert [row[0] for row in rows] == ["2026-06-15", "2026-06-16", "2026-06-17", "2026-06-18"]
    assert [row[3:5] for row in rows] == [["email", "purchase-welcome"], ["call", "purchase-welcome"],
                                          ["note", "purchase-welcome"],
                                          ["meeting", "purchase-welcome"]]
    assert rows[1][2].startswith("Ask why they chose us")
    assert len(store.tasks("acme")) == 4


async def test_moving_on_and_back_on_the_board_starts_a_second_run(store: Store) -> None:
    store.add_account(Account(id="acme", name="Acme Rockets", stage="purchase",
                              stage_entered_at=datetime(2026, 6, 1, tzinfo=UTC)))
    app = RetainApp(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.screen.selected_card.account_id == "acme"  # the first card shown
        await pilot.press("greater_than_sign")  # to activation
        await settle(pilot)
        await pilot.press("less_than_sign")  # back to purchase
        await settle(pilot)
    assert store.get_account("acme").stage == "purchase"
    playbooks = [task.playbook for task in store.tasks("acme")]
    assert playbooks.count("activation-kickoff") == 4
    assert playbooks.count("purchase-welcome") == 4


async def test_opening_today_starts_the_renewal_playbook_and_lists_its_task(store: Store) -> None:
    from datetime import date

    from store.models import Subscription

    store.add_account(Account(id="acme", name="Acme Rockets", stage="retention",
                              renewal_on=date(2026, 7, 10),
                              stage_entered_at=datetime(2026, 1, 1, tzinfo=UTC)))
    store.add(Subscription(id="sub-acme", account_id="acme", mrr_cents=90_000,
                           started_on=date(2026, 1, 1)))
    app = RetainApp(store, start="triage")
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(4):  # the queue, the playbooks it starts, the reload they cause
            await settle(pilot)
        table = app.screen.query_one(DataTable)
        text = " ".join(str(cell) for n in range(table.row_count) for cell in table.get_row_at(n))
    assert [task.playbook for task in store.tasks("acme")] == ["renewal-prep"] * 4
    assert "PLAYBOOK" in text and "renewal-prep" in text
