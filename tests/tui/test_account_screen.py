"""The account pane, driven through Textual's Pilot on a small hand-built book."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine
from textual.widgets import DataTable, Sparkline, Static, TabbedContent

from store import Store
from store.display import visible
from store.kpis.health import score_text
from store.models import Account, Contact, Interaction, Subscription, SurveyAnswer, Task
from tui.account_screen import TIMELINE_LIMIT, AccountScreen
from tui.app import RetainApp
from tui.board_screen import BoardScreen

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
HOSTILE = "[bold]x[/] [link=http://x]y \x1b[2J \u202eevil"
"""Markup, an escape sequence and a bidi override: all must show literally, none may act."""


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    """Every test runs at noon UTC on 2026-06-15."""
    with time_machine.travel(NOW, tick=False):
        yield


def _at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def _book(store: Store) -> None:
    """One account with a bit of everything; `acme` is in adoption since 2026-03-01."""
    store.add_account(Account(
        id="acme", name="Acme Rockets", stage="activation", owner="Dana Scully",
        segment="Mid-market", plan="[link=http://x]y", renewal_on=date(2026, 7, 15),
        stage_entered_at=_at(1, 1, 9),
    ))
    store.move_stage("acme", "adoption", reason="Core workflows live", at=_at(3, 1))
    store.add(Subscription(id="sub-1", account_id="acme", plan="Growth", mrr_cents=150_000,
                           started_on=date(2026, 1, 1)))
    store.add(Subscription(id="sub-2", account_id="acme", plan="Add-on", mrr_cents=50_000,
                           started_on=date(2026, 4, 1)))
    store.add(Contact(id="c-1", account_id="acme", name="[bold]Eve[/] \u202e", is_primary=True,
                      email="eve@acme.test"))
    store.log_interaction(Interaction(id="i-1", account_id="acme", kind="email",
                                      occurred_at=_at(2, 1), summary="Kick-off notes"))
    store.log_interaction(Interaction(id="i-2", account_id="acme", kind="call",
                                      occurred_at=_at(6, 10), summary=HOSTILE))
    store.add_survey_answers([
        SurveyAnswer(id="s-1", account_id="acme", kind="nps", score=4, answered_at=_at(1, 15)),
        SurveyAnswer(id="s-2", account_id="acme", kind="nps", score=9, answered_at=_at(5, 20),
                     comment="Love it"),
    ])
    store.add_task(Task(id="task-overdue-1", account_id="acme", title="Send the QBR deck",
                        due_on=date(2026, 6, 1)))
    store.add_task(Task(id="task-later-2", account_id="acme", title="Renewal call",
                        due_on=date(2026, 7, 1)))


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open(pilot, store: Store, account_id: str = "acme") -> AccountScreen:  # type: ignore[no-untyped-def]
    await _settled(pilot)
    screen = AccountScreen(store, account_id)
    await pilot.app.push_screen(screen)
    await _settled(pilot)
    assert pilot.app.screen is screen
    return screen


def _text(screen: AccountScreen, widget_id: str) -> str:
    return str(screen.query_one(f"#{widget_id}", Static).render())


def _rows(screen: AccountScreen, table_id: str) -> list[list[str]]:
    table = screen.query_one(f"#{table_id}", DataTable)
    return [[cell.plain for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_the_facts_show_stage_mrr_renewal_nps_and_health(store: Store) -> None:
    _book(store)
    health = store.health("acme")
    async with RetainApp(store).run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, store)
        facts = _text(screen, "facts-summary")
        health_text = _text(screen, "facts-health")
    assert "Acme Rockets  acme" in facts
    assert "Adoption · 106 days in stage" in facts
    assert "Dana Scully" in facts and "Mid-market" in facts
    assert "$2,000/mo" in facts
    assert "2026-07-15 · in 30 days" in facts
    assert "9 promoter · 2026-05-20" in facts  # the latest answer, not the lowest
    assert health.score is not None
    assert f"Health {score_text(health.score)} {health.band}" in health_text
    for component in health.components:
        assert component.label in health_text
        assert component.reason[:40] in health_text


async def test_the_timeline_merges_the_four_kinds_newest_first(store: Store) -> None:
    _book(store)
    async with RetainApp(store).run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, store)
        rows = _rows(screen, "timeline-table")
        note = _text(screen, "timeline-note")
    assert [(row[0], row[1]) for row in rows] == [
        ("2026-06-10 10:00", "interaction"),
        ("2026-05-20 10:00", "survey"),
        ("2026-04-01", "billing"),
        ("2026-03-01 10:00", "stage"),
        ("2026-02-01 10:00", "interaction"),
        ("2026-01-15 10:00", "survey"),
        ("2026-01-01 09:00", "stage"),
        ("2026-01-01", "billing"),
    ]
    assert rows[1][2:] == ["NPS 9", "Love it"]
    assert rows[3][2:] == ["activation → adoption", "Core workflows live"]
    assert rows[2][2] == "started Add-on" and rows[2][3].startswith("$500/mo")
    assert note == "8 events, newest first"


async def test_a_long_timeline_is_capped_with_a_note(store: Store) -> None:
    store.add_account(Account(id="busy", name="Busy", stage="adoption"))
    store.insert_many(Interaction, [
        (f"n-{n:04d}", "busy", "note", f"2026-05-{1 + n % 28:02d}T10:{n % 60:02d}:00Z", None,
         None, f"note {n}", None, None, None, "2026-06-01T00:00:00Z")
        for n in range(TIMELINE_LIMIT + 20)
    ])
    async with RetainApp(store).run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, store, "busy")
        assert screen.query_one("#timeline-table", DataTable).row_count == TIMELINE_LIMIT
        assert _text(screen, "timeline-note") == (
            f"showing the {TIMELINE_LIMIT} newest of {TIMELINE_LIMIT + 21} events"
        )


async def test_keys_1_to_5_switch_tabs_and_focus_their_table(store: Store) -> None:
    _book(store)
    async with RetainApp(store).run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, store)
        tabs = screen.query_one(TabbedContent)
        assert tabs.active == "tab-timeline"
        assert screen.focused is screen.query_one("#timeline-table")
        for key, name in [("2", "contacts"), ("3", "billing"), ("4", "usage"), ("5", "tasks"),
                          ("1", "timeline")]:
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == f"tab-{name}"
            assert screen.focused is screen.query_one(f"#{name}-table")


async def test_billing_usage_and_tasks_tabs(store: Store) -> None:
    _book(store)
    async with RetainApp(store).run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, store)
        await pilot.press("3")
        await pilot.pause()
        billing = _rows(screen, "billing-table")
        sparkline = screen.query_one("#mrr-sparkline", Sparkline)
        mrr_note = _text(screen, "mrr-note")
        tasks = _rows(screen, "tasks-table")
        tasks_note = _text(screen, "tasks-note")
        usage_note = _text(screen, "usage-note")
    assert [row[0] for row in billing] == ["Add-on", "Growth"]
    assert list(sparkline.data or []) == [150_000, 150_000, 150_000, 200_000, 200_000, 200_000]
    assert "2026-01 → 2026-06" in mrr_note and "min $1.5k · max $2.0k" in mrr_note
    assert [row[:3] for row in tasks] == [
        ["2026-06-01", "! overdue 14d", "Send the QBR deck"],
        ["2026-07-01", "in 16 days", "Renewal call"],
    ]
    assert "2 open tasks · 1 overdue" in tasks_note
    assert usage_note == "No usage recorded."


async def test_hostile_text_is_shown_literally(store: Store) -> None:
    _book(store)
    async with RetainApp(store).run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, store)
        note_row = _rows(screen, "timeline-table")[0]
        table = screen.query_one("#timeline-table", DataTable)
        drawn = "".join(table.render_line(y).text for y in range(3))
        facts = _text(screen, "facts-summary")
        await pilot.press("2")
        await pilot.pause()
        contact_row = _rows(screen, "contacts-table")[0]
    literal = "[bold]x[/] [link=http://x]y ␛[2J <U+202E>evil"
    assert note_row[3] == literal
    assert "[bold]x[/] [link=http://x]y ␛[2J" in drawn
    assert "\x1b" not in drawn and "\u202e" not in drawn
    assert "Plan     [link=http://x]y" in facts
    assert contact_row[:2] == ["★", "[bold]Eve[/] <U+202E>"]


async def test_escape_goes_back_to_the_board_and_q_quits(store: Store) -> None:
    _book(store)
    app = RetainApp(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(pilot, store)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        await _open(pilot, store)
        await pilot.press("q")  # quits, as on every screen (README)
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_refresh_data_shows_a_write_made_after_opening(store: Store) -> None:
    _book(store)
    async with RetainApp(store).run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, store)
        store.log_interaction(Interaction(id="i-3", account_id="acme", kind="meeting",
                                          occurred_at=_at(6, 14), summary="Renewal agreed"))
        await pilot.press("r")
        await _settled(pilot)
        first = _rows(screen, "timeline-table")[0]
    assert first[2:] == ["meeting", "Renewal agreed"]


async def test_an_unknown_account_says_so_and_does_not_crash(store: Store) -> None:
    app = RetainApp(store)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, store, "[bold]nope")
        assert "Could not read this account" in _text(screen, "facts-summary")
        assert "[bold]nope" in _text(screen, "facts-summary")
        assert app.is_running


async def test_a_commit_elsewhere_refreshes_the_pane_without_looping(store: Store) -> None:
    _book(store)
    other = Store.open(store.path)
    async with RetainApp(store).run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, store)
        assert screen.selected_account_id == "acme"
        loads = screen._loads
        other.log_interaction(Interaction(id="i-4", account_id="acme", kind="note",
                                          occurred_at=_at(6, 15, 11), summary="From the CLI"))
        for _ in range(30):  # the app checks PRAGMA data_version every second
            await pilot.pause(0.1)
            if screen._loads > loads:
                break
        await _settled(pilot)
        assert _rows(screen, "timeline-table")[0][3] == "From the CLI"
        settled_loads = screen._loads
        await pilot.pause(2.5)  # reading the pane must not itself look like a change
        await _settled(pilot)
        assert screen._loads == settled_loads
    other.close()


async def test_deals_and_payments_tabs(store: Store) -> None:
    from store.models import Deal, Payment

    _book(store)
    store.add(Deal(id="d-1", account_id="acme", name="Acme renewal", stage="Negotiation",
                   status="open", amount_cents=400_000, close_on=date(2026, 8, 1)))
    store.add(Deal(id="d-2", account_id="acme", name=HOSTILE, stage="Closed Won", status="won",
                   amount_cents=1_800_000, created_on=date(2025, 12, 1),
                   close_on=date(2026, 1, 1)))
    store.add(Payment(id="p-1", account_id="acme", amount_cents=150_000, status="paid",
                      attempted_at=_at(5, 1), invoice_id="INV-5"))
    store.add(Payment(id="p-2", account_id="acme", amount_cents=150_000, status="failed",
                      attempted_at=_at(6, 1), invoice_id="INV-6"))
    async with RetainApp(store).run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, store)
        await pilot.press("6")
        await pilot.pause()
        tabs = screen.query_one(TabbedContent)
        assert tabs.active == "tab-deals" and screen.focused is screen.query_one("#deals-table")
        deals = _rows(screen, "deals-table")
        deals_note = _text(screen, "deals-note")
        await pilot.press("7")
        await pilot.pause()
        assert tabs.active == "tab-payments"
        payments = _rows(screen, "payments-table")
        payments_note = _text(screen, "payments-note")
    assert [row[:4] for row in deals] == [
        ["Acme renewal", "Negotiation", "open", "$4,000"],
        [visible(HOSTILE), "Closed Won", "won", "$18,000"],
    ]
    assert deals_note == "2 deals · 1 open worth $4,000 · 1 won $18,000, open first"
    assert [row[:3] for row in payments] == [["2026-06-01", "failed", "$1,500"],
                                             ["2026-05-01", "paid", "$1,500"]]
    assert "not recovered: the failed payment of 2026-06-01" in payments_note
