"""The triage queue ("Today"): who needs the CSM today and why, with single-key actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.widgets.data_table import ColumnKey
from textual.worker import get_current_worker

from store import Store
from store.clock import utc_now
from store.display import visible
from store.money import format_money_short
from store.triage import REASON_KINDS, TriageItem, counts_by_kind
from tui.calm_screen import CalmScreen
from tui.messages import BookChanged
from tui.steady_footer import SteadyFooter
from tui.table_keys import TABLE_KEYS, TableKeys

MAX_ROWS = 500
"""Rows shown at most, most urgent first: a DataTable holds every row in Python (about 1 s
per 10k rows), and nobody triages past a few hundred; the header still counts them all."""

TAGS = {
    "follow_up": ("FOLLOW-UP", "text-warning"),
    "detractor": ("DETRACTOR", "text-error"),
    "renewal": ("RENEWAL", "text-success"),
    "onboarding": ("ONBOARDING", "text-secondary"),
    "quiet": ("QUIET", "text-primary"),
    "health": ("HEALTH", "text-error"),
}
"""Each reason kind's tag and the theme variable it is drawn in (the `text-*` variants are
the ones themes make legible on their own backgrounds)."""

PLURALS = {
    "follow_up": "follow-ups",
    "detractor": "detractors",
    "renewal": "renewals",
    "onboarding": "onboarding",
    "quiet": "quiet",
    "health": "health",
}

FAST_KINDS = tuple(kind for kind in REASON_KINDS if kind != "health")
"""Read first; health (about 1.3 s on a 100k book) follows in the same worker."""

FIXED_COLUMNS_WIDTH = 10 + 28 + 8 + 4 * 2 + 3
"""The tag, account and MRR columns, one cell of padding each side of every column, and the
vertical scrollbar with a cell to spare."""
MIN_REASON_WIDTH = 24

EMPTY_QUEUE = "Nothing needs you today."


def row_key(item: TriageItem) -> str:
    """A row's identity across reloads: one account may have a row per reason (and task)."""
    return f"{item.reason_kind}:{item.account_id}:{item.task_id or ''}"


@dataclass
class QueueLoaded(Message):
    """The queue as read on `today`; `health_pending` while the health rule is still running."""

    today: date
    items: list[TriageItem]
    health_pending: bool


@dataclass
class TaskUpdated(Message):
    """A follow-up task was completed or snoozed; `note` says which, for a notification."""

    note: str


class TriageScreen(TableKeys, CalmScreen[None]):
    """Every account that needs its CSM today, most urgent first, one row per reason."""

    CSS_PATH = "triage_screen.tcss"

    BINDINGS = [
        Binding("enter", "open", "Open", id="triage.open", priority=True),
        Binding("i", "log", "Log", id="triage.log"),
        Binding("s", "snooze", "Snooze", id="triage.snooze"),
        Binding("d", "done", "Done", id="triage.done"),
        Binding("r", "reload", "Reload", id="triage.reload"),
        *TABLE_KEYS,
    ]
    """Single keys on the selected row; `enter` has priority over the table's own select; j/k/g/G
    move as on the board."""

    @dataclass
    class OpenAccount(Message):
        """The user asked to open this account (the app shows its pane)."""

        account_id: str

    @dataclass
    class LogInteraction(Message):
        """The user asked to log an interaction for this account (the app opens the form)."""

        account_id: str

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.items: list[TriageItem] = []
        """The whole queue as last read (hidden rows included)."""
        self.today: date | None = None
        self.health_pending = False
        self.hidden: dict[str, date] = {}
        """Rows snoozed for the day (not follow-ups, which the store snoozes), by row key.
        Per screen, so per session: a restart shows them again."""
        self._shown: list[TriageItem] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("Reading today's queue…", id="triage-summary")
        table: DataTable[Text] = DataTable(id="triage-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(EMPTY_QUEUE, id="triage-empty")
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Why", key="kind", width=10)
        table.add_column("Account", key="account", width=28)
        table.add_column("Reason", key="reason", width=self._reason_width())
        table.add_column(Text("MRR", justify="right"), key="mrr", width=8)
        self.query_one("#triage-empty").display = False
        table.focus()
        self.load_queue()

    # -- reading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="triage-load", exit_on_error=False)
    def load_queue(self) -> None:
        """Read the queue off the UI thread: the quick rules first, then the health rule."""
        worker = get_current_worker()
        today = utc_now().date()
        items = self.store.triage(today, FAST_KINDS)
        if worker.is_cancelled:  # a newer load (a reload, or one after a write) is running
            return
        self.post_message(QueueLoaded(today, items, health_pending=True))
        health = self.store.triage(today, ["health"])
        if not worker.is_cancelled:
            merged = sorted(items + health, key=lambda item: item.sort_key)
            self.post_message(QueueLoaded(today, merged, health_pending=False))

    @on(QueueLoaded)
    def show_queue(self, message: QueueLoaded) -> None:
        """Refill the table, keeping the cursor on the same row, account, or position."""
        self.today = message.today
        self.items = message.items
        self.health_pending = message.health_pending
        self.hidden = {key: day for key, day in self.hidden.items() if day >= message.today}
        self._refill()

    def _reason_width(self) -> int:
        """What the other columns, their padding and the scrollbar leave of the width."""
        return max(MIN_REASON_WIDTH, self.app.size.width - FIXED_COLUMNS_WIDTH)

    def on_resize(self) -> None:
        if self.today is not None:
            self._refill()

    def _refill(self) -> None:
        table = self.query_one(DataTable)
        table.columns[ColumnKey("reason")].width = self._reason_width()
        previous = self.selected
        previous_row = table.cursor_row
        shown = [item for item in self.items if row_key(item) not in self.hidden]
        self._shown = shown[:MAX_ROWS]
        table.clear()
        variables = self.app.get_css_variables()
        tag_styles = {kind: Style(color=variables.get(name), bold=True)
                      for kind, (_, name) in TAGS.items()}
        for item in self._shown:
            table.add_row(
                Text(TAGS[item.reason_kind][0], style=tag_styles[item.reason_kind],
                     no_wrap=True),
                Text(visible(item.account_name), no_wrap=True, overflow="ellipsis"),
                Text(visible(item.reason), no_wrap=True, overflow="ellipsis"),
                Text(format_money_short(item.mrr_cents) if item.mrr_cents else "–",
                     justify="right", no_wrap=True),
                key=row_key(item),
            )
        self._update_summary(len(shown))
        self.query_one("#triage-empty").display = not shown and not self.health_pending
        if self._shown:
            table.move_cursor(row=self._cursor_after_reload(previous, previous_row),
                              animate=False)

    def _cursor_after_reload(self, previous: TriageItem | None, previous_row: int) -> int:
        """The same row if it is still there, else the same account's first row, else the
        row now at the old position (the next one, once a row went away)."""
        if previous is not None:
            keys = [row_key(item) for item in self._shown]
            if row_key(previous) in keys:
                return keys.index(row_key(previous))
            for index, item in enumerate(self._shown):
                if item.account_id == previous.account_id:
                    return index
        return max(0, min(previous_row, len(self._shown) - 1))

    def _update_summary(self, total: int) -> None:
        counts = counts_by_kind([item for item in self.items if row_key(item) not in self.hidden])
        parts = [f"{PLURALS[kind]} {counts[kind]:,}" for kind in REASON_KINDS if kind in counts]
        if self.health_pending:
            parts.append("health: checking…")
        line = f"Today {self.today.isoformat() if self.today else ''} · {total:,} to look at"
        if parts:
            line += " — " + " · ".join(parts)
        if total > MAX_ROWS:
            line += f" · showing the {MAX_ROWS:,} most urgent"
        if self.hidden:
            line += f" · {len(self.hidden):,} snoozed until tomorrow"
        self.query_one("#triage-summary", Static).update(Text(line, no_wrap=True,
                                                              overflow="ellipsis"))

    @property
    def selected(self) -> TriageItem | None:
        """The item under the cursor, if any."""
        table = self.query_one(DataTable)
        if not self._shown or not 0 <= table.cursor_row < len(self._shown):
            return None
        return self._shown[table.cursor_row]

    @property
    def selected_account_id(self) -> str | None:
        """The selected row's account (the app's log/answer/task keys act on it)."""
        item = self.selected
        return item.account_id if item is not None else None

    @on(BookChanged)
    def book_changed(self) -> None:
        """Another connection (an import, a form, this screen's own write) committed: reload."""
        self.load_queue()

    # -- actions ---------------------------------------------------------------------------

    def action_open(self) -> None:
        """Ask the app to open the selected account."""
        if (item := self.selected) is not None:
            self.post_message(self.OpenAccount(item.account_id))

    def action_log(self) -> None:
        """Ask the app to log an interaction for the selected account."""
        if (item := self.selected) is not None:
            self.post_message(self.LogInteraction(item.account_id))

    def action_snooze(self) -> None:
        """Follow-ups: due tomorrow, in the store. Other rows: hidden until tomorrow."""
        item = self.selected
        if item is None or self.today is None:
            return
        tomorrow = self.today + timedelta(days=1)
        if item.task_id is not None:
            self.update_task(item.task_id, tomorrow)
            return
        self.hidden[row_key(item)] = self.today
        self._refill()
        self.notify(f"Hidden until tomorrow: {visible(item.account_name)}", markup=False)

    def action_done(self) -> None:
        """Follow-ups: mark the task done. Other rows have nothing to complete."""
        item = self.selected
        if item is None:
            return
        if item.task_id is None:
            self.notify("Only follow-ups can be marked done; s hides this row until tomorrow.",
                        markup=False)
            return
        self.update_task(item.task_id, None)

    def action_reload(self) -> None:
        """Read the queue again."""
        self.load_queue()

    @work(thread=True, group="triage-write", exit_on_error=False)
    def update_task(self, task_id: str, snooze_until: date | None) -> None:
        """Complete the task (`snooze_until` None) or snooze it, off the UI thread."""
        if snooze_until is None:
            task = self.store.complete_task(task_id)
            note = f"Done: {task.title}"
        else:
            task = self.store.snooze_task(task_id, snooze_until)
            note = f"Snoozed to {snooze_until.isoformat()}: {task.title}"
        self.post_message(TaskUpdated(note))

    @on(TaskUpdated)
    def task_updated(self, message: TaskUpdated) -> None:
        """Say what changed and read the queue again."""
        self.notify(visible(message.note), markup=False)
        self.load_queue()
