"""The stage board: one column per stage of the book's lifecycle, cards paged from the store."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState

from store import Store
from store.models import BoardCard
from tui.card_list import PAGE_SIZE, CardList, PageLoader
from tui.messages import BoardLoaded
from tui.stage_column import StageColumn

MIN_COLUMN_WIDTH = 28
"""Below this a card's name and figures no longer fit; the board scrolls sideways instead."""

EMPTY_BOOK_HINT = (
    "This book has no accounts yet. `retain demo --replace` writes a demo book into it; "
    "`retain demo --db demo.db` writes one elsewhere."
)


class BoardScreen(Screen[None]):
    """Every stage side by side; arrows or hjkl move between cards and columns."""

    BINDINGS = [
        Binding("left,h", "focus_column(-1)", "Prev stage", key_display="←/h"),
        Binding("right,l", "focus_column(1)", "Next stage", key_display="→/l"),
    ]
    """Column movement; the focused column moves its own cursor up and down."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Horizontal(id="board")
        yield Static("Loading the board…", id="board-status")
        yield Footer()

    def on_mount(self) -> None:
        self.load_board()

    @work(thread=True, exclusive=True, group="board", exit_on_error=False)
    def load_board(self) -> None:
        """Read the column totals and each column's first page, off the UI thread."""
        columns = self.store.board_columns()
        first_pages = {
            column.stage.key: self.store.board_cards(column.stage.key, 0, PAGE_SIZE)
            for column in columns
            if column.count
        }
        self.post_message(BoardLoaded(columns, first_pages))

    def _page_loader(self, stage_key: str) -> PageLoader:
        store = self.store
        return lambda offset, limit: store.board_cards(stage_key, offset, limit)

    @on(BoardLoaded)
    async def show_board(self, message: BoardLoaded) -> None:
        """Build one column per stage and put the cursor in the first one with accounts."""
        board = self.query_one("#board", Horizontal)
        await board.remove_children()
        columns = [
            StageColumn(column, message.first_pages.get(column.stage.key, []),
                        self._page_loader(column.stage.key))
            for column in message.columns
        ]
        await board.mount_all(columns)
        self._fit_columns()
        total = sum(column.count for column in message.columns)
        status = self.query_one("#board-status", Static)
        status.update(EMPTY_BOOK_HINT if total == 0 else "")
        status.display = total == 0
        first = next((column for column in columns if column.column.count), columns[0])
        first.cards.focus()

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Share the width between columns, but never below MIN_COLUMN_WIDTH (then scroll)."""
        columns = list(self.query(StageColumn))
        if not columns:
            return
        width = max(MIN_COLUMN_WIDTH, self.size.width // len(columns))
        for column in columns:
            column.styles.width = width

    @property
    def card_lists(self) -> list[CardList]:
        """The columns' card lists, left to right."""
        return list(self.query(CardList))

    def action_focus_column(self, step: int) -> None:
        """Move the focus `step` columns left (negative) or right."""
        lists = self.card_lists
        if not lists:
            return
        current = self.focused if isinstance(self.focused, CardList) else lists[0]
        index = max(0, min(lists.index(current) + step, len(lists) - 1))
        lists[index].focus()

    @on(Worker.StateChanged)
    def report_worker_error(self, event: Worker.StateChanged) -> None:
        """A failed read shows as a notification instead of killing the app."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(str(event.worker.error), title="Could not read the book", severity="error")

    @property
    def selected_card(self) -> BoardCard | None:
        """The card under the cursor of the focused column."""
        return self.focused.selected if isinstance(self.focused, CardList) else None
