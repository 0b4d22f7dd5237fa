"""The accounts behind a KPI's figure for a period (the churned, the detractors, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from store import Store
from store.clock import parse_timestamp
from store.display import visible
from store.kpis import drilldown
from store.kpis.catalog import BY_NAME
from store.kpis.filters import BookFilter
from store.kpis.formatting import format_value
from store.kpis.periods import Period
from tui.calm_screen import CalmScreen
from tui.steady_footer import SteadyFooter
from tui.table_keys import TABLE_KEYS, TableKeys


def readable_detail(detail: str) -> str:
    """A stored timestamp as `2026-10-06 12:20 UTC`; any other detail as it is."""
    try:
        return parse_timestamp(detail).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return detail


DRILL_ROWS = 1000
"""Rows a drill-down list shows at most (a DataTable holds every row in Python); the header
still gives the full count."""


@dataclass
class DrillLoaded(Message):
    """The rows of one drill-down view."""

    view: drilldown.DrillView
    rows: list[drilldown.DrillRow]


class DrillScreen(TableKeys, CalmScreen[None]):
    """The accounts behind one KPI for the period; Enter opens an account's pane."""

    CSS_PATH = "dashboard_screen.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="drill.open", priority=True),
        Binding("n", "next_view", "Next list", id="drill.next"),
        Binding("escape", "back", "Back", key_display="esc", id="drill.back"),
        *TABLE_KEYS,
    ]
    """`n` cycles the lists a KPI has (NPS: detractors, passives, promoters); j/k/g/G move as
    on the board."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`n` only for a KPI with more than one list."""
        return action != "next_view" or len(self.views) > 1

    def __init__(self, store: Store, name: str, period: Period, book: BookFilter,
                 view: int = 0) -> None:
        super().__init__()
        self.store = store
        self.kpi_name = name
        self.period = period
        self.book = book
        self.views = drilldown.views(name)
        self.view_index = view
        self.rows: list[drilldown.DrillRow] = []
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("Reading…", id="drill-summary", markup=False)
        yield DataTable(id="drill-table", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    @property
    def view(self) -> drilldown.DrillView:
        """The list being shown."""
        return self.views[self.view_index]

    @work(thread=True, exclusive=True, group="drill-load", exit_on_error=False)
    def load(self) -> None:
        """Read the view's rows off the UI thread."""
        view = self.view
        rows = self.store.kpi_accounts(self.kpi_name, view.key, self.period, self.book)
        if not get_current_worker().is_cancelled:
            self.post_message(DrillLoaded(view, rows))

    @on(DrillLoaded)
    def show_rows(self, message: DrillLoaded) -> None:
        """Fill the table with the view's rows (the first DRILL_ROWS of them)."""
        if message.view != self.view:
            return
        self.rows, self.total = message.rows[:DRILL_ROWS], len(message.rows)
        view = message.view
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("Account", key="account", width=36)
        table.add_column("Key", key="key", width=14)
        table.add_column(Text(view.figure_label, justify="right"), key="figure", width=12)
        table.add_column("When", key="when", width=22)
        for index, row in enumerate(self.rows):
            table.add_row(
                Text(visible(row.account_name), no_wrap=True, overflow="ellipsis"),
                Text(visible(row.account_id), no_wrap=True),
                Text(format_value(row.figure, view.figure_unit), justify="right"),
                Text(visible(readable_detail(row.detail)), no_wrap=True),
                key=str(index),
            )
        label = BY_NAME[self.kpi_name].label
        heading = view.title if view.title.lower().startswith(label.lower()) \
            else f"{label} · {view.title}"
        line = f"{heading} · {self.period.label} · {self.book.describe()} · {self.total:,} rows"
        if self.total > len(self.rows):
            line += f" (showing {len(self.rows):,})"
        if len(self.views) > 1:
            line += " · n: next list"
        self.query_one("#drill-summary", Static).update(line)

    @property
    def selected_account_id(self) -> str | None:
        """The account under the cursor (the app's log/answer/task keys act on it)."""
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row].account_id

    def action_open(self) -> None:
        """Open the selected account's pane."""
        if (account_id := self.selected_account_id) is not None:
            self.app.open_account(account_id)  # type: ignore[attr-defined]

    def action_next_view(self) -> None:
        """Show the KPI's next list of accounts."""
        if len(self.views) > 1:
            self.view_index = (self.view_index + 1) % len(self.views)
            self.query_one("#drill-summary", Static).update("Reading…")
            self.load()

    def action_back(self) -> None:
        """Back to the dashboard."""
        self.app.pop_screen()
