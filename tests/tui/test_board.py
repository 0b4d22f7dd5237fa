"""The stage board, driven through Textual's Pilot on a real book."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import time_machine

from store import Store
from store.models import Account, Subscription
from tui.app import RetainApp
from tui.board_screen import BoardScreen
from tui.card_list import CardList
from tui.stage_column import StageColumn

pytestmark = pytest.mark.asyncio


def _book(store: Store, per_stage: dict[str, int]) -> None:
    with store.transaction():
        for stage, count in per_stage.items():
            for n in range(count):
                key = f"{stage}-{n:04d}"
                with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=False):
                    store.add_account(Account(id=key, name=f"{stage.title()} Co {n}", stage=stage))
                store.add(Subscription(id=f"sub-{key}", account_id=key, mrr_cents=(n + 1) * 1000,
                                       started_on=date(2025, 1, 1)))


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_board_shows_a_column_per_stage_and_quits_on_q(store: Store) -> None:
    _book(store, {"awareness": 2, "adoption": 3, "churned": 1})
    app = RetainApp(store)
    async with app.run_test(size=(200, 40)) as pilot:
        await _settled(pilot)
        lists = app.screen.query(CardList)
        assert [card_list.id for card_list in lists] == [
            f"cards-{key}" for key in store.lifecycle().keys
        ]
        assert {card_list.id: card_list.total for card_list in lists}["cards-adoption"] == 3
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.selected_card.name == "Awareness Co 1"  # highest MRR first
        await pilot.press("q")
    assert app.return_code == 0


async def test_arrows_and_hjkl_move_between_cards_and_columns(store: Store) -> None:
    _book(store, {"awareness": 2, "consideration": 4})
    app = RetainApp(store)
    async with app.run_test(size=(200, 40)) as pilot:
        await _settled(pilot)
        screen = app.screen
        await pilot.press("l", "j", "down")
        assert screen.focused.id == "cards-consideration"
        assert screen.query_one("#stage-consideration").has_class("-focused")
        assert not screen.query_one("#stage-awareness").has_class("-focused")
        assert screen.selected_card.name == "Consideration Co 1"
        await pilot.press("k")
        assert screen.selected_card.name == "Consideration Co 2"
        await pilot.press("left")
        assert screen.focused.id == "cards-awareness"
        await pilot.press("h")  # already the first column: stays
        assert screen.focused.id == "cards-awareness"


async def test_cards_show_name_mrr_and_days_in_stage_and_z_zooms_a_column(store: Store) -> None:
    _book(store, {"adoption": 1})
    with time_machine.travel(datetime(2026, 1, 31, 12, tzinfo=UTC), tick=False):
        app = RetainApp(store)
        async with app.run_test(size=(200, 40)) as pilot:
            await _settled(pilot)
            card_list = app.screen.query_one("#cards-adoption", CardList)
            compact = [card_list.render_line(y).text for y in range(2)]
            await pilot.press("z")
            await _settled(pilot)
            zoomed = [card_list.render_line(y).text for y in range(2)]
            others = [column for column in app.screen.query(StageColumn) if column.display]
            zoomed_width = card_list.size.width
            await pilot.press("z")
            await _settled(pilot)
            after = [column for column in app.screen.query(StageColumn) if column.display]
    assert "Adoption Co 0" in compact[0]
    assert "$10/mo" in compact[1] and "30d" in compact[1] and "in stage" not in compact[1]
    assert "$10/mo" in zoomed[1] and "30d in stage" in zoomed[1]
    assert [column.id for column in others] == ["stage-adoption"]
    assert zoomed_width > 150
    assert len(after) == len(store.lifecycle().keys)


async def test_a_long_column_loads_pages_as_the_cursor_goes_down(store: Store) -> None:
    _book(store, {"awareness": 350})
    app = RetainApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settled(pilot)
        card_list = app.screen.focused
        assert isinstance(card_list, CardList) and len(card_list._pages) == 1
        await pilot.press("end")
        await _settled(pilot)
        assert card_list.cursor == 349
        assert app.screen.selected_card.name == "Awareness Co 0"  # lowest MRR is last
        assert len(card_list._pages) <= 2  # only the pages drawn were fetched


async def test_user_text_is_shown_literally(store: Store) -> None:
    store.add_account(Account(id="x", name="[bold red]Evil[/] \x1b[2J", stage="awareness"))
    app = RetainApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await _settled(pilot)
        await pilot.press("z")  # the whole name, on one column at full width
        await _settled(pilot)
        line = app.screen.query_one("#cards-awareness", CardList).render_line(0).text
    assert "[bold red]Evil[/] ␛[2J" in line


async def test_an_empty_book_says_how_to_fill_it(store: Store) -> None:
    app = RetainApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await _settled(pilot)
        status = str(app.screen.query_one("#board-status").render())
    assert "retain demo" in status


async def _wait_writes(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await _settled(pilot)


async def test_moving_a_card_to_the_next_stage_and_undoing_it(store: Store) -> None:
    _book(store, {"awareness": 2, "consideration": 1})
    app = RetainApp(store)
    async with app.run_test(size=(200, 40)) as pilot:
        await _settled(pilot)
        screen = app.screen
        assert screen.selected_card.name == "Awareness Co 1"
        await pilot.press("greater_than_sign")
        await _wait_writes(pilot)
        assert store.get_account("awareness-0001").stage == "consideration"
        assert screen.focused.id == "cards-consideration"  # the cursor follows the card
        assert screen.selected_card.account_id == "awareness-0001"
        assert screen.query_one("#cards-consideration", CardList).total == 2
        await pilot.press("u")
        await _wait_writes(pilot)
        assert store.get_account("awareness-0001").stage == "awareness"
        assert [m.to_stage for m in store.stage_history("awareness-0001")] == ["awareness"]
        assert screen.selected_card.account_id == "awareness-0001"


async def test_any_stage_by_picker_with_a_reason(store: Store) -> None:
    _book(store, {"adoption": 1})
    app = RetainApp(store)
    async with app.run_test(size=(200, 40)) as pilot:
        await _settled(pilot)
        await pilot.press("x")  # churn: the picker opens on churned, in the reason
        await pilot.pause()
        await pilot.press(*"budget cut")
        await pilot.press("enter", "enter")  # the reason, then the confirmation
        await _wait_writes(pilot)
    [*_, last] = store.stage_history("adoption-0000")
    assert (last.from_stage, last.to_stage, last.reason, last.source) == (
        "adoption", "churned", "budget cut", "tui")


async def test_search_filters_every_column_and_escape_clears_it(store: Store) -> None:
    _book(store, {"awareness": 3, "adoption": 3})
    store.add_account(Account(id="zz-1", name="Zürich Rück AG", stage="retention"))
    app = RetainApp(store)
    async with app.run_test(size=(200, 40)) as pilot:
        await _settled(pilot)
        await pilot.press("slash", *"zurich")
        await _settled(pilot)
        totals = {cl.id: cl.total for cl in app.screen.query(CardList)}
        assert totals["cards-retention"] == 1 and totals["cards-awareness"] == 0
        await pilot.press("escape")
        await _settled(pilot)
        assert app.screen.query_one("#cards-awareness", CardList).total == 3


async def test_sort_cycles_through_the_orders(store: Store) -> None:
    _book(store, {"awareness": 3})
    app = RetainApp(store)
    async with app.run_test(size=(200, 40)) as pilot:
        await _settled(pilot)
        assert app.screen.selected_card.name == "Awareness Co 2"  # MRR
        await pilot.press("s", "s", "s", "s")  # health, days, renewal, name
        await _settled(pilot)
        assert app.screen.view.sort == "name"
        first = app.screen.query_one("#cards-awareness", CardList).card_at(0)
        assert first.name == "Awareness Co 0"


async def test_filter_by_segment_and_health_band(store: Store) -> None:
    _book(store, {"adoption": 2})
    store.add_account(Account(id="ent-1", name="Big Co", stage="adoption", segment="Enterprise"))
    app = RetainApp(store)
    async with app.run_test(size=(200, 40)) as pilot:
        await _settled(pilot)
        screen = app.screen
        screen.view = replace(screen.view, segment="enterprise")
        screen.reload()
        await _settled(pilot)
        assert screen.query_one("#cards-adoption", CardList).total == 1
        assert screen.selected_card.name == "Big Co"
        # the two paying accounts score 100 (flat MRR, their only data); Big Co has no data
        screen.view = replace(screen.view, segment=None, health_band="healthy", sort="health")
        screen.reload()
        await _settled(pilot)
        assert screen.query_one("#cards-adoption", CardList).total == 2
        assert "health band: healthy" in str(screen.query_one("#board-status").render())
        screen.view = replace(screen.view, health_band="at risk")
        screen.reload()
        await _settled(pilot)
        assert screen.query_one("#cards-adoption", CardList).total == 0


async def test_the_filter_dialog_applies_what_is_picked(store: Store) -> None:
    _book(store, {"adoption": 2})
    store.add_account(Account(id="ent-1", name="Big Co", stage="adoption", segment="Enterprise"))
    app = RetainApp(store)
    async with app.run_test(size=(200, 40)) as pilot:
        await _settled(pilot)
        await pilot.press("f")
        await _settled(pilot)
        from textual.widgets import Select

        app.screen.query_one("#filter-segment", Select).value = "Enterprise"
        await pilot.press("ctrl+s")
        await _settled(pilot)
        assert app.screen.view.segment == "Enterprise"
        assert app.screen.query_one("#cards-adoption", CardList).total == 1


async def test_the_board_shows_the_mrr_of_the_day_it_opens(store: Store) -> None:
    # written on March 1st; the subscription ends on the 20th; the board opens on the 25th
    with time_machine.travel(datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        store.add_account(Account(id="acme", name="Acme", stage="adoption"))
        store.add(Subscription(id="s1", account_id="acme", mrr_cents=10_000,
                               started_on=date(2026, 1, 1), ended_on=date(2026, 3, 20)))
    with time_machine.travel(datetime(2026, 3, 25, 9, tzinfo=UTC), tick=False):
        app = RetainApp(store)
        async with app.run_test(size=(200, 40)) as pilot:
            await _settled(pilot)
            screen = app.screen
            assert isinstance(screen, BoardScreen)
            assert screen.focused_stage == "adoption"  # the first column with cards
            assert screen.selected_card.name == "Acme"
            assert screen.selected_card.mrr_cents == 0
