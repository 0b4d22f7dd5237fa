"""A dialog to move an account to any stage with a reason; churning asks for one and confirms."""

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

MOVE_PLACEHOLDER = "why (optional), e.g. kickoff call held"
CHURN_PLACEHOLDER = "why they left, e.g. budget cut, chose a competitor"
"""Reason placeholders: a move's reason is optional, a churn's is asked for."""


class MoveDialog(ModalScreen[MoveChoice | None]):
    """Pick a stage (↑↓ from the current one, Enter), type a reason, Enter again to move; a
    move to a terminal stage (churned) needs a reason and a second Enter to confirm; Esc
    cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="move.cancel")]
    """Escape closes the dialog without moving."""

    DEFAULT_CSS = """
    MoveDialog { align: center middle; }
    MoveDialog > Vertical {
        width: 60; height: auto; max-height: 90%;
        border: round $primary; background: $panel; padding: 1 2;
    }
    MoveDialog OptionList { height: auto; max-height: 14; margin-bottom: 1; }
    MoveDialog Label { color: $text-muted; }
    MoveDialog #move-confirm { width: 100%; height: auto; color: $text-warning; text-style: bold; }
    """

    def __init__(self, account_name: str, current: str, model: LifecycleModel,
                 preselect: str | None = None, mrr_text: str | None = None) -> None:
        super().__init__()
        self.account_name = account_name
        self.current = current
        self.model = model
        self.preselect = preselect
        self.mrr_text = mrr_text
        self._confirming: MoveChoice | None = None
        """The churn waiting for its confirming Enter."""

    def compose(self) -> ComposeResult:
        with Vertical():
            current = self._label(self.current)
            yield Label(Text(f"Move {visible(self.account_name)} (now {current}) to:"))
            options = [
                Option(Text(visible(stage.label)
                            + ("  (current)" if stage.key == self.current else "")),
                       id=stage.key)
                for stage in self.model.stages
            ]
            yield OptionList(*options, id="move-stages")
            yield Label("Reason, then Enter:", id="move-reason-label")
            yield Input(placeholder=MOVE_PLACEHOLDER, id="move-reason")
            yield Label("", id="move-confirm")

    def on_mount(self) -> None:
        stages = self.query_one(OptionList)
        keys = list(self.model.keys)
        wanted = self.preselect if self.preselect in keys else self.current
        stages.highlighted = keys.index(wanted) if wanted in keys else 0
        self.query_one("#move-confirm", Label).display = False
        if self.preselect is not None and self._is_terminal(self.preselect):
            self._show_reason_for(self.preselect)
            self.query_one(Input).focus()
        else:
            stages.focus()

    def _label(self, key: str) -> str:
        return visible(next((s.label for s in self.model.stages if s.key == key), key))

    def _is_terminal(self, key: str) -> bool:
        return any(stage.key == key and stage.terminal for stage in self.model.stages)

    def _target(self) -> str | None:
        stages = self.query_one(OptionList)
        if stages.highlighted is None:
            return None
        return stages.get_option_at_index(stages.highlighted).id

    def _show_reason_for(self, key: str) -> None:
        terminal = self._is_terminal(key)
        self.query_one(Input).placeholder = CHURN_PLACEHOLDER if terminal else MOVE_PLACEHOLDER
        self.query_one("#move-reason-label", Label).update(
            f"Why is it {self._label(key).lower()}? Then Enter:" if terminal
            else "Reason (optional), then Enter:")

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._show_reason_for(event.option.id)
        self._cancel_confirmation()

    @on(OptionList.OptionSelected)
    def _to_reason(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == self.current:
            self._say(f"Already in {self._label(self.current)}: pick another stage")
            return
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _reason_changed(self) -> None:
        self._cancel_confirmation()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        target = self._target()
        if target is None:
            return
        if target == self.current:
            self._say(f"Already in {self._label(self.current)}: pick another stage")
            self.query_one(OptionList).focus()
            return
        reason = event.value.strip() or None
        if not self._is_terminal(target):
            self.dismiss((target, reason))
            return
        if reason is None:
            self._say(f"Say why before moving to {self._label(target).lower()}")
            return
        if self._confirming == (target, reason):
            self.dismiss((target, reason))
            return
        self._confirming = (target, reason)
        lost = f" Its {self.mrr_text} MRR will count as lost." if self.mrr_text else ""
        self._say(f"Move {visible(self.account_name)} to {self._label(target)}?{lost} "
                  "Enter to confirm, Esc to cancel.")

    def _say(self, text: str) -> None:
        label = self.query_one("#move-confirm", Label)
        label.update(Text(text))
        label.display = True

    def _cancel_confirmation(self) -> None:
        if self._confirming is not None:
            self._confirming = None
            self.query_one("#move-confirm", Label).display = False

    def action_cancel(self) -> None:
        """Close without moving."""
        self.dismiss(None)
