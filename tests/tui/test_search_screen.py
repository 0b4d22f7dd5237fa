"""Search notes from the board: a word from an interaction's summary lists its account with the
snippet and the count, Enter opens the pane at that timeline row, Esc clears then goes back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.widgets import DataTable, Input, Static

from store import Store
from store.models import Account, Interaction, SurveyAnswer
from tests.tui.conftest import settle
from tui.account_screen import AccountScreen
from tui.app import RetainApp
from tui.board_screen import BoardScreen
from tui.search_screen import SearchScreen


@pytest.fixture
def book(store: Store) -> Store:
    store.add_account(Account(id="acme", name="Acme [b]Corp[/b]", stage="adoption"))
    store.add_account(Account(id="globex", name="Globex", stage="retention"))
    for day, summary in ((3, "Kick-off call"), (10, "Walked them through the [red]quokka[/red] "
                                                     "import"), (20, "QBR booked")):
        store.add(Interaction(id=f"i{day}", account_id="acme", kind="call",
                              occurred_at=datetime(2026, 10, day, 9, tzinfo=UTC),
                              summary=summary))
    store.add(Interaction(id="g1", account_id="globex", kind="email",
                          occurred_at=datetime(2026, 10, 5, tzinfo=UTC), summary="Invoice sent"))
    store.add(SurveyAnswer(id="s1", account_id="globex", kind="nps", score=9,
                           answered_at=datetime(2026, 10, 6, tzinfo=UTC),
                           comment="Support was quick"))
    return store


def _rows(app: RetainApp) -> list[list[str]]:
    table = app.screen.query_one("#search-results", DataTable)
    return [[cell.plain for cell in table.get_row_at(row)] for row in range(table.row_count)]


def _count(app: RetainApp) -> str:
    return str(app.screen.query_one("#search-count", Static).render())


async def _search(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("N")
    await settle(pilot)
    await pilot.press(*text)
    await settle(pilot)


async def test_a_word_only_in_a_summary_lists_its_account_snippet_and_count(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await _search(pilot, "quokka")
        assert isinstance(app.screen, SearchScreen)
        rows, count = _rows(app), _count(app)
    assert rows == [["Acme [b]Corp[/b]", "interaction", "2026-10-10",
                     "Walked them through the [red]quokka[/red] import"]]
    assert "1 match for 'quokka'" in count


async def test_enter_opens_the_account_at_that_timeline_row(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await _search(pilot, "quokka")
        await pilot.press("enter", "enter")  # to the results, then open the match
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        account = app.screen.account_id
        timeline = app.screen.query_one("#timeline-table", DataTable)
        selected = [str(cell) for cell in timeline.get_row_at(timeline.cursor_row)]
        focused = app.focused
    assert account == "acme"
    assert any("quokka" in text for text in selected)
    assert timeline.cursor_row > 0 and focused is timeline  # not simply the newest entry


async def test_an_answer_comment_opens_at_its_row_too(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await _search(pilot, "quick")
        await pilot.press("down", "enter")
        await settle(pilot)
        account = app.screen.account_id  # type: ignore[attr-defined]
        timeline = app.screen.query_one("#timeline-table", DataTable)
        selected = [str(cell) for cell in timeline.get_row_at(timeline.cursor_row)]
    assert account == "globex"
    assert "Support was quick" in selected


async def test_escape_clears_the_words_then_goes_back_to_the_board(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await _search(pilot, "quokka")
        await pilot.press("escape")
        await settle(pilot)
        still_searching = isinstance(app.screen, SearchScreen)
        words = app.screen.query_one("#search-input", Input).value
        rows = _rows(app)
        await pilot.press("escape")
        await settle(pilot)
        back_on_board = isinstance(app.screen, BoardScreen)
    assert still_searching and words == "" and rows == []
    assert back_on_board


async def test_no_match_says_so_and_the_palette_offers_search_notes(book: Store) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        await _search(pilot, "zebra")
        rows, count = _rows(app), _count(app)
    assert "Search notes…" in titles
    assert rows == [] and "no match for 'zebra'" in count


async def test_the_results_footer_offers_open_keys_and_the_palette_at_100_columns(
    book: Store,
) -> None:
    app = RetainApp(book)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _search(pilot, "quokka")
        await pilot.press("down")
        await settle(pilot)
        width = app.screen.region.width
        shown = [key.key for key in app.screen.query("FooterKey")
                 if key.region.width and key.region.right <= width]
    assert shown[:2] == ["enter", "escape"]
    assert {"question_mark", "ctrl+p", "q"} <= set(shown)
