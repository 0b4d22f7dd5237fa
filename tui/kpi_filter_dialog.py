"""The dashboard's filter dialog: a segment, owner and plan, or any."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from store.display import visible
from store.kpis.filters import BookFilter

FILTER_FIELDS = ("segment", "owner", "plan")
"""The account fields the dashboard filters on."""


class KpiFilterDialog(ModalScreen[BookFilter | None]):
    """Pick a segment, owner and plan (or any); returns the new filter, None when cancelled."""

    CSS_PATH = "dashboard_screen.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="dashboard-filter.apply", priority=True),
        Binding("escape", "cancel", "Cancel", id="dashboard-filter.cancel"),
        Binding("ctrl+x", "clear", "Clear", id="dashboard-filter.clear", priority=True),
    ]
    """ctrl+s applies from any field, escape leaves the filter as it was, ctrl+x clears it."""

    def __init__(self, book: BookFilter, options: dict[str, list[str]]) -> None:
        super().__init__()
        self.book = book
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(id="kpi-filter-dialog"):
            yield Label("Filter the dashboard", id="kpi-filter-title")
            for field in FILTER_FIELDS:
                yield Label(field.title(), classes="kpi-filter-label")
                choices = [(visible(value), value) for value in self.options.get(field, [])]
                current = getattr(self.book, field)
                yield Select(choices, prompt=f"any {field}", id=f"kpi-filter-{field}",
                             value=current if current in self.options.get(field, []) else
                             Select.NULL)
            yield Static("ctrl+s apply · ctrl+x clear · esc cancel", id="kpi-filter-keys",
                         markup=False)
            with Horizontal(id="kpi-filter-buttons"):
                yield Button("Apply", variant="primary", id="kpi-filter-apply")
                yield Button("Cancel", id="kpi-filter-cancel")

    def action_apply(self) -> None:
        """Close with the filter the fields describe."""
        chosen: dict[str, Any] = {}
        for field in FILTER_FIELDS:
            value = self.query_one(f"#kpi-filter-{field}", Select).value
            chosen[field] = None if value is Select.NULL else value
        self.dismiss(replace(self.book, materialized=None, **chosen))

    def action_clear(self) -> None:
        """Any segment, owner and plan."""
        for field in FILTER_FIELDS:
            self.query_one(f"#kpi-filter-{field}", Select).clear()

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)

    @on(Button.Pressed, "#kpi-filter-apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#kpi-filter-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
