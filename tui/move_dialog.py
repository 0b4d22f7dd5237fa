"""A dialog to move an account to any stage, with an optional reason."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from store.display import visible
from store.lifecycle import LifecycleModel

MoveChoice = tuple[str, str | None]
"""(target stage key, reason or None)."""


class MoveDialog(ModalScreen[MoveChoice | None]):
    """Pick a stage (↑↓, Enter), type a reason if you like, Enter again to move; Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="move.cancel")]
    """Escape closes the dialog without moving."""

    DEFAULT_CSS = """
    MoveDialog { align: center middle; }
    MoveDialog > Vertical {
        width: 56; height: auto; max-height: 90%;
        border: round $primary; background: $panel; padding: 1 2;
    }
    MoveDialog OptionList { height: auto; max-height: 14; margin-bottom: 1; }
    MoveDialog Label { color: $text-muted; }
    """

    def __init__(self, account_name: str, current: str, model: LifecycleModel,
                 preselect: str | None = None) -> None:
        super().__init__()
        self.account_name = account_name
        self.current = current
        self.model = model
        self.preselect = preselect

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Move {visible(self.account_name)} (now {self.current}) to:"))
            options = [
                Option(Text(visible(stage.label) + ("  (current)" if stage.key == self.current
                                                    else "")),
                       id=stage.key, disabled=stage.key == self.current)
                for stage in self.model.stages
            ]
            yield OptionList(*options, id="move-stages")
            yield Label("Reason (optional), then Enter:")
            yield Input(placeholder="e.g. signed the renewal", id="move-reason")

    def on_mount(self) -> None:
        stages = self.query_one(OptionList)
        keys = list(self.model.keys)
        wanted = self.preselect or next(
            (key for key in keys[keys.index(self.current) + 1:] if key != self.current),
            keys[0],
        ) if self.current in keys else keys[0]
        stages.highlighted = keys.index(wanted)
        stages.focus()

    @on(OptionList.OptionSelected)
    def _to_reason(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        stages = self.query_one(OptionList)
        if stages.highlighted is None:
            return
        option = stages.get_option_at_index(stages.highlighted)
        if option.disabled or option.id is None:
            return
        self.dismiss((option.id, event.value.strip() or None))

    def action_cancel(self) -> None:
        """Close without moving."""
        self.dismiss(None)
