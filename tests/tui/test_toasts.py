"""A toast for every write made from the board (task added, logged, moved) and day fields whose
example date is counted from today."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from textual.widgets import Input
from textual.widgets._toast import Toast

from store import Store
from store.models import Account, Subscription
from tui.app import RetainApp
from tui.forms.task_form import TaskForm

NOW = datetime(2026, 3, 10, 9, tzinfo=UTC)


@pytest.fixture
def book(store: Store) -> Store:
    with time_machine.travel(datetime(2026, 1, 5, tzinfo=UTC), tick=False):
        store.add_account(Account(id="acme", name="Acme Corp", stage="adoption"))
        store.add(Subscription(id="s1", account_id="acme", mrr_cents=50_000,
                               started_on=date(2025, 6, 1)))
    return store


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def toasts(app: RetainApp) -> list[str]:
    """The text of the toasts on screen."""
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def _until(pilot, condition) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if condition():
            return
        await settle(pilot)
    raise AssertionError("never happened")


async def test_adding_a_task_says_so_and_its_due_hint_counts_from_today(book: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(book)
        async with app.run_test(size=(140, 40), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, TaskForm)
            placeholder = form.query_one("#due", Input).placeholder
            await pilot.press(*"Send the deck", "tab", *"+3d")
            await pilot.press("ctrl+s")
            await _until(pilot, lambda: any("Task added" in text for text in toasts(app)))
            shown = toasts(app)
    assert placeholder.startswith("2026-03-17, tomorrow")
    assert any("Task added: Send the deck, due Fri 13 Mar" in text for text in shown)


async def test_a_move_and_its_undo_each_say_so(book: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        app = RetainApp(book)
        async with app.run_test(size=(140, 40), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("greater_than_sign")
            await _until(pilot, lambda: any("adoption → retention" in t for t in toasts(app)))
            await pilot.press("u")
            await _until(pilot, lambda: any("Undone" in t for t in toasts(app)))
    assert book.get_account("acme").stage == "adoption"
