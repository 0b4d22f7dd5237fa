"""The triage queue screen, driven through Textual's Pilot on a real book, time frozen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable

from store import Store
from store.demo import generate_demo
from store.models import Account, Interaction, Subscription, SurveyAnswer, Task, TaskStatus
from tui.messages import BookChanged
from tui.triage_screen import TriageScreen, row_key
from tui.worker_errors import NotifyWorkerErrors

TODAY = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
EVIL = "[bold]x[/] \x1b[2J"


class TriageApp(NotifyWorkerErrors):
    """Just the triage screen, recording what it asks the app to do."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.logged: list[str] = []

    def get_default_screen(self) -> Screen[None]:
        return TriageScreen(self.store)

    def on_triage_screen_log_interaction(self, message: TriageScreen.LogInteraction) -> None:
        self.logged.append(message.account_id)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _ago(days: int) -> datetime:
    day = TODAY - timedelta(days=days)
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _customer(store: Store, key: str, name: str, **fields: object) -> None:
    store.add_account(Account(id=key, name=name, stage="adoption", stage_entered_at=_ago(300),
                              **fields))
    store.add(Subscription(id=f"sub-{key}", account_id=key, mrr_cents=120_000,
                           started_on=TODAY - timedelta(days=300)))
    store.add(Interaction(id=f"call-{key}", account_id=key, kind="call", occurred_at=_ago(2)))


@pytest.fixture
def book(store: Store) -> Store:
    """Four customers: an overdue follow-up, a renewal, a detractor, and a hostile name."""
    _customer(store, "acme", "Acme Corp")
    store.add_task(Task(id="task-acme", account_id="acme", title="Send the renewal quote",
                        due_on=TODAY - timedelta(days=3)))
    _customer(store, "beta", "Beta GmbH", renewal_on=TODAY + timedelta(days=12))
    _customer(store, "gamma", "Gamma Ltd")
    store.add_survey_answers([SurveyAnswer(id="nps-gamma", account_id="gamma", kind="nps",
                                           score=3, answered_at=_ago(1))])
    _customer(store, "evil", EVIL, renewal_on=TODAY + timedelta(days=5))
    return store


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _rows(app: App[None]) -> list[tuple[str, str, str]]:
    table = app.screen.query_one(DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(n))[:3]  # type: ignore[misc]
            for n in range(table.row_count)]


def _select(app: App[None], key: str) -> None:
    screen = app.screen
    assert isinstance(screen, TriageScreen)
    keys = [row_key(item) for item in screen._shown]
    screen.query_one(DataTable).move_cursor(row=keys.index(key))


async def test_the_queue_lists_each_reason_most_urgent_first(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await _settled(pilot)
        rows = _rows(app)
        summary = str(app.screen.query_one("#triage-summary").render())
    assert rows == [
        ("FOLLOW-UP", "Acme Corp", "follow-up overdue by 3 days: Send the renewal quote"),
        ("DETRACTOR", "Gamma Ltd", "NPS 3 on 2026-10-31, nothing logged since"),
        ("RENEWAL", "[bold]x[/] ␛[2J", "renews in 5 days (2026-11-06)"),
        ("RENEWAL", "Beta GmbH", "renews in 12 days (2026-11-13)"),
    ]
    assert "4 to look at" in summary and "renewals 2" in summary
    assert "checking" not in summary


async def test_j_k_g_G_move_through_the_queue_as_on_the_board(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await _settled(pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1 == 3
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_done_completes_the_follow_up_and_the_row_goes(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await _settled(pilot)
        _select(app, "follow_up:acme:task-acme")
        await pilot.press("d")
        await _settled(pilot)
        names = [row[1] for row in _rows(app)]
        selected = app.screen.selected  # type: ignore[attr-defined]
    task = book.find_task("task-acme")
    assert task.status == TaskStatus.DONE
    assert "Acme Corp" not in names
    assert selected is not None and selected.account_id == "gamma"  # the next row


async def test_done_on_another_row_changes_nothing(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await _settled(pilot)
        _select(app, "renewal:beta:")
        await pilot.press("d")
        await _settled(pilot)
        assert len(_rows(app)) == 4
        assert app.screen.selected.account_id == "beta"  # type: ignore[attr-defined]


async def test_snooze_moves_a_follow_up_to_tomorrow_and_hides_other_rows(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await _settled(pilot)
        _select(app, "follow_up:acme:task-acme")
        await pilot.press("s")
        await _settled(pilot)
        assert book.find_task("task-acme").due_on == TODAY + timedelta(days=1)
        assert "Acme Corp" not in [row[1] for row in _rows(app)]
        _select(app, "renewal:beta:")
        await pilot.press("s")
        await _settled(pilot)
        assert "Beta GmbH" not in [row[1] for row in _rows(app)]
        await pilot.press("r")  # a reload keeps it hidden for the rest of the day
        await _settled(pilot)
        assert [row[1] for row in _rows(app)] == ["Gamma Ltd", "[bold]x[/] ␛[2J"]


async def test_enter_opens_and_i_logs_the_selected_account(book: Store) -> None:
    posted: list[Message] = []
    app = TriageApp(book)
    async with app.run_test(size=(140, 30), message_hook=posted.append) as pilot:
        await _settled(pilot)
        _select(app, "detractor:gamma:")
        await pilot.press("enter")
        await pilot.press("i")
        await pilot.pause()
    # The hook sees a message at each node it bubbles through: the screen, then the app.
    opened = {id(message): message.account_id for message in posted
              if isinstance(message, TriageScreen.OpenAccount)}
    assert list(opened.values()) == ["gamma"]
    assert app.logged == ["gamma"]


async def test_the_cursor_stays_on_the_same_row_after_a_reload(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await _settled(pilot)
        _select(app, "renewal:beta:")
        book.add_task(Task(id="task-new", account_id="beta", title="Urgent",
                           due_on=TODAY - timedelta(days=9)))
        await pilot.press("r")
        await _settled(pilot)
        assert _rows(app)[0][1] == "Beta GmbH"  # the new overdue task is first ...
        assert row_key(app.screen.selected) == "renewal:beta:"  # type: ignore[attr-defined]


async def test_a_change_to_the_book_reloads_the_queue(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await _settled(pilot)
        book.add_task(Task(id="task-beta", account_id="beta", title="Chase the PO",
                           due_on=TODAY))
        app.screen.post_message(BookChanged())
        await _settled(pilot)
        assert "follow_up:beta:task-beta" in [row_key(item) for item in app.screen._shown]  # type: ignore[attr-defined]
        assert app.screen.selected_account_id == "acme"  # type: ignore[attr-defined]


async def test_a_failed_write_is_a_notification(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await _settled(pilot)
        _select(app, "follow_up:acme:task-acme")
        with book.transaction() as conn:
            conn.execute("DELETE FROM tasks")
        await pilot.press("d")
        await _settled(pilot)
        notes = [(note.title, note.message) for note in app._notifications]
    assert ("Could not update the task", "no task with id 'task-acme'") in notes


async def test_an_empty_queue_says_so(store: Store) -> None:
    app = TriageApp(store)
    async with app.run_test(size=(100, 20)) as pilot:
        await _settled(pilot)
        assert app.screen.query_one("#triage-empty").display


# -- snapshot -----------------------------------------------------------------------------

@pytest.fixture
def demo_store(book_path: Path) -> Iterator[Store]:
    """A 120-account demo book, seed 11, as of 2026-11-01, opened at noon that day."""
    store = Store.open(book_path)
    generate_demo(store, accounts=120, seed=11, as_of=TODAY)
    yield store
    store.close()


def test_triage_snapshot(snap_compare, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(TriageApp(demo_store), terminal_size=(140, 36), run_before=_settled)
