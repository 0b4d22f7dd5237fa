"""The whole of one note, answer or health reason, wrapped, over the account pane."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.steady_footer import SteadyFooter


class DetailScreen(ModalScreen[None]):
    """A title line and a body that wraps to the width and scrolls; Esc or Enter closes."""

    BINDINGS = [
        Binding("escape,enter", "close", "Close", key_display="esc", id="detail.close"),
    ]
    """Either key closes the view (Enter opened it)."""

    DEFAULT_CSS = """
    DetailScreen { align: center middle; }
    DetailScreen > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 85%;
        border: round $primary; background: $panel; padding: 0 1;
    }
    DetailScreen #detail-title { text-style: bold; padding-bottom: 1; }
    DetailScreen VerticalScroll { height: auto; max-height: 30; }
    DetailScreen #detail-body { width: 1fr; }
    """

    def __init__(self, title: Content, body: Content) -> None:
        super().__init__()
        self.title_content = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_content, id="detail-title")
            with VerticalScroll():
                yield Static(self.body, id="detail-body")
        yield SteadyFooter()

    def action_close(self) -> None:
        """Back to the pane."""
        self.dismiss(None)
