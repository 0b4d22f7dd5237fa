"""The account pane's notes: the whole of a long note on Enter, health reasons in full, an
interaction corrected or deleted (with undo), and plan changes read as upgrades/downgrades."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.widgets import DataTable, Select, Static, TextArea

from store import Store
from store.errors import NotFound
from store.models import Account, Interaction, Subscription
from tui.account_screen import AccountScreen
from tui.app import RetainApp
from tui.confirm_dialog import ConfirmDialog
from tui.detail_screen import DetailScreen
from tui.forms.edit_interaction_form import EditInteractionForm

LONG = ("Walked through the renewal with the CFO; they want the SSO add-on priced before "
        "signing, and legal has questions about the data processing addendum. [bold]Next[/]: "
        "send the DPA redline and a quote by Friday. The end of this note is FAR-RIGHT-WORD.")


@pytest.fixture
def book(store: Store) -> Store:
    """One account with a long hand-logged call, an imported ticket and a plan change."""
    store.add_account(Account(id="acme", name="Acme Rockets", stage="adoption"))
    store.add(Subscription(id="sub-1", account_id="acme", plan="Growth", mrr_cents=370_500,
                           started_on=date(2025, 1, 1), ended_on=date(2026, 2, 1),
                           status="cancelled"))
    store.add(Subscription(id="sub-2", account_id="acme", plan="Scale", mrr_cents=410_000,
                           started_on=date(2026, 2, 1)))
    store.log_interaction(Interaction(
        id="i-call", account_id="acme", kind="call", source="tui", summary=LONG,
        occurred_at=datetime(2026, 3, 2, 10, tzinfo=UTC), follow_up_on=date(2026, 3, 9)))
    store.log_interaction(Interaction(
        id="i-ticket", account_id="acme", kind="ticket", source="zendesk", summary="Login bug",
        occurred_at=datetime(2026, 3, 1, 10, tzinfo=UTC)))
    return store


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _pane(pilot, store: Store) -> AccountScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_account("acme")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AccountScreen)
    return pilot.app.screen


def _select_row(screen: AccountScreen, ref: str) -> None:
    rows = [entry.ref for entry in screen.snapshot.timeline]
    screen.query_one("#timeline-table", DataTable).move_cursor(row=rows.index(ref))


def _timeline(screen: AccountScreen) -> list[tuple[str, str]]:
    return [(entry.title, entry.detail) for entry in screen.snapshot.timeline]


async def test_enter_on_a_timeline_row_shows_the_whole_note(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await _pane(pilot, book)
        _select_row(pane, "i-call")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        body = app.screen.query_one("#detail-body", Static)
        shown = str(body.render())
        height = body.size.height
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is pane
    assert "FAR-RIGHT-WORD" in shown and "[bold]Next[/]" in shown  # whole, and literal
    assert height >= 3  # wrapped over several lines


async def test_h_shows_every_health_reason_whole(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await _pane(pilot, book)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        shown = str(app.screen.query_one("#detail-body", Static).render())
    for component in pane.snapshot.health.components:
        assert component.reason in shown


async def test_e_edits_a_logged_interaction_in_place(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _pane(pilot, book)
        _select_row(pane, "i-call")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditInteractionForm)
        assert form.query_one("#summary", TextArea).text == LONG
        form.query_one("#summary", TextArea).text = "Renewal call: DPA redline by Friday"
        form.query_one("#kind", Select).value = "meeting"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is pane
        titles = _timeline(pane)
    edited = book.get_interaction("i-call")
    assert (edited.kind.value, edited.summary) == ("meeting", "Renewal call: DPA redline by Friday")
    assert edited.occurred_at == datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert [task.interaction_id for task in book.tasks("acme")] == ["i-call"]  # follow-up kept
    assert any(title.startswith("meeting") and "DPA redline" in detail
               for title, detail in titles)


async def test_D_deletes_after_asking_and_u_brings_it_back(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _pane(pilot, book)
        count = len(pane.snapshot.timeline)
        _select_row(pane, "i-call")
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # no: nothing deleted
        await settle(pilot)
        assert book.get_interaction("i-call").summary == LONG
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is pane
        with pytest.raises(NotFound):
            book.get_interaction("i-call")
        after_delete = len(pane.snapshot.timeline)
        assert "call" not in [entry.title.split()[0] for entry in pane.snapshot.timeline]
        await pilot.press("u")
        await settle(pilot)
        after_undo = len(pane.snapshot.timeline)
    assert (after_delete, after_undo) == (count - 1, count)
    assert book.get_interaction("i-call").summary == LONG
    [task] = book.tasks("acme")
    assert task.interaction_id == "i-call"


async def test_an_imported_interaction_is_not_edited_here(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _pane(pilot, book)
        _select_row(pane, "i-ticket")
        await pilot.press("D")
        await settle(pilot)
        assert app.screen is pane
    assert book.get_interaction("i-ticket").summary == "Login bug"


async def test_a_plan_change_reads_as_an_upgrade_with_the_mrr_delta(book: Store) -> None:
    titles = [(entry.title, entry.detail) for entry in book.timeline("acme")
              if entry.kind == "subscription"]
    assert titles == [
        ("upgraded Growth → Scale", "$3,705/mo → $4,100/mo, +$395/mo"),
        ("started Growth", "$3,705/mo, cancelled"),
    ]


def test_a_lower_price_on_the_same_plan_is_a_downgrade(store: Store) -> None:
    store.add_account(Account(id="b", name="B", stage="adoption"))
    store.add(Subscription(id="s1", account_id="b", plan="Pro", mrr_cents=193_500,
                           started_on=date(2025, 1, 1), ended_on=date(2025, 12, 4),
                           status="cancelled"))
    store.add(Subscription(id="s2", account_id="b", plan="Pro", mrr_cents=162_000,
                           started_on=date(2025, 12, 4)))
    [change, _start] = [entry for entry in store.timeline("b") if entry.kind == "subscription"]
    assert (change.title, change.detail) == ("downgraded Pro", "$1,935/mo → $1,620/mo, −$315/mo")
