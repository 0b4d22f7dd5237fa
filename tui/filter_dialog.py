"""A dialog to filter the board by segment, owner, plan, NPS group and health band."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select

from store import Store
from store.board import HEALTH_BANDS, NPS_GROUPS, BoardView
from store.display import visible

FILTER_FIELDS = ("segment", "owner", "plan")
"""Account attributes offered with the values the book holds."""


@dataclass
class _ValuesLoaded(Message):
    values: dict[str, list[str]]


class FilterDialog(ModalScreen[BoardView | None]):
    """Pick filters (Tab between fields), Enter or ctrl+s to apply, Esc to cancel."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="filter.apply"),
        Binding("ctrl+r", "clear", "Clear all", id="filter.clear"),
    ]
    """Apply, clear every filter, or leave the view as it was."""

    DEFAULT_CSS = """
    FilterDialog { align: center middle; }
    FilterDialog > Vertical {
        width: 64; height: auto; border: round $primary; background: $panel; padding: 1 2;
    }
    FilterDialog Grid { grid-size: 2; grid-columns: 14 1fr; grid-rows: 3; height: auto; }
    FilterDialog Label { padding-top: 1; color: $text-muted; }
    FilterDialog #filter-buttons { layout: horizontal; height: 3; margin-top: 1; }
    FilterDialog Button { margin-right: 2; }
    """

    def __init__(self, store: Store, view: BoardView) -> None:
        super().__init__()
        self.store = store
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Show only accounts that match every filter:")
            with Grid():
                for field in FILTER_FIELDS:
                    yield Label(field.title())
                    yield Select([], prompt="any", id=f"filter-{field}", allow_blank=True)
                yield Label("NPS group")
                yield Select([(name, name) for name in NPS_GROUPS], prompt="any",
                             value=self.view.nps_group or Select.NULL, id="filter-nps_group")
                yield Label("Health")
                yield Select([(name, name) for name in HEALTH_BANDS], prompt="any",
                             value=self.view.health_band or Select.NULL, id="filter-health_band")
            with Vertical(id="filter-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear all", id="clear")

    def on_mount(self) -> None:
        self.load_values()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_values(self) -> None:
        """Read the segments, owners and plans the book holds, off the UI thread."""
        self.post_message(_ValuesLoaded(
            {field: self.store.distinct_values(field) for field in FILTER_FIELDS}))

    @on(_ValuesLoaded)
    def _fill(self, message: _ValuesLoaded) -> None:
        for field, values in message.values.items():
            select = self.query_one(f"#filter-{field}", Select)
            select.set_options([(Text(visible(value)), value) for value in values])
            current = getattr(self.view, field)
            if current in values:
                select.value = current

    def _chosen(self) -> BoardView:
        changes = {}
        for field in (*FILTER_FIELDS, "nps_group", "health_band"):
            value = self.query_one(f"#filter-{field}", Select).value
            changes[field] = None if value is Select.NULL else value
        return replace(self.view, **changes)

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        """Close and filter the board."""
        self.dismiss(self._chosen())

    @on(Button.Pressed, "#clear")
    def action_clear(self) -> None:
        """Close and show every account (the search box is cleared separately)."""
        self.dismiss(replace(self.view, segment=None, owner=None, plan=None, nps_group=None,
                             health_band=None))

    def action_cancel(self) -> None:
        """Close without changing the board."""
        self.dismiss(None)
