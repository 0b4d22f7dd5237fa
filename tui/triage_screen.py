"""Today: one ranked row per account that needs its CSM, with why, grouping, filters and actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
from store.errors import StoreError
from store.money import format_money_short
from store.playbooks import describe
from store.settings import REASON_KINDS
from store.today import Scope, TodayQueue, TodayRow, counts_by_reason, my_scope
from store.user_config import author, me
from tui.calm_screen import CalmScreen
from tui.messages import BookChanged
from tui.steady_footer import SteadyFooter
from tui.table_keys import TABLE_KEYS, TableKeys
from tui.today_dialogs import ChoiceDialog, SnoozeDialog, WhyDialog

MAX_ROWS = 500
"""Rows shown at most, highest score first: a DataTable holds every row in Python (about 1 s
per 10k rows), and nobody triages past a few hundred; the header still counts them all."""

TAGS = {
    "renewal": ("RENEWAL", "text-success"),
    "detractor": ("DETRACTOR", "text-error"),
    "follow_up": ("FOLLOW-UP", "text-warning"),
    "playbook": ("PLAYBOOK", "text-accent"),
    "onboarding": ("ONBOARDING", "text-secondary"),
    "health": ("HEALTH", "text-error"),
    "quiet": ("QUIET", "text-primary"),
    "billing": ("BILLING", "text-error"),
}
"""Each reason kind's tag and the theme variable it is drawn in (the `text-*` variants are
the ones themes make legible on their own backgrounds)."""

PLURALS = {
    "renewal": "renewal", "detractor": "detractor", "follow_up": "follow-up",
    "playbook": "playbook", "onboarding": "onboarding", "health": "health", "quiet": "quiet",
    "billing": "billing",
}
"""How the header names each kind beside its count (short, so the counts fit on one line at
100 columns on most books; they wrap onto a second line when they do not)."""

FAST_KINDS = tuple(kind for kind in REASON_KINDS if kind != "health")
"""Read first; health (which records the day's scores the first time, about 2 s on a 100k
book) follows in the same worker."""

GROUPINGS = ("none", "reason", "owner")
"""What `b` cycles through: no groups, by strongest reason, by owner."""

NARROW_COLUMNS = 4 + 6 + 10 + 26 + 8 + 6 * 2 + 3
"""The rank, score, tag, account and MRR columns, a cell of padding each side of every
column, and the vertical scrollbar with a cell to spare."""
OWNER_WIDTH = 16
OWNER_FROM = 130
"""Terminal width from which the owner column is shown."""
MIN_REASON_WIDTH = 20

EMPTY_QUEUE = "Nothing needs you today."


@dataclass
class QueueLoaded(Message):
    """Today as read for a scope; `health_pending` while the health rule is still running."""

    queue: TodayQueue
    owners: list[str]
    health_pending: bool


@dataclass
class RowActed(Message):
    """A task was completed or an account snoozed; `note` says which, for a notification."""

    note: str


@dataclass
class View:
    """What the user chose to see: whose book, a reason filter, a grouping."""

    scope: Scope
    reason: str | None = None
    grouping: str = "none"
    owners: list[str] = field(default_factory=list)


def _group_of(row: TodayRow, grouping: str) -> str:
    if grouping == "reason":
        return row.top.reason_kind
    if grouping == "owner":
        return row.owner or ""
    return ""


def shown_rows(rows: list[TodayRow], view: View) -> list[TodayRow]:
    """The rows the view shows, in display order (grouped rows keep their rank order inside
    a group; groups follow their best-ranked row)."""
    kept = [row for row in rows if view.reason is None or view.reason in row.kinds]
    if view.grouping == "none":
        return kept
    order: dict[str, int] = {}
    for row in kept:
        order.setdefault(_group_of(row, view.grouping), len(order))
    return sorted(kept, key=lambda row: (order[_group_of(row, view.grouping)], row.rank))


class TriageScreen(TableKeys, CalmScreen[None]):
    """Today: every account that needs its CSM, highest score first, one row per account."""

    CSS_PATH = "triage_screen.tcss"

    BINDINGS = [
        Binding("enter", "open", "Open", id="triage.open", priority=True),
        Binding("i", "log", "Log", id="triage.log"),
        Binding("s", "snooze", "Snooze", id="triage.snooze"),
        Binding("d", "done", "Done", id="triage.done"),
        Binding("w", "why", "Why", id="triage.why"),
        Binding("f", "filter", "Filter", id="triage.filter"),
        Binding("b", "group", "Group", id="triage.group"),
        Binding("o", "scope", "Whose", id="triage.scope"),
        Binding("escape", "clear_filter", "Clear", show=False, id="triage.clear"),
        Binding("r", "reload", "Reload", show=False, id="triage.reload"),
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

    def __init__(self, store: Store, scope: Scope | None = None) -> None:
        super().__init__()
        self.store = store
        self.view = View(scope or my_scope(me()))
        self.queue: TodayQueue | None = None
        """Today as last read (every row of the scope, filtered or not)."""
        self.health_pending = False
        self._shown: list[TodayRow | str] = []
        """The table's rows in order: a Today row, or a group's heading."""

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("Reading today's queue…", id="triage-summary")
        yield Static("", id="triage-counts")
        table: DataTable[Text] = DataTable(id="triage-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(EMPTY_QUEUE, id="triage-empty")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._add_columns()
        self.query_one("#triage-empty").display = False
        self.query_one(DataTable).focus()
        self.load_queue()

    def _add_columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(Text("#", justify="right"), key="rank", width=4)
        table.add_column(Text("Score", justify="right"), key="score", width=6)
        table.add_column("Why", key="kind", width=10)
        table.add_column("Account", key="account", width=26)
        if self._with_owner():
            table.add_column("Owner", key="owner", width=OWNER_WIDTH)
        table.add_column("Reasons, strongest first", key="reason", width=self._reason_width())
        table.add_column(Text("MRR", justify="right"), key="mrr", width=8)

    def _with_owner(self) -> bool:
        return self.app.size.width >= OWNER_FROM

    def _reason_width(self) -> int:
        """What the other columns, their padding and the scrollbar leave of the width."""
        used = NARROW_COLUMNS + (OWNER_WIDTH + 2 if self._with_owner() else 0)
        return max(MIN_REASON_WIDTH, self.app.size.width - used)

    # -- reading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="triage-load", exit_on_error=False)
    def load_queue(self) -> None:
        """Read Today off the UI thread: the quick rules first, then with health."""
        worker = get_current_worker()
        today = utc_now().date()
        scope = self.view.scope
        owners = self.store.distinct_values("owner")
        quick = self.store.today_reasons(today, scope, FAST_KINDS)
        if worker.is_cancelled:  # a newer load (a reload, a new scope, a write) is running
            return
        self.post_message(QueueLoaded(self.store.rank_today(today, scope, quick, FAST_KINDS),
                                      owners, health_pending=True))
        health = self.store.today_reasons(today, scope, ["health"])
        if not worker.is_cancelled:
            self.post_message(QueueLoaded(self.store.rank_today(today, scope, quick + health),
                                          owners, health_pending=False))
            self._start_due_playbooks(today)

    def _start_due_playbooks(self, today: date) -> None:
        """Start the playbooks the day calls for (renewals ahead, late onboarding, red health),
        after the queue is on screen; the queue reloads when runs started."""
        try:
            fired = self.store.evaluate_playbooks(today)
        except StoreError as error:
            self.app.call_from_thread(self.notify, visible(str(error)), markup=False,
                                      title="Playbooks were not started", severity="warning")
            return
        if fired.run_count:
            self.app.call_from_thread(self.notify, visible(describe(fired)), markup=False,
                                      title="Playbooks")
            self.post_message(BookChanged())  # show the tasks the runs opened

    @on(QueueLoaded)
    def show_queue(self, message: QueueLoaded) -> None:
        """Refill the table, keeping the cursor on the same account, or position."""
        if message.queue.scope != self.view.scope:
            return  # read for a scope the user has since left
        # The health rows arriving under a cursor still on the first row: stay on the first
        # row (the account that was first may rank lower now; the user never chose it).
        at_top = (self.health_pending and not message.health_pending
                  and self.query_one(DataTable).cursor_row == 0)
        self.queue = message.queue
        self.view.owners = message.owners
        self.health_pending = message.health_pending
        self._refill(at_top)

    def on_resize(self) -> None:
        if self.queue is not None:
            self._add_columns()
            self._refill()

    def _refill(self, at_top: bool = False) -> None:
        table = self.query_one(DataTable)
        if ColumnKey("reason") in table.columns:
            table.columns[ColumnKey("reason")].width = self._reason_width()
        previous = self.selected_account_id
        previous_row = table.cursor_row
        rows = shown_rows(self.queue.rows if self.queue else [], self.view)
        table.clear()
        variables = self.app.get_css_variables()
        styles = {kind: Style(color=variables.get(name), bold=True)
                  for kind, (_, name) in TAGS.items()}
        self._shown = []
        group = None
        for row in rows[:MAX_ROWS]:
            if self.view.grouping != "none" and _group_of(row, self.view.grouping) != group:
                group = _group_of(row, self.view.grouping)
                self._add_heading(table, group, sum(
                    1 for other in rows if _group_of(other, self.view.grouping) == group))
            self._add_row(table, row, styles)
        self._update_summary(len(rows))
        self.query_one("#triage-empty").display = not rows and not self.health_pending
        if self._shown:
            table.move_cursor(row=self._cursor_after_reload(None if at_top else previous,
                                                            0 if at_top else previous_row),
                              animate=False)

    def _add_heading(self, table: DataTable[Text], group: str, count: int) -> None:
        if self.view.grouping == "reason":
            label = f"{TAGS[group][0]} · {count:,}"
        else:
            label = f"{group or '(no owner)'} · {count:,}"
        cells = [Text("")] * len(table.columns)
        cells[3] = Text(visible(label), style="bold underline", no_wrap=True)
        table.add_row(*cells, key=f"group:{self.view.grouping}:{group}")
        self._shown.append(label)

    def _add_row(self, table: DataTable[Text], row: TodayRow,
                 styles: dict[str, Style]) -> None:
        kind = row.top.reason_kind
        reason = visible(row.top.reason)
        if len(row.reasons) > 1:
            reason += f"  +{len(row.reasons) - 1}: " + "; ".join(
                visible(item.reason) for item in row.reasons[1:])
        cells = [
            Text(str(row.rank), justify="right"),
            Text(f"{row.score:.0f}", justify="right"),
            Text(TAGS[kind][0], style=styles[kind], no_wrap=True),
            Text(visible(row.account_name), no_wrap=True, overflow="ellipsis"),
        ]
        if self._with_owner():
            cells.append(Text(visible(row.owner or "—"), no_wrap=True, overflow="ellipsis"))
        cells += [
            Text(reason, no_wrap=True, overflow="ellipsis"),
            Text(format_money_short(row.mrr_cents) if row.mrr_cents else "–", justify="right",
                 no_wrap=True),
        ]
        table.add_row(*cells, key=row.account_id)
        self._shown.append(row)

    def _cursor_after_reload(self, previous: str | None, previous_row: int) -> int:
        """The same account if it is still there, else the row now at the old position (the
        next one, once a row went away); never a group heading when a row is near."""
        ids = [item.account_id if isinstance(item, TodayRow) else None for item in self._shown]
        if previous is not None and previous in ids:
            return ids.index(previous)
        index = max(0, min(previous_row, len(self._shown) - 1))
        while index < len(ids) - 1 and ids[index] is None:
            index += 1
        return index

    def _update_summary(self, shown: int) -> None:
        queue = self.queue
        total = len(queue.rows) if queue else 0
        day = queue.today.isoformat() if queue else ""
        line = f"Today {day} · {self.view.scope.label} · {total:,} accounts"
        if self.view.reason:
            line += f" · only {PLURALS[self.view.reason]} ({shown:,}; esc clears)"
        if self.view.grouping != "none":
            line += f" · by {self.view.grouping}"
        if shown > MAX_ROWS:
            line += f" · the first {MAX_ROWS:,} shown"
        if queue and queue.snoozed:
            line += f" · {queue.snoozed:,} snoozed"
        if self.view.scope.owner is None and not me():
            line += " · set `me` for your own book"
        self.query_one("#triage-summary", Static).update(
            Text(visible(line), no_wrap=True, overflow="ellipsis"))
        counts = counts_by_reason(queue.rows if queue else [])
        # A no-break space keeps each kind beside its count; a narrow screen wraps between them.
        parts = [f"{PLURALS[kind]}\u00a0{count:,}" for kind, count in counts.items()]
        if self.health_pending:
            parts.append("health:\u00a0checking…")
        self.query_one("#triage-counts", Static).update(Text(" · ".join(parts)))

    @property
    def rows(self) -> list[TodayRow]:
        """The Today rows on screen, in display order (group headings aside)."""
        return [item for item in self._shown if isinstance(item, TodayRow)]

    @property
    def selected(self) -> TodayRow | None:
        """The row under the cursor, if it is an account (not a group heading)."""
        table = self.query_one(DataTable)
        if not self._shown or not 0 <= table.cursor_row < len(self._shown):
            return None
        item = self._shown[table.cursor_row]
        return item if isinstance(item, TodayRow) else None

    @property
    def selected_account_id(self) -> str | None:
        """The selected row's account (the app's log/answer/task keys act on it)."""
        row = self.selected
        return row.account_id if row is not None else None

    @on(BookChanged)
    def book_changed(self) -> None:
        """Another connection (an import, a form, this screen's own write) committed: reload."""
        self.load_queue()

    # -- actions ---------------------------------------------------------------------------

    def action_open(self) -> None:
        """Ask the app to open the selected account."""
        if (row := self.selected) is not None:
            self.post_message(self.OpenAccount(row.account_id))

    def action_log(self) -> None:
        """Ask the app to log an interaction for the selected account."""
        if (row := self.selected) is not None:
            self.post_message(self.LogInteraction(row.account_id))

    def action_why(self) -> None:
        """Show the terms of the selected row's score."""
        if (row := self.selected) is not None:
            self.app.push_screen(WhyDialog(
                f"#{row.rank} {row.account_name}: score {row.score:.1f}", row.explain()))

    def action_snooze(self) -> None:
        """Ask how long, then keep the account out of Today until then."""
        row = self.selected
        if row is None or self.queue is None:
            return

        def chosen(until: date | None) -> None:
            if until is not None:
                self.snooze(row.account_id, row.account_name, until)

        self.app.push_screen(SnoozeDialog(row.account_name, self.queue.today), chosen)

    def action_done(self) -> None:
        """Mark the row's most urgent due task done; other reasons have nothing to complete."""
        row = self.selected
        if row is None:
            return
        task = next((item.task_id for item in row.reasons if item.task_id), None)
        if task is None:
            self.notify("Nothing to mark done here: i logs an interaction, s snoozes.",
                        markup=False)
            return
        self.complete(task)

    def action_filter(self) -> None:
        """Show only the rows with one reason kind."""
        counts = counts_by_reason(self.queue.rows if self.queue else [])
        choices = [(kind, f"{TAGS[kind][0]} · {count:,}") for kind, count in counts.items()]
        if not choices:
            return

        def chosen(kind: str | None) -> None:
            if kind is not None:
                self.view.reason = kind
                self._refill()

        self.app.push_screen(ChoiceDialog("Show only the accounts with:", choices,
                                          self.view.reason), chosen)

    def action_clear_filter(self) -> None:
        """Drop the reason filter (and the grouping); with none, go back as Esc does elsewhere."""
        if self.view.reason is None and self.view.grouping == "none":
            self.app.action_back()  # type: ignore[attr-defined]
            return
        self.view.reason = None
        self.view.grouping = "none"
        self._refill()

    def action_group(self) -> None:
        """Cycle the grouping: none, by strongest reason, by owner."""
        self.view.grouping = GROUPINGS[(GROUPINGS.index(self.view.grouping) + 1) % len(GROUPINGS)]
        self._refill()

    def action_scope(self) -> None:
        """Pick whose accounts to show: mine, the whole book, or another owner's."""
        mine = me()
        choices = [("@whole", "Whole book (unowned accounts too)")]
        if mine:
            choices.insert(0, ("@mine", f"My book ({mine})"))
        choices += [(f"={owner}", owner) for owner in self.view.owners if owner != mine]
        current = ("@whole" if self.view.scope.owner is None else
                   "@mine" if self.view.scope.mine else f"={self.view.scope.owner}")

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            scope = (Scope() if choice == "@whole" else my_scope(mine) if choice == "@mine"
                     else Scope(choice[1:]))
            self.switch_scope(scope)

        self.app.push_screen(ChoiceDialog("Whose accounts:", choices, current), chosen)

    def switch_scope(self, scope: Scope) -> None:
        """Show another scope's Today (read again in the background)."""
        self.view.scope = scope
        self.query_one("#triage-summary", Static).update(
            Text(f"Reading {visible(scope.label)}…", no_wrap=True))
        self.load_queue()

    def action_reload(self) -> None:
        """Read Today again."""
        self.load_queue()

    @work(thread=True, group="triage-write", exit_on_error=False)
    def complete(self, task_id: str) -> None:
        """Mark a task done, off the UI thread."""
        task = self.store.complete_task(task_id)
        self.post_message(RowActed(f"Done: {task.title}"))

    @work(thread=True, group="triage-write", exit_on_error=False)
    def snooze(self, account_id: str, name: str, until: date) -> None:
        """Keep an account out of Today until `until`, off the UI thread."""
        self.store.snooze_account(account_id, until, author())
        self.post_message(RowActed(f"Snoozed until {until.isoformat()}: {name}"))

    @on(RowActed)
    def row_acted(self, message: RowActed) -> None:
        """Say what changed and read Today again."""
        self.notify(visible(message.note), markup=False)
        self.load_queue()
