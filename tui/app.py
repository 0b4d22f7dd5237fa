"""The retain Textual app: opens on the stage board of one book."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from store import Store
from store.display import visible
from tui.board_screen import BoardScreen


class RetainApp(App[None]):
    """A keyboard-driven cockpit over one retain book."""

    CSS_PATH = "retain.tcss"
    TITLE = "retain"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]
    """App-wide keys; `q` quits from anywhere."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.sub_title = visible(store.path.name)

    def get_default_screen(self) -> Screen[None]:
        return BoardScreen(self.store)
