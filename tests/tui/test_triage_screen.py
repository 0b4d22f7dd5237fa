"""The triage queue screen, driven through Textual's Pilot on a real book, time frozen."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from textual.app import App
from textual.message import Message
from textual.notifications import Notify
from textual.screen import Screen
from textual.widgets import DataTable
from typer.testing import CliRunner

from commands.main import app as cli_app
from store import Store
from store.demo import generate_demo
from store.health_history import RECORDED_ON
from store.models import Account, Interaction, Subscription, SurveyAnswer, Task, TaskStatus
from store.today import Scope
from tests.tui.conftest import settle
from tui.messages import BookChanged
from tui.today_dialogs import ChoiceDialog, SnoozeDialog, WhyDialog
from tui.triage_screen import TriageScreen
from tui.worker_errors import NotifyWorkerErrors

TODAY = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
EVIL = "[bold]x[/] \x1b[2J"


class TriageApp(NotifyWorkerErrors):
    """Just the triage screen, recording what it asks the app to do."""

    def __init__(self, store: Store, scope: Scope | None = None) -> None:
        super().__init__()
        self.store = store
        self.scope = scope
        self.logged: list[str] = []

    def get_default_screen(self) -> Screen[None]:
        return TriageScreen(self.store, self.scope)

    def on_triage_screen_log_interaction(self, message: TriageScreen.LogInteraction) -> None:
        self.logged.append(message.account_id)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _no_playbooks(no_playbooks: None) -> None:
    """The queue's own rules are under test here: no playbook opens tasks in these books."""


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
    _customer(store, "acme", "Acme Corp", owner="Maya Chen")
    store.add_task(Task(id="task-acme", account_id="acme", title="Send the renewal quote",
                        due_on=TODAY - timedelta(days=3)))
    _customer(store, "beta", "Beta GmbH", renewal_on=TODAY + timedelta(days=12), owner="Lee")
    _customer(store, "gamma", "Gamma Ltd", owner="Maya Chen")
    store.add_survey_answers([SurveyAnswer(id="nps-gamma", account_id="gamma", kind="nps",
                                           score=3, answered_at=_ago(1))])
    _customer(store, "evil", EVIL, renewal_on=TODAY + timedelta(days=5))
    return store


def _rows(app: App[None]) -> list[tuple[str, ...]]:
    table = app.screen.query_one(DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(n))  # type: ignore[misc]
            for n in range(table.row_count)]


def _names(app: App[None]) -> list[str]:
    return [row[3] for row in _rows(app)]


def _today(app: App[None]) -> TriageScreen:
    screen = app.screen_stack[0] if not isinstance(app.screen, TriageScreen) else app.screen
    assert isinstance(screen, TriageScreen)
    return screen


def _select(app: App[None], account_id: str) -> None:
    table = _today(app).query_one(DataTable)  # each account's row is keyed by its id
    table.move_cursor(row=table.get_row_index(account_id))


async def test_one_row_per_account_highest_score_first(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        rows = _rows(app)
        summary = str(app.screen.query_one("#triage-summary").render())
        counts = str(app.screen.query_one("#triage-counts").render()).replace("\xa0", " ")  # kept together on screen
    assert rows == [
        ("1", "148", "RENEWAL", "[bold]x[/] ␛[2J", "—",
         "renews in 5 days (2026-11-06), ARR $14.4k at stake", "$1.2k"),
        ("2", "108", "RENEWAL", "Beta GmbH", "Lee",
         "renews in 12 days (2026-11-13), ARR $14.4k at stake", "$1.2k"),
        ("3", "105", "DETRACTOR", "Gamma Ltd", "Maya Chen",
         "NPS 3 on 2026-10-31, nothing logged since", "$1.2k"),
        ("4", "43", "FOLLOW-UP", "Acme Corp", "Maya Chen",
         "follow-up overdue by 3 days: Send the renewal quote", "$1.2k"),
    ]
    assert "whole book" in summary and "4 accounts" in summary and "set `me`" in summary
    assert "renewal 2" in counts and "checking" not in counts


async def test_the_screen_and_retain_today_json_show_the_same_rows(
        book: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETAIN_USER", "Maya Chen")
    for args, scope in [((), None), (("--all",), Scope()), (("--owner", "lee"), Scope("lee"))]:
        result = CliRunner().invoke(cli_app, ["today", "--json", *args])
        assert result.exit_code == 0, result.output
        expected = [(row["account_id"], row["score"]) for row in json.loads(result.stdout)]
        app = TriageApp(book, scope)
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(pilot)
            shown = [(row.account_id, row.score) for row in _today(app).rows]
        assert shown == expected and shown
    assert [row[0] for row in expected] == ["beta"]  # the last: Lee's book


async def test_my_book_is_the_default_and_o_widens_it(
        book: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETAIN_USER", "Maya Chen")
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert _names(app) == ["Gamma Ltd", "Acme Corp"]
        assert "my book (Maya Chen)" in str(app.screen.query_one("#triage-summary").render())
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "enter")  # my book, whole book
        await settle(pilot)
        assert len(_names(app)) == 4
        await pilot.press("o", "down", "enter")  # from the whole book to Lee
        await settle(pilot)
        assert _names(app) == ["Beta GmbH"]


async def test_w_shows_the_terms_of_the_score(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        _select(app, "gamma")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WhyDialog)
        text = str(app.screen.query_one("#why-terms").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
    assert "detractor: 80 x urgency 0.74 = 59.3 (NPS 3 on 2026-10-31" in text
    assert "score: 59.3 x 1.77 = 105.0" in text


async def test_f_filters_by_reason_and_escape_clears(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")  # the first kind listed: renewal
        await pilot.pause()
        assert _names(app) == ["[bold]x[/] ␛[2J", "Beta GmbH"]
        assert "only renewal" in str(app.screen.query_one("#triage-summary").render())
        await pilot.press("escape")
        await pilot.pause()
        assert len(_names(app)) == 4


async def test_b_groups_by_strongest_reason_then_by_owner(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert _names(app) == ["RENEWAL · 2", "[bold]x[/] ␛[2J", "Beta GmbH",
                               "DETRACTOR · 1", "Gamma Ltd", "FOLLOW-UP · 1", "Acme Corp"]
        assert _today(app).selected_account_id == "evil"  # an account, not a heading
        await pilot.press("b")
        await pilot.pause()
        assert _names(app) == ["(no owner) · 1", "[bold]x[/] ␛[2J", "Lee · 1", "Beta GmbH",
                               "Maya Chen · 2", "Gamma Ltd", "Acme Corp"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(_names(app)) == 4


async def test_j_k_g_G_move_through_the_queue_as_on_the_board(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1 == 3
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_done_completes_the_task_and_the_row_goes(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        _select(app, "acme")
        await pilot.press("d")
        await settle(pilot)
        names = _names(app)
    assert book.find_task("task-acme").status == TaskStatus.DONE
    assert "Acme Corp" not in names


async def test_done_on_a_row_without_a_task_changes_nothing(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        _select(app, "beta")
        await pilot.press("d")
        await settle(pilot)
        assert len(_rows(app)) == 4
        assert _today(app).selected_account_id == "beta"


async def test_snooze_asks_how_long(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        _select(app, "beta")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SnoozeDialog)
        await pilot.press("down", "enter")  # 3 days
        await settle(pilot)
        assert "Beta GmbH" not in _names(app)
        assert "1 snoozed" in str(app.screen.query_one("#triage-summary").render())
        _select(app, "gamma")
        await pilot.press("s", "down", "down", "down", "enter")  # until a date…
        await pilot.pause()
        await pilot.press(*"yesterday", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SnoozeDialog)  # refused: not after today
        await pilot.press(*["backspace"] * 9, *"+2w", "enter")
        await settle(pilot)
        assert _names(app) == ["[bold]x[/] ␛[2J", "Acme Corp"]
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        assert "beta" in [row.account_id for row in book.today().rows]


async def test_enter_opens_and_i_logs_the_selected_account(book: Store) -> None:
    posted: list[Message] = []
    app = TriageApp(book)
    async with app.run_test(size=(140, 30), message_hook=posted.append) as pilot:
        await settle(pilot)
        _select(app, "gamma")
        await pilot.press("enter")
        await pilot.press("i")
        await pilot.pause()
    # The hook sees a message at each node it bubbles through: the screen, then the app.
    opened = {id(message): message.account_id for message in posted
              if isinstance(message, TriageScreen.OpenAccount)}
    assert list(opened.values()) == ["gamma"]
    assert app.logged == ["gamma"]


async def test_the_cursor_stays_on_the_same_account_after_a_reload(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        _select(app, "beta")
        book.add_task(Task(id="task-new", account_id="beta", title="Urgent",
                           due_on=TODAY - timedelta(days=20)))
        await pilot.press("r")
        await settle(pilot)
        assert _names(app)[0] == "Beta GmbH"  # the new overdue task lifts it first ...
        assert _today(app).selected_account_id == "beta"  # ... and the cursor followed


async def test_a_change_to_the_book_reloads_the_queue(book: Store) -> None:
    app = TriageApp(book)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        book.log_interaction(Interaction(id="reply", account_id="gamma", kind="call",
                                         occurred_at=NOW))
        app.screen.post_message(BookChanged())
        await settle(pilot)
        assert "Gamma Ltd" not in _names(app)


async def test_a_failed_write_is_a_notification(book: Store) -> None:
    app = TriageApp(book)
    notes: list[tuple[str, str]] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notes.append((message.notification.title, message.notification.message))

    async with app.run_test(size=(140, 30), message_hook=hook) as pilot:
        await settle(pilot)
        _select(app, "acme")
        with book.transaction() as conn:
            conn.execute("DELETE FROM tasks")
        await pilot.press("d")
        await settle(pilot)
    assert ("Could not change the book", "no task with id 'task-acme'") in notes


async def test_an_empty_queue_says_so(store: Store) -> None:
    app = TriageApp(store)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#triage-empty").display


# -- snapshot -----------------------------------------------------------------------------

@pytest.fixture
def demo_store(book_path: Path) -> Iterator[Store]:
    """A 120-account demo book, seed 11, as of 2026-11-01, opened at noon that day."""
    store = Store.open(book_path)
    generate_demo(store, accounts=120, seed=11, as_of=TODAY)
    yield store
    store.close()


def test_today_snapshot_at_140_columns(snap_compare, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(TriageApp(demo_store), terminal_size=(140, 36), run_before=settle)


def test_today_snapshot_at_100_columns(snap_compare, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(TriageApp(demo_store), terminal_size=(100, 30), run_before=settle)


async def test_the_cursor_stays_on_the_first_row_when_health_rows_arrive(store: Store) -> None:
    _customer(store, "quiet", "Quiet Co", renewal_on=TODAY + timedelta(days=20))
    _customer(store, "fell", "Fell Co")
    with store.transaction() as conn:
        conn.executemany("INSERT INTO health_history VALUES (?, ?, ?)",
                         [("fell", (TODAY - timedelta(days=20)).isoformat(), 95.0),
                          ("fell", (TODAY - timedelta(days=1)).isoformat(), 40.0)])
    store.set_setting(RECORDED_ON, TODAY.isoformat())  # today's scores are recorded already
    app = TriageApp(store)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert _names(app)[0] == "Fell Co"  # the drop ranks it first once health is read
        assert _today(app).selected_account_id == "fell"
