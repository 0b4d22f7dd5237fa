"""One reload per write, outside writes still refresh, and failed workers become notifications."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot

from store import Store
from store.models import Account, Subscription
from tui.app import RetainApp
from tui.card_list import CardList
from tui.messages import BoardLoaded


def _book(store: Store) -> None:
    with store.transaction():
        for n in range(3):
            store.add_account(Account(id=f"acme-{n}", name=f"Acme {n}", stage="adoption"))
            store.add(Subscription(id=f"sub-{n}", account_id=f"acme-{n}", mrr_cents=1000 * (n + 1),
                                   started_on=date(2025, 1, 1)))


class Recorder:
    """Every message the app's nodes handle, for counting board loads and notifications."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        if not any(message is seen for seen in self.messages):  # bubbling shows it again
            self.messages.append(message)

    def count(self, kind: type[Message]) -> int:
        return sum(isinstance(message, kind) for message in self.messages)

    def notifications(self) -> list[tuple[str, str]]:
        return [(m.notification.title, m.notification.message)
                for m in self.messages if isinstance(m, Notify)]


async def _settled(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_one_board_move_reloads_the_board_once(store: Store) -> None:
    _book(store)
    app, seen = RetainApp(store), Recorder()
    async with app.run_test(size=(160, 40), message_hook=seen) as pilot:
        await _settled(pilot)
        before = seen.count(BoardLoaded)
        await pilot.press("greater_than_sign")  # the selected card to the next stage
        await _settled(pilot)
        app.check_for_outside_writes()  # what the one-second timer does: its own commit
        await _settled(pilot)
        assert seen.count(BoardLoaded) - before == 1
        assert store.get_account("acme-2").stage == "retention"


async def test_an_outside_write_reloads_the_board_within_a_second(
    store: Store, book_path: Path
) -> None:
    _book(store)
    app, seen = RetainApp(store), Recorder()
    async with app.run_test(size=(160, 40), message_hook=seen) as pilot:
        await _settled(pilot)
        before = seen.count(BoardLoaded)
        with Store.open(book_path) as other:  # another process: `retain stage` from a shell
            other.move_stage("acme-0", "retention", reason="by hand")
        deadline = time.monotonic() + 3
        while seen.count(BoardLoaded) == before and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert seen.count(BoardLoaded) == before + 1
        await _settled(pilot)
        retention = app.screen.query_one("#cards-retention", CardList)
        assert retention.total == 1
        assert retention.card_at(0).name == "Acme 0"  # type: ignore[union-attr]


async def test_a_failed_write_is_a_notification_titled_by_what_failed(book_path: Path) -> None:
    with Store.open(book_path) as setup:
        _book(setup)
    store = Store.open(book_path, busy_timeout=0.2)
    holder = sqlite3.connect(book_path)
    app, seen = RetainApp(store), Recorder()
    try:
        async with app.run_test(size=(160, 40), message_hook=seen) as pilot:
            await _settled(pilot)
            holder.execute("BEGIN IMMEDIATE")  # a long import holds the write lock
            await pilot.press("greater_than_sign")
            note = ("Could not move the account", f"{book_path}: another process is writing "
                    "(an import?) and kept the database locked past the timeout; nothing was "
                    "written, try again when it finishes")
            deadline = time.monotonic() + 5
            while note not in seen.notifications() and time.monotonic() < deadline:
                await pilot.pause(0.05)
            assert note in seen.notifications()
            assert app.is_running  # the app goes on
    finally:
        holder.rollback()
        holder.close()
        store.close()
