"""A pinned picture of the account pane on the fixed demo book and a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from store import Store
from tests.tui.conftest import settle
from tui.account_screen import AccountScreen
from tui.app import RetainApp

NOON = datetime(2026, 11, 1, 12, tzinfo=UTC)


def test_account_pane_snapshot(snap_compare, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    account_id = demo_store.board_cards("adoption", 0, 1)[0].account_id

    async def open_pane(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.app.push_screen(AccountScreen(demo_store, account_id))
        await settle(pilot)

    with time_machine.travel(NOON, tick=False):
        assert snap_compare(RetainApp(demo_store), terminal_size=(140, 40), run_before=open_pane)
