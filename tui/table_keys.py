"""Board-style keys (j/k, g/G, Home/End) for a screen whose list is its one DataTable."""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

TABLE_KEYS: list[BindingType] = [
    Binding("j", "table('cursor_down')", "Down", show=False),
    Binding("k", "table('cursor_up')", "Up", show=False),
    # priority: the table's own Home/End scroll sideways
    Binding("g,home", "table('scroll_top')", "First", show=False, priority=True),
    Binding("G,end", "table('scroll_bottom')", "Last", show=False, priority=True),
]
"""Add to a screen's BINDINGS, with `TableKeys` among its bases."""


class TableKeys:
    """The action behind TABLE_KEYS: one of the screen's DataTable's own cursor actions."""

    def action_table(self, action: str) -> None:
        """Run the DataTable's `action_<action>` (cursor_down, scroll_top, ...)."""
        getattr(self.query_one(DataTable), f"action_{action}")()  # type: ignore[attr-defined]
