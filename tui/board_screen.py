"""The stage board: one column per stage of the book's lifecycle, cards paged from the store."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input, Static

from store import Store
from store.board import SORTS, BoardView
from store.display import visible
from store.models import BoardCard, BoardColumn, StageMove
from store.money import format_money_short
from store.user_config import author
from tui.calm_screen import CalmScreen
from tui.card_list import MIN_TEXT_WIDTH, PAGE_SIZE, CardList, PageLoader
from tui.filter_dialog import FilterDialog
from tui.messages import AccountMoved, BoardLoaded, BookChanged
from tui.move_dialog import MoveChoice, MoveDialog
from tui.stage_column import StageColumn
from tui.steady_footer import SteadyFooter

COLUMN_FRAME = 2
"""Cells of a column that are not card text: its right border and its scrollbar's gutter."""

MIN_COLUMN_WIDTH = MIN_TEXT_WIDTH + COLUMN_FRAME
"""Below this a card's name and figures no longer fit; the board scrolls sideways instead."""


def column_widths(available: int, count: int) -> tuple[list[int], bool]:
    """Each column's width, and whether the board must scroll sideways.

    When every column gets MIN_COLUMN_WIDTH they share the whole width (the odd cells go to the
    first columns). Otherwise as many as fit are shown at one equal width, so that scrolling a
    whole column at a time always shows whole columns.
    """
    if count == 0:
        return [], False
    if available // count >= MIN_COLUMN_WIDTH:
        base, extra = divmod(available, count)
        return [base + 1] * extra + [base] * (count - extra), False
    shown = max(1, available // MIN_COLUMN_WIDTH)
    return [max(MIN_COLUMN_WIDTH, available // shown)] * count, True

EMPTY_BOOK_HINT = (
    "This book has no accounts yet. `retain demo --replace` writes a demo book into it; "
    "`retain import accounts FILE` loads yours."
)
SORT_ORDER = tuple(SORTS)
SORT_LABELS = {"mrr": "MRR", "health": "health, worst first", "days": "days in stage",
               "renewal": "renewal", "name": "name"}


class BoardScreen(CalmScreen[None]):
    """Every stage side by side; arrows or hjkl move between cards and columns."""

    BINDINGS = [
        Binding("left,h", "focus_column(-1)", "Prev stage", key_display="←/h", id="board.left"),
        Binding("right,l", "focus_column(1)", "Next stage", key_display="→/l",
                id="board.right"),
        Binding("greater_than_sign", "move_step(1)", "Move →", key_display=">",
                id="board.move_next"),
        Binding("less_than_sign", "move_step(-1)", "Move ←", key_display="<",
                id="board.move_prev"),
        Binding("m", "move_to", "Move…", id="board.move_to"),
        Binding("x", "churn", "Churn", id="board.churn"),
        Binding("u", "undo", "Undo move", id="board.undo"),
        Binding("slash", "search", "Search", key_display="/", id="board.search"),
        Binding("s", "cycle_sort", "Sort", id="board.sort"),
        Binding("f", "filter", "Filter", id="board.filter"),
        Binding("z", "zoom", "Zoom", id="board.zoom"),
        Binding("r", "reload", "Reload", show=False, id="board.reload"),
        Binding("escape", "clear_view", "Clear search", show=False, id="board.clear"),
    ]
    """Column movement, stage moves (next, previous, any, churn, undo), search, sort, zoom;
    Esc clears a search or filter."""

    FOOTER_FIRST = ("app.open", "app.log", "board.move_to", "board.search", "board.filter",
                    "board.zoom")
    """The footer's first keys (then Today, KPIs and Quit); `?` lists every key."""

    AUTO_FOCUS = None
    """The first non-empty column takes the focus once the board has loaded."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.view = BoardView()
        self.last_move: StageMove | None = None
        self._follow: tuple[str | None, str] | None = None
        """(stage, account id) the next reload should put the cursor on (stage None: look it
        up, and show the account even if the search or filters hide it)."""
        self.zoomed = False
        """One column, the focused one, takes the whole width (`z` toggles)."""

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Input(placeholder="search name, key or domain — Enter keeps it, Esc clears",
                    id="board-search")
        yield Horizontal(id="board")
        yield Static("Loading the board…", id="board-status")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#board-search", Input).display = False
        self.reload()

    # -- loading -----------------------------------------------------------------------------

    def select_account(self, account_id: str) -> None:
        """Put the cursor on an account (its column focused), clearing a search or filter that
        hides it; the board reads where it stands in a worker."""
        self._follow = (None, account_id)
        self.reload()

    def reload(self) -> None:
        """Read the board again, keeping the focused column and the selected account."""
        selected = self.selected_card
        focused = self.focused_stage
        follow = self._follow or ((focused, selected.account_id) if focused and selected else None)
        self._follow = None
        self.load_board(self.view, follow, focused)

    @work(thread=True, exclusive=True, group="board", exit_on_error=False)
    def load_board(self, view: BoardView, follow: tuple[str | None, str] | None,
                   focus_stage: str | None) -> None:
        """Read the column totals, each column's first page and the cursor positions."""
        self.store.catch_up_mrr()  # the day's subscription starts and ends, once a day
        if follow is not None and follow[0] is None:
            account_id = follow[1]
            follow = (self.store.get_account(account_id).stage, account_id)
            if view.is_filtered and self.store.card_position(*follow, view) is None:
                view = BoardView(sort=view.sort)
        columns = self.store.board_columns(view)
        first_pages = {
            column.stage.key: self.store.board_cards(column.stage.key, 0, PAGE_SIZE, view,
                                                     with_health=True)
            for column in columns if column.count
        }
        cursors = {}
        if follow is not None:
            stage, account_id = follow
            position = self.store.card_position(stage, account_id, view)
            if position is not None:
                cursors[stage] = position
                focus_stage = stage
        self.post_message(BoardLoaded(columns, first_pages, cursors, focus_stage, view))

    def _page_loader(self, stage_key: str) -> PageLoader:
        store, view = self.store, self.view
        return lambda offset, limit: store.board_cards(stage_key, offset, limit, view,
                                                       with_health=True)

    @on(BoardLoaded)
    async def show_board(self, message: BoardLoaded) -> None:
        """Fill the columns (built once, then updated in place) and place the cursors."""
        if message.view is not None and message.view != self.view:
            self.view = message.view
            box = self.query_one("#board-search", Input)
            with box.prevent(Input.Changed):
                box.value = self.view.search or ""
            box.display = bool(box.value)
        board = self.query_one("#board", Horizontal)
        existing = {column.stage_key: column for column in self.query(StageColumn)}
        if [c.stage.key for c in message.columns] != list(existing):
            await board.remove_children()
            existing = {}
        for column in message.columns:
            key = column.stage.key
            loader = self._page_loader(key)
            first_page = message.first_pages.get(key, [])
            if key in existing:
                existing[key].update(column, first_page, loader)
            else:
                existing[key] = StageColumn(column, first_page, loader)
                await board.mount(existing[key])
        for key, position in message.cursors.items():
            existing[key].cards.cursor = position
        self._fit_columns()
        total = sum(column.count for column in message.columns)
        self._show_status(total, message.columns)
        target = existing.get(message.focus_stage or "") or next(
            (column for column in existing.values() if column.column.count),
            next(iter(existing.values())),
        )
        searching = isinstance(self.focused, Input) and self.focused.display
        if not searching:
            target.cards.focus()

    def _show_status(self, total: int, columns: list[BoardColumn]) -> None:
        status = self.query_one("#board-status", Static)
        notes = []
        if self.view.search:
            notes.append(f"search: {visible(self.view.search)}")
        for field in ("segment", "owner", "plan", "nps_group", "health_band"):
            value = getattr(self.view, field)
            if value is not None:
                notes.append(f"{field.replace('_', ' ')}: {visible(value)}")
        if self.view.sort != "mrr":
            notes.append(f"sorted by {SORT_LABELS[self.view.sort]}")
        if total == 0 and not self.view.is_filtered:
            status.update(EMPTY_BOOK_HINT)
        elif total == 0:
            status.update(Text(f"No account matches — {' · '.join(notes)}"))
        elif self.view.is_filtered:
            # Where the matches are, so none hides in a column scrolled out of view.
            where = ", ".join(f"{visible(column.stage.label)} {column.count:,}"
                              for column in columns if column.count)
            matches = f"{total:,} match" if total == 1 else f"{total:,} matches"
            status.update(Text(" · ".join([f"{matches} ({where})", *notes, "Esc clears"])))
        else:
            status.update(Text(" · ".join(notes)))
        status.display = total == 0 or bool(notes)

    @on(BookChanged)
    def _book_changed(self) -> None:
        self.store.forget_health()
        self.reload()

    def action_reload(self) -> None:
        """Read the book again."""
        self.reload()

    # -- columns and cursor ------------------------------------------------------------------

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Share the width between columns, but never below MIN_COLUMN_WIDTH (then scroll
        whole columns); a zoomed board shows the focused column alone, at full width."""
        columns = list(self.query(StageColumn))
        if not columns:
            return
        board = self.query_one("#board", Horizontal)
        if self.zoomed:
            focused = self._focused_column() or columns[0]
            for column in columns:
                column.display = column is focused
                column.styles.width = "1fr"
            board.styles.width = "1fr"
            return
        widths, scrolls = column_widths(self.size.width, len(columns))
        for column, width in zip(columns, widths, strict=True):
            column.display = True
            column.styles.width = width
        board.styles.width = (self.size.width // widths[0]) * widths[0] if scrolls else "1fr"
        focused = self._focused_column()
        if focused is not None:
            self.call_after_refresh(self._show_whole, focused)

    def _focused_column(self) -> StageColumn | None:
        focused = self.focused
        return next((column for column in self.query(StageColumn)
                     if focused is not None and column.cards is focused), None)

    def _show_whole(self, column: StageColumn) -> None:
        """Scroll the board sideways the least that shows `column` whole."""
        board = self.query_one("#board", Horizontal)
        if not column.display or not board.is_scrollable:
            return
        left = column.virtual_region.x
        right = left + column.outer_size.width
        view = board.scroll_offset.x
        if left < view:
            board.scroll_to(x=left, animate=False, immediate=True)
        elif right > view + board.scrollable_content_region.width:
            board.scroll_to(x=right - board.scrollable_content_region.width, animate=False,
                            immediate=True)

    def on_descendant_focus(self, event) -> None:  # type: ignore[no-untyped-def]
        if isinstance(event.widget, CardList) and isinstance(event.widget.parent, StageColumn):
            self.call_after_refresh(self._show_whole, event.widget.parent)

    def action_zoom(self) -> None:
        """Show the focused column alone at full width, or every column again."""
        self.zoomed = not self.zoomed
        self._fit_columns()
        focused = self._focused_column()
        if focused is not None:
            focused.cards.show_cursor()

    @property
    def card_lists(self) -> list[CardList]:
        """The columns' card lists, left to right."""
        return list(self.query(CardList))

    @property
    def focused_stage(self) -> str | None:
        """The stage key of the focused column."""
        focused = self.focused
        return focused.id.removeprefix("cards-") if isinstance(focused, CardList) and focused.id \
            else None

    @property
    def selected_account_id(self) -> str | None:
        """The key of the selected card's account (what app-wide keys act on)."""
        card = self.selected_card
        return card.account_id if card else None

    @property
    def selected_card(self) -> BoardCard | None:
        """The card under the cursor of the focused column."""
        return self.focused.selected if isinstance(self.focused, CardList) else None

    def action_focus_column(self, step: int) -> None:
        """Move the focus `step` columns left (negative) or right."""
        lists = self.card_lists
        if not lists:
            return
        current = self.focused if isinstance(self.focused, CardList) else lists[0]
        index = max(0, min(lists.index(current) + step, len(lists) - 1))
        if self.zoomed:
            for card_list in lists:
                if isinstance(card_list.parent, StageColumn):
                    card_list.parent.display = card_list is lists[index]
        lists[index].focus()

    # -- search and sort ---------------------------------------------------------------------

    def action_search(self) -> None:
        """Show the search box (it filters every column as you type)."""
        box = self.query_one("#board-search", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#board-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.view = replace(self.view, search=event.value.strip() or None)
        self.reload()

    @on(Input.Submitted, "#board-search")
    def _search_kept(self) -> None:
        self._leave_search(clear=False)

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key == "escape" and isinstance(self.focused, Input):
            event.stop()
            self._leave_search(clear=True)

    def _leave_search(self, *, clear: bool) -> None:
        box = self.query_one("#board-search", Input)
        if clear and box.value:
            box.value = ""  # fires Changed, which reloads without the search
        box.display = bool(box.value)
        lists = self.card_lists
        if lists:
            (next((cl for cl in lists if cl.total), lists[0])).focus()

    def action_clear_view(self) -> None:
        """Esc: clear the search, else the filters (the sort stays); then Esc goes nowhere, the
        board being the first screen."""
        box = self.query_one("#board-search", Input)
        if box.value:
            self._leave_search(clear=True)
            self.notify("Search cleared", timeout=2)
        elif self.view.is_filtered:
            self.view = BoardView(sort=self.view.sort)
            self.notify("Filters cleared", timeout=2)
            self.reload()

    def action_filter(self) -> None:
        """Filter every column by segment, owner, plan, NPS group or health band."""

        def chosen(view: BoardView | None) -> None:
            if view is not None and view != self.view:
                self.view = view
                self.reload()

        self.app.push_screen(FilterDialog(self.store, self.view), chosen)

    def action_cycle_sort(self) -> None:
        """Sort every column by the next order: MRR, days in stage, renewal, name."""
        following = SORT_ORDER[(SORT_ORDER.index(self.view.sort) + 1) % len(SORT_ORDER)]
        self.view = replace(self.view, sort=following)
        self.notify(f"Sorted by {SORT_LABELS[following]}", timeout=2)
        self.reload()

    # -- stage moves -------------------------------------------------------------------------

    def action_move_step(self, step: int) -> None:
        """Move the selected account to the next (1) or previous (-1) stage of the main path."""
        card, stage = self.selected_card, self.focused_stage
        if card is None or stage is None:
            return
        target = self.store.lifecycle().neighbour(stage, step)
        if target is None:
            self.notify("No stage that way (use m to pick any stage)", severity="warning")
            return
        self.move_account(card, target.key, None)

    def action_move_to(self, preselect: str | None = None) -> None:
        """Pick any stage (and a reason) for the selected account."""
        card, stage = self.selected_card, self.focused_stage
        if card is None or stage is None:
            return

        def chosen(choice: MoveChoice | None) -> None:
            if choice is not None:
                self.move_account(card, *choice)

        self.app.push_screen(
            MoveDialog(card.name, stage, self.store.lifecycle(), preselect,
                       format_money_short(card.mrr_cents) if card.mrr_cents else None), chosen
        )

    def action_churn(self) -> None:
        """Move the selected account to churned (a reason is asked for)."""
        self.action_move_to("churned")

    @work(thread=True, group="writes", exit_on_error=False)
    def move_account(self, card: BoardCard, stage: str, reason: str | None) -> None:
        """Write the move off the UI thread (it may wait for another writer)."""
        move = self.store.move_stage(card.account_id, stage, reason=reason, source="tui",
                                     author=author())
        self.post_message(AccountMoved(move, card.name))

    def action_undo(self) -> None:
        """Take back this session's last move, if nothing moved the account since."""
        if self.last_move is None:
            self.notify("Nothing to undo", severity="warning")
            return
        self.undo_move(self.last_move)

    @work(thread=True, group="writes", exit_on_error=False)
    def undo_move(self, move: StageMove) -> None:
        """Delete the move and restore the previous stage, off the UI thread."""
        self.store.undo_move(move)
        name = self.store.get_account(move.account_id).name
        self.post_message(AccountMoved(move, name, undone=True))

    @on(AccountMoved)
    def _moved(self, message: AccountMoved) -> None:
        move = message.move
        if message.undone:
            self.last_move = None
            self._follow = (move.from_stage or move.to_stage, move.account_id)
            self.notify(f"Undone: {visible(message.name)} is back in {move.from_stage}",
                        markup=False)
        else:
            self.last_move = move
            self._follow = (move.to_stage, move.account_id)
            self.notify(f"{visible(message.name)}: {move.from_stage} → {move.to_stage}"
                        " (u to undo)", markup=False)
        self.reload()
