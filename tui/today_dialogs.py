"""Today's small dialogs: pick one of a list, snooze for how long, and why a row ranks there."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from store.day_words import DAY_WORDS_HINT, parse_day
from store.display import visible
from store.errors import InvalidInput

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 72; max-width: 96%; height: auto; max-height: 90%;
    border: round $primary; background: $panel; padding: 1 2;
}}
{name} OptionList {{ height: auto; max-height: 16; }}
{name} Label {{ color: $text-muted; }}
"""


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one entry (↑↓, Enter); Esc cancels. Returns the entry's id."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]
    """Escape closes the dialog without a choice."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceDialog")

    def __init__(self, title: str, choices: list[tuple[str, str]],
                 current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        """(id, label) of each entry, in order."""
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text))
            yield OptionList(*(Option(Text(visible(label)), id=choice_id)
                               for choice_id, label in self.choices), id="choices")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [choice_id for choice_id, _ in self.choices]
        if self.current in ids:
            options.highlighted = ids.index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


SNOOZE_CHOICES = [("1", "1 day (back tomorrow)"), ("3", "3 days"), ("7", "1 week"),
                  ("date", "Until a date…")]
"""The snooze lengths offered, in days, and a typed date."""


class SnoozeDialog(ModalScreen[date | None]):
    """How long to keep an account out of Today: 1 day, 3 days, 1 week, or a typed date."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="snooze.cancel")]
    """Escape closes the dialog without snoozing."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SnoozeDialog") + """
    SnoozeDialog Input { display: none; }
    SnoozeDialog #snooze-hint.problem { color: $text-error; }
    """

    def __init__(self, account_name: str, today: date) -> None:
        super().__init__()
        self.account_name = account_name
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Snooze {visible(self.account_name)} — back in Today:"))
            yield OptionList(*(Option(label, id=choice_id) for choice_id, label in SNOOZE_CHOICES),
                             id="snooze-lengths")
            yield Input(placeholder="YYYY-MM-DD, +3d, +2w", id="snooze-date")
            yield Label("", id="snooze-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _length(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "date":
            field = self.query_one(Input)
            field.display = True
            field.focus()
            return
        self.dismiss(self.today + timedelta(days=int(event.option.id or 1)))

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        hint = self.query_one("#snooze-hint", Label)
        try:
            day = parse_day(event.value, self.today)
        except InvalidInput:
            hint.update(DAY_WORDS_HINT)
            hint.add_class("problem")
            return
        if day <= self.today:
            hint.update("pick a day after today")
            hint.add_class("problem")
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        """Close without snoozing."""
        self.dismiss(None)


class WhyDialog(ModalScreen[None]):
    """Why a row ranks where it does: each term of its score; any of Esc, w, Enter closes."""

    BINDINGS = [Binding("escape,w,enter,q", "close", "Close", id="why.close")]
    """Close the explanation."""

    DEFAULT_CSS = DIALOG_CSS.format(name="WhyDialog") + """
    WhyDialog > Vertical { width: 96; }
    """

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(visible(self.title_text), style="bold"))
            yield Static(Text("\n".join(visible(line) for line in self.lines)), id="why-terms")
            yield Label("The score is the sum of the terms times the stake (docs/TODAY.md).")

    def action_close(self) -> None:
        """Close the explanation."""
        self.dismiss(None)
