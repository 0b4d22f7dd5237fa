"""A pinned picture of the account pane on the fixed demo book and a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from store import Store
from store.demo import generate_demo
from tests.tui.conftest import settle
from tui.account_screen import AccountScreen
from tui.app import RetainApp

AS_OF = date(2026, 11, 1)
NOON = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.fixture
def demo_store(book_path: Path) -> Iterator[Store]:
    """A 120-account demo book, seed 11, as of 2026-11-01, opened at noon that day."""
    with time_machine.travel(NOON, tick=False):
        store = Store.open(book_path)
        generate_demo(store, accounts=120, seed=11, as_of=AS_OF)
        yield store
    store.close()


def test_account_pane_snapshot(snap_compare, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.board_cards("adoption", 0, 1)[0].account_id

    async def open_pane(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.app.push_screen(AccountScreen(demo_store, account_id))
        await settle(pilot)

    with time_machine.travel(NOON, tick=False):
        assert snap_compare(RetainApp(demo_store), terminal_size=(140, 40), run_before=open_pane)
