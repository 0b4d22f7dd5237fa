"""Search notes: what a CSM types finds account names, interaction summaries, task titles and
survey comments (the store's full-text index), and Enter opens the account at that entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Static

from store import Store
from store.display import visible
from store.errors import InvalidInput
from store.search import SearchHit
from tui.calm_screen import CalmScreen
from tui.steady_footer import SteadyFooter

SHOWN = 50
"""Most hits listed; one more is read to tell "50" from "more than 50"."""

TIMELINE_KINDS = ("interaction", "answer")
"""Hits that are a row of the account's timeline (the pane opens with its cursor there)."""


@dataclass
class SearchFound(Message):
    """A worker searched the book for `text` (`search` tells a stale answer from the latest)."""

    search: int
    text: str
    hits: list[SearchHit]
    problem: str = ""


def count_line(hits: int, text: str) -> str:
    """How many places the words were found, as the line above the results says it."""
    if hits > SHOWN:
        return f"more than {SHOWN} matches for {text!r}: the first {SHOWN} shown (names, then newest), add a word"
    if hits == 0:
        return f"no match for {text!r}"
    return f"{hits} match{'es' if hits != 1 else ''} for {text!r}"


class ResultsTable(DataTable[Text]):
    """The matches, one per row; Enter (shown in the footer) opens the one under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", key_display="⏎", id="search.open"),
    ]


def _cell(value: str) -> Text:
    return Text(visible(value), no_wrap=True, overflow="ellipsis")


class SearchScreen(CalmScreen[None]):
    """An input, the count of matches, and one row per match: account, kind, date, snippet."""

    DEFAULT_CSS = """
    SearchScreen #search-input { margin: 1 1 0 1; }
    SearchScreen #search-count { padding: 0 2; height: 1; color: $text-muted; }
    SearchScreen #search-results { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_or_back", "Clear / back", key_display="esc",
                id="search.clear"),
        Binding("down", "to_results", "Results", show=False, id="search.results"),
    ]
    """Esc clears the words, then goes back; ↓ from the input goes to the results, where
    Enter opens the match."""

    FOOTER_FIRST = ("search.open", "search.clear")
    """The footer's first keys (then the app's essentials)."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.hits: list[SearchHit] = []
        """The matches listed, in order."""
        self._searches = 0

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Input(placeholder="Search notes: words from names, summaries, tasks, comments",
                    id="search-input")
        yield Static("Type a word; Enter on a match opens the account.", id="search-count",
                     markup=False)
        yield ResultsTable(id="search-results", cursor_type="row")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Search notes"
        table = self.query_one("#search-results", DataTable)
        for label, width in (("Account", 24), ("Kind", 11), ("Date", 10), ("Snippet", None)):
            table.add_column(label, width=width)
        self.query_one("#search-input", Input).focus()

    # -- searching -------------------------------------------------------------------------

    @on(Input.Changed, "#search-input")
    def _words_changed(self, event: Input.Changed) -> None:
        self._searches += 1
        text = event.value.strip()
        if not text:
            self._show([], "Type a word; Enter on a match opens the account.")
            return
        self.find(self._searches, text)

    @work(thread=True, exclusive=True, group="note-search", exit_on_error=False)
    def find(self, search: int, text: str) -> None:
        """Ask the store's full-text index, off the UI thread, and post what it found."""
        try:
            hits = self.store.search(text, SHOWN + 1)
        except InvalidInput:
            self.post_message(SearchFound(search, text, [], "Type a word (letters or digits)."))
            return
        self.post_message(SearchFound(search, text, hits))

    @on(SearchFound)
    def _found(self, message: SearchFound) -> None:
        if message.search == self._searches:
            self._show(message.hits, message.problem or count_line(len(message.hits),
                                                                    visible(message.text)))

    def _show(self, hits: list[SearchHit], note: str) -> None:
        self.hits = hits[:SHOWN]
        self.query_one("#search-count", Static).update(note)
        table = self.query_one("#search-results", DataTable)
        table.clear()
        table.add_rows([
            [_cell(hit.account_name), _cell(hit.kind),
             _cell(hit.on.isoformat() if hit.on else "—"), _cell(hit.snippet)]
            for hit in self.hits
        ])

    # -- acting ----------------------------------------------------------------------------

    @on(Input.Submitted, "#search-input")
    def action_to_results(self) -> None:
        """Put the keyboard in the results (Enter there opens one)."""
        if self.hits:
            self.query_one("#search-results", DataTable).focus()

    @on(DataTable.RowSelected, "#search-results")
    def _open(self, event: DataTable.RowSelected) -> None:
        self._open_hit(event.cursor_row)

    def _open_hit(self, row: int) -> None:
        hit = self.hits[row]
        at_ref = hit.ref if hit.kind in TIMELINE_KINDS else None
        self.app.go_to_account(hit.account_id, at_ref)  # type: ignore[attr-defined]

    def action_clear_or_back(self) -> None:
        """Clear the words (and the results); with nothing typed, go back."""
        field = self.query_one("#search-input", Input)
        if field.value:
            field.value = ""
            field.focus()
        else:
            self.app.pop_screen()
