"""A yes/no question before a write that loses something (Enter or y: yes; Esc or n: no)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.steady_footer import SteadyFooter


class ConfirmDialog(ModalScreen[bool]):
    """The question, literally, and the keys; dismissed with True only on Enter or y."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Yes", key_display="⏎/y", id="confirm.yes"),
        Binding("escape,n", "answer(False)", "No", key_display="esc/n", id="confirm.no"),
    ]
    """Enter or y confirms; Esc or n keeps things as they are."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 64; height: auto; border: round $warning; background: $panel; padding: 1 2;
    }
    ConfirmDialog #confirm-keys { color: $text-muted; padding-top: 1; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question), id="confirm-question")
            yield Static("Enter or y: yes · Esc or n: no", id="confirm-keys")
        yield SteadyFooter()

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
