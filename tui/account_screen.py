"""The account pane: one account's facts and health on top, its whole story in tabs below.

Everything on the pane is read in one thread worker (`read_account`) and delivered in one
`AccountLoaded` message; the widgets only present it. The pane is read-only: writes (logging
an interaction, moving the stage) belong to app-level actions, which call `refresh_data()`
afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import (
    DataTable,
    Header,
    Label,
    Sparkline,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import Worker, WorkerState

from store import Store
from store.clock import days_since, utc_now
from store.display import visible
from store.errors import InvalidInput
from store.kpis.health import Health, band, score_text
from store.models import (
    Account,
    Contact,
    Deal,
    Interaction,
    Payment,
    Subscription,
    Task,
    UsageRecord,
)
from store.models.views import NpsGroup, TimelineEntry
from store.money import format_money, format_money_short
from tui.calm_screen import CalmScreen
from tui.confirm_dialog import ConfirmDialog
from tui.detail_screen import DetailScreen
from tui.forms.edit_interaction_form import EditInteractionForm
from tui.messages import BookChanged
from tui.sales_tabs import deal_rows, deals_note, payment_rows, payments_note
from tui.steady_footer import SteadyFooter

TIMELINE_LIMIT = 500
"""Newest timeline entries shown; older ones are counted in the note above the table."""

USAGE_LIMIT = 200
"""Most recent usage rows read for the Usage tab (table and sparkline)."""

CELL_LIMIT = 300
"""Characters of one value put in a table cell; a megabyte-long note would only be cut anyway."""

TABS = ("timeline", "contacts", "billing", "usage", "tasks", "deals", "payments")
"""The tab panes in order; keys 1-7 switch to them and each pane's id is `tab-<name>`."""

MUTED = "$text 60%"
"""Muted text inside Content. `$text-muted` works in CSS, but as a Content style Textual 8.2
resolves it to full-strength white, the opposite of muted."""

BAND_STYLES = {
    "healthy": "$text-success",
    "watch": "$text-warning",
    "at risk": "$text-error",
}
"""Theme colour of each health band (and of a component scoring in that band)."""

NPS_STYLES = {
    NpsGroup.PROMOTER: "$text-success",
    NpsGroup.PASSIVE: "$text-warning",
    NpsGroup.DETRACTOR: "$text-error",
}

EDITABLE_SOURCES = ("tui", "cli")
"""Interactions logged by hand can be corrected or deleted; an imported one would come back
with the next import, so it is corrected at its source."""

TABLE_FRAME = 4
"""Cells of a tab's width not available to table columns: the pane's padding and scrollbar."""


@dataclass(frozen=True, slots=True)
class LatestNps:
    """The newest NPS answer of an account."""

    score: int
    answered_on: date

    @property
    def group(self) -> NpsGroup:
        """Promoter, passive or detractor."""
        return NpsGroup.of(self.score)


@dataclass(frozen=True)
class AccountSnapshot:
    """Everything the pane shows of one account, read in one go."""

    account: Account
    stage_label: str
    today: date
    health: Health
    timeline: list[TimelineEntry]
    """The newest TIMELINE_LIMIT entries, newest first."""
    timeline_total: int
    latest_nps: LatestNps | None
    contacts: list[Contact]
    subscriptions: list[Subscription]
    mrr_history: list[tuple[str, int]]
    usage: list[UsageRecord]
    """Newest first."""
    open_tasks: list[Task]
    health_trend: list[float | None] = field(default_factory=list)
    """The recorded health score on each of the last HEALTH_TREND_DAYS days (None: none)."""
    deals: list[Deal] = field(default_factory=list)
    """Open first, then by close date, newest first."""
    payments: list[Payment] = field(default_factory=list)
    """Newest first."""
    unrecovered_payment: Payment | None = None
    """The newest failed payment nothing collected has followed."""


@dataclass
class InteractionRead(Message):
    """A worker read the interaction to edit or delete (`purpose`)."""

    interaction: Interaction
    purpose: str


@dataclass
class InteractionDeleted(Message):
    """An interaction was deleted (or, with `restored`, put back)."""

    interaction: Interaction
    task_ids: list[str]
    restored: bool = False


@dataclass
class AccountLoaded(Message):
    """A worker read one account for the pane (`load` tells a stale read from the latest)."""

    load: int
    snapshot: AccountSnapshot


def _latest_nps(store: Store, account_id: str) -> LatestNps | None:
    found = store.latest_nps(account_id)
    return LatestNps(found[0], found[1].date()) if found else None


def read_account(store: Store, account_id: str, today: date) -> AccountSnapshot:
    """Read the pane's data through the Store (runs in a worker thread; touches no widget)."""
    account = store.get_account(account_id)
    try:
        stage_label = store.lifecycle().stage(account.stage).label
    except InvalidInput:  # a stage missing from the lifecycle still shows, by its key
        stage_label = account.stage
    timeline = store.timeline(account_id)
    return AccountSnapshot(
        account=account,
        stage_label=stage_label,
        today=today,
        health=store.health(account_id, today),
        health_trend=store.health_trend(account_id, HEALTH_TREND_DAYS, today),
        timeline=timeline[:TIMELINE_LIMIT],
        timeline_total=len(timeline),
        latest_nps=_latest_nps(store, account_id),
        contacts=store.contacts(account_id),
        subscriptions=store.subscriptions(account_id),
        mrr_history=store.mrr_history(account_id),
        usage=store.usage(account_id, USAGE_LIMIT),
        open_tasks=store.tasks(account_id),
        deals=store.deals(account_id),
        payments=store.payments(account_id),
        unrecovered_payment=store.unrecovered_failed_payment(account_id),
    )


# -- text helpers ---------------------------------------------------------------------------

def cell(value: object, style: str = "", *, right: bool = False) -> Text:
    """A table cell showing `value` literally, on one line, cut with an ellipsis."""
    text = visible(None if value is None else str(value))
    if len(text) > CELL_LIMIT:
        text = text[:CELL_LIMIT] + "…"
    return Text(text, style=style, no_wrap=True, overflow="ellipsis",
                justify="right" if right else "left")


def plural(count: int, word: str) -> str:
    """`1 day`, `3 days`."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def days_to_go(day: date, today: date) -> str:
    """`today`, `in 12 days`, `3 days ago`."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    return f"in {plural(delta, 'day')}" if delta > 0 else f"{plural(-delta, 'day')} ago"


def band_style(score: float | None) -> str:
    """The theme colour of the band a 0-100 score falls in."""
    if score is None:
        return MUTED
    return BAND_STYLES[band(score)]


def facts_content(snapshot: AccountSnapshot) -> Content:
    """The left half of the facts panel: name, key, stage, owner, segment, plan, MRR, renewal, NPS."""
    account, today = snapshot.account, snapshot.today
    parts: list[str | tuple[str, str] | Content] = [
        (visible(account.name), "bold"), "  ", (visible(account.id), MUTED),
    ]

    def row(label: str, *value: str | tuple[str, str]) -> None:
        parts.append("\n")
        parts.append((f"{label:<9}", MUTED))
        parts.extend(value or [("—", MUTED)])

    stage: list[str | tuple[str, str]] = [(visible(snapshot.stage_label), "bold")]
    if account.stage_entered_at is not None:
        days = days_since(account.stage_entered_at, today)
        stage.append(f" · {plural(days, 'day')} in stage")
    row("Stage", *stage)
    row("Owner", *([visible(account.owner)] if account.owner else []))
    row("Segment", *([visible(account.segment)] if account.segment else []))
    row("Plan", *([visible(account.plan)] if account.plan else []))
    row("MRR", (f"{format_money(account.mrr_cents)}/mo", "bold"))
    if account.renewal_on is not None:
        soon = (account.renewal_on - today).days
        style = "$text-error" if soon < 0 else "$text-warning" if soon <= 30 else ""
        row("Renewal", account.renewal_on.isoformat(), " · ",
            (days_to_go(account.renewal_on, today), style))
    else:
        row("Renewal")
    nps = snapshot.latest_nps
    if nps is not None:
        row("NPS", (f"{nps.score} {nps.group.value}", NPS_STYLES[nps.group]),
            f" · {nps.answered_on.isoformat()}")
    else:
        row("NPS", ("no answer yet", MUTED))
    return Content.assemble(*parts)


def sparkline_chart(name: str) -> ComposeResult:
    """A tab's sparkline with its first and last month under it (`#<name>-sparkline`,
    `#<name>-first`, `#<name>-last`)."""
    with Vertical(id=f"{name}-chart", classes="chart"):
        yield Sparkline([], id=f"{name}-sparkline")
        with Horizontal(classes="chart-axis"):
            yield Label("", id=f"{name}-first", classes="axis-first")
            yield Label("", id=f"{name}-last", classes="axis-last")


HEALTH_TREND_DAYS = 90
"""Days of recorded health the pane's sparkline covers."""
BLOCKS = "▁▂▃▄▅▆▇█"


def trend_text(values: list[float | None], width: int = 30) -> str:
    """A one-line sparkline of recorded scores (0-100), one block per bucket of days, each
    the bucket's last score; blank before anything was recorded."""
    if not any(value is not None for value in values):
        return ""
    size = max(1, -(-len(values) // width))
    cells = []
    for start in range(0, len(values), size):
        known = [value for value in values[start:start + size] if value is not None]
        cells.append(" " if not known else BLOCKS[min(7, int(known[-1] / 100 * 8))])
    return "".join(cells)


def health_content(health: Health, trend: list[float | None] | None = None) -> Content:
    """The right half of the facts panel: the score, band and recorded trend, then each
    component and why."""
    score = score_text(health.score)
    line = trend_text(trend or [])
    parts: list[str | tuple[str, str]] = [
        ("Health ", "bold"), (f"{score} {health.band}", f"bold {band_style(health.score)}"),
        (f"  {line} {HEALTH_TREND_DAYS} days" if line else "", MUTED),
        ("\n" + " " * 19 + "score  weight  why", MUTED),
    ]
    for component in health.components:
        value = score_text(component.score)
        parts += [
            "\n",
            (f"{visible(component.label):<19}", ""),
            (f"{value:>5}", band_style(component.score)),
            (f"{component.weight:>8.0f}  ", MUTED),
            (visible(component.reason), "" if component.score is not None else MUTED),
        ]
    return Content.assemble(*parts)


def min_max(values: list[int], fmt: Callable[[int], str]) -> str:
    """`min $1.2k · max $3.4k` for a sparkline's caption."""
    return f"min {fmt(min(values))} · max {fmt(max(values))}"


# -- the screen -----------------------------------------------------------------------------

class AccountScreen(CalmScreen[None]):
    """One account on one pane: facts and health above, timeline and the rest in tabs."""

    CSS_PATH = "account_screen.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", key_display="esc", id="account.back"),
        Binding("1", "show_tab('timeline')", "Timeline", show=False, id="account.tab_timeline"),
        Binding("2", "show_tab('contacts')", "Contacts", show=False, id="account.tab_contacts"),
        Binding("3", "show_tab('billing')", "Billing", show=False, id="account.tab_billing"),
        Binding("4", "show_tab('usage')", "Usage", show=False, id="account.tab_usage"),
        Binding("5", "show_tab('tasks')", "Tasks", show=False, id="account.tab_tasks"),
        Binding("6", "show_tab('deals')", "Deals", show=False, id="account.tab_deals"),
        Binding("7", "show_tab('payments')", "Payments", show=False,
                id="account.tab_payments"),
        Binding("r", "refresh", "Refresh", id="account.refresh"),
        Binding("e", "edit_interaction", "Edit note", id="account.edit"),
        Binding("D", "delete_interaction", "Delete note", id="account.delete"),
        Binding("u", "undo_delete", "Undo delete", id="account.undo"),
        Binding("h", "health_detail", "Health detail", id="account.health"),
    ]
    """Back to where the pane was opened from, tabs by number, and re-read the account (`q`
    quits, as on every screen)."""

    FOOTER_FIRST = ("account.back", "app.log", "account.edit", "account.delete",
                    "account.health")
    """The footer's first keys (then Today, KPIs and Quit)."""

    def __init__(self, store: Store, account_id: str, at_ref: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.account_id = account_id
        """The key of the account this pane shows."""
        self.at_ref = at_ref
        """The timeline entry (its `ref`) the cursor starts on, if the pane was opened at one."""
        self.snapshot: AccountSnapshot | None = None
        """What the pane shows now; None until the first read arrives."""
        self._loads = 0
        self._drawn_width = 0
        self.deleted: tuple[Interaction, list[str]] | None = None
        """The interaction deleted last and its tasks, until `u` puts it back."""
        self.sub_title = visible(account_id)

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="account-facts"):
            yield Static("Loading the account…", id="facts-summary")
            yield Static("", id="facts-health")
        with TabbedContent(id="account-tabs"):
            with TabPane("1 Timeline", id="tab-timeline"):
                yield Static("", id="timeline-note", classes="tab-note")
                yield DataTable(id="timeline-table", cursor_type="row")
            with TabPane("2 Contacts", id="tab-contacts"):
                yield Static("", id="contacts-note", classes="tab-note")
                yield DataTable(id="contacts-table", cursor_type="row")
            with TabPane("3 Billing", id="tab-billing"):
                yield Static("", id="mrr-note", classes="tab-note")
                yield from sparkline_chart("mrr")
                yield DataTable(id="billing-table", cursor_type="row")
            with TabPane("4 Usage", id="tab-usage"):
                yield Static("", id="usage-note", classes="tab-note")
                yield from sparkline_chart("usage")
                yield DataTable(id="usage-table", cursor_type="row")
            with TabPane("5 Tasks", id="tab-tasks"):
                yield Static("", id="tasks-note", classes="tab-note")
                yield DataTable(id="tasks-table", cursor_type="row")
            with TabPane("6 Deals", id="tab-deals"):
                yield Static("", id="deals-note", classes="tab-note")
                yield DataTable(id="deals-table", cursor_type="row")
            with TabPane("7 Payments", id="tab-payments"):
                yield Static("", id="payments-note", classes="tab-note")
                yield DataTable(id="payments-table", cursor_type="row")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.refresh_data()

    # -- reading ---------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Re-read the account and redraw the pane (call after a write that touched it)."""
        self._loads += 1
        self.load_account(self._loads)

    @work(thread=True, exclusive=True, group="account", exit_on_error=False)
    def load_account(self, load: int) -> None:
        """Read everything the pane shows, off the UI thread, and post it as one message."""
        snapshot = read_account(self.store, self.account_id, utc_now().date())
        self.post_message(AccountLoaded(load, snapshot))

    @on(AccountLoaded)
    def show_account(self, message: AccountLoaded) -> None:
        """Present a fresh read (a read overtaken by a newer one is dropped)."""
        if message.load != self._loads:
            return
        first = self.snapshot is None
        self.snapshot = message.snapshot
        self._present(message.snapshot)
        if first:
            self._focus_active_table()
            if self.at_ref is not None:
                self._select_timeline_entry(self.at_ref)

    @on(BookChanged)
    def _book_changed(self) -> None:
        """Something committed to the book (a form, another process): read the account again."""
        self.refresh_data()

    @property
    def selected_account_id(self) -> str:
        """The account the app-level keys (log, answer, task) act on: this pane's."""
        return self.account_id

    @on(Worker.StateChanged)
    def _show_read_error(self, event: Worker.StateChanged) -> None:
        """A failed first read shows in the pane too (the app notifies every failure)."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            reason = visible(str(event.worker.error))
            if self.snapshot is None:
                self.query_one("#facts-summary", Static).update(
                    Content.assemble(("Could not read this account: ", "$text-error"), reason)
                )

    # -- presenting ------------------------------------------------------------------------

    def _present(self, snapshot: AccountSnapshot) -> None:
        self._drawn_width = self.size.width
        self.sub_title = visible(snapshot.account.name)
        self.query_one("#facts-summary", Static).update(facts_content(snapshot))
        self.query_one("#facts-health", Static).update(health_content(snapshot.health,
                                                                    snapshot.health_trend))
        self._show_timeline(snapshot)
        self._show_contacts(snapshot)
        self._show_billing(snapshot)
        self._show_usage(snapshot)
        self._show_tasks(snapshot)
        self._show_deals(snapshot)
        self._show_payments(snapshot)

    def _flex_width(self, fixed: list[int]) -> int:
        """What is left of the pane's width for the one column that takes the rest."""
        padding = 2 * (len(fixed) + 1)  # each cell has one space either side
        return max(20, self.size.width - TABLE_FRAME - sum(fixed) - padding)

    def _fill(self, table_id: str, columns: list[tuple[str, int]], rows: list[list[Text]]) -> None:
        """Replace a table's columns and rows, keeping the cursor on the same row number."""
        table = self.query_one(f"#{table_id}", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        for label, width in columns:
            # A label ending in ">" heads a right-aligned column of figures.
            right = label.endswith(">")
            table.add_column(Text(label.rstrip(">"), justify="right" if right else "left"),
                             width=width)
        table.add_rows(rows)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1), animate=False)

    def _set_tab_label(self, tab: str, label: str, count: int) -> None:
        number = TABS.index(tab) + 1
        self.query_one(TabbedContent).get_tab(f"tab-{tab}").label = Content.assemble(
            f"{number} {label} ", (f"{count:,}", MUTED)
        )

    def _note(self, note_id: str, *parts: str | tuple[str, str]) -> None:
        self.query_one(f"#{note_id}", Static).update(Content.assemble(*parts))

    def _show_timeline(self, snapshot: AccountSnapshot) -> None:
        total, shown = snapshot.timeline_total, len(snapshot.timeline)
        self._set_tab_label("timeline", "Timeline", total)
        if not total:
            self._note("timeline-note", ("Nothing has happened with this account yet.", MUTED))
        elif shown < total:
            self._note("timeline-note", f"showing the {shown:,} newest of {plural(total, 'event')}")
        else:
            self._note("timeline-note", f"{plural(total, 'event')}, newest first")
        # What and Detail share what When and Kind leave (What up to 36 cells); Enter on a row
        # shows the whole entry.
        shared = self._flex_width([16, 12, 0]) - 2
        what = max(20, min(36, shared // 2))
        fixed = [16, 12, what]
        columns = [("When", 16), ("Kind", 12), ("What", what),
                   ("Detail", self._flex_width(fixed))]
        rows = [
            [
                cell(entry.at.strftime("%Y-%m-%d" if entry.all_day else "%Y-%m-%d %H:%M"),
                     "dim"),
                cell(entry.label),
                cell(entry.title),
                cell(entry.detail),
            ]
            for entry in snapshot.timeline
        ]
        self._fill("timeline-table", columns, rows)

    def _show_contacts(self, snapshot: AccountSnapshot) -> None:
        contacts = snapshot.contacts
        self._set_tab_label("contacts", "Contacts", len(contacts))
        if contacts:
            self._note("contacts-note", f"{plural(len(contacts), 'contact')}, primary first")
        else:
            self._note("contacts-note", ("No contacts yet.", MUTED))
        columns = [("", 1), ("Name", 26), ("Role", 22), ("Email", 36), ("Phone", 18)]
        rows = [
            [cell("★" if contact.is_primary else ""), cell(contact.name), cell(contact.role),
             cell(contact.email), cell(contact.phone)]
            for contact in contacts
        ]
        self._fill("contacts-table", columns, rows)

    def _show_billing(self, snapshot: AccountSnapshot) -> None:
        history, subscriptions = snapshot.mrr_history, snapshot.subscriptions
        self._set_tab_label("billing", "Billing", len(subscriptions))
        values = [cents for _, cents in history]
        chart = self.query_one("#mrr-chart")
        # A flat series would draw as a bare baseline (the sparkline scales min to max): say it.
        chart.display = len(set(values)) > 1
        if chart.display:
            self._note(
                "mrr-note", ("Month-end MRR ", "bold"),
                f"{history[0][0]} → {history[-1][0]} · {min_max(values, format_money_short)}"
                f" · now {format_money(snapshot.account.mrr_cents)}/mo",
            )
            self.query_one("#mrr-sparkline", Sparkline).data = values
            self.query_one("#mrr-first", Label).update(history[0][0])
            self.query_one("#mrr-last", Label).update(history[-1][0])
        elif history:
            self._note(
                "mrr-note", ("Month-end MRR ", "bold"),
                f"flat at {format_money(values[0])}/mo for {plural(len(values), 'month')} "
                f"({history[0][0]} → {history[-1][0]})",
            )
        else:
            self._note("mrr-note", ("No paid months yet.", MUTED))
        columns = [("Plan", 26), ("Status", 10), ("MRR>", 12), ("Billed", 8), ("Cur", 4),
                   ("Started", 10), ("Ended", 10)]
        rows = [
            [cell(sub.plan or "subscription"), cell(sub.status.value),
             cell(f"{format_money(sub.mrr_cents)}/mo", right=True), cell(sub.billing_interval.value),
             cell(sub.currency), cell(sub.started_on.isoformat()),
             cell(sub.ended_on.isoformat() if sub.ended_on else "—")]
            for sub in subscriptions
        ]
        self._fill("billing-table", columns, rows)

    def _show_usage(self, snapshot: AccountSnapshot) -> None:
        usage = snapshot.usage
        self._set_tab_label("usage", "Usage", len(usage))
        per_day: dict[date, int] = defaultdict(int)
        for record in usage:
            per_day[record.used_on] += record.events
        days = sorted(per_day)
        chart = self.query_one("#usage-chart")
        chart.display = len(days) > 0
        if days:
            values = [per_day[day] for day in days]
            self._note(
                "usage-note", ("Events ", "bold"),
                f"{days[0].isoformat()} → {days[-1].isoformat()} · "
                f"{min_max(values, lambda n: f'{n:,}')} · latest {plural(len(usage), 'row')}",
            )
            self.query_one("#usage-sparkline", Sparkline).data = values
            self.query_one("#usage-first", Label).update(days[0].isoformat())
            self.query_one("#usage-last", Label).update(days[-1].isoformat())
        else:
            self._note("usage-note", ("No usage recorded.", MUTED))
        columns = [("Day", 10), ("Feature", 26), ("Events>", 10), ("DAU>", 7), ("MAU>", 7),
                   ("Time>", 9)]
        rows = [
            [cell(record.used_on.isoformat()), cell(record.feature or "all"),
             cell(f"{record.events:,}", right=True),
             cell("—" if record.active_users is None else f"{record.active_users:,}", right=True),
             cell("—" if record.monthly_active_users is None
                  else f"{record.monthly_active_users:,}", right=True),
             cell("—" if record.duration_secs is None
                  else f"{record.duration_secs / 3600:,.0f}h", right=True)]
            for record in usage
        ]
        self._fill("usage-table", columns, rows)

    def _show_tasks(self, snapshot: AccountSnapshot) -> None:
        tasks, today = snapshot.open_tasks, snapshot.today
        overdue = sum(1 for task in tasks if task.due_on is not None and task.due_on < today)
        self._set_tab_label("tasks", "Tasks", len(tasks))
        if tasks:
            self._note("tasks-note", f"{plural(len(tasks), 'open task')}",
                       (f" · {overdue:,} overdue", "$text-error") if overdue else "",
                       ", soonest due first")
        else:
            self._note("tasks-note", ("No open tasks.", MUTED))
        error = self.app.theme_variables.get("text-error", "")
        # A playbook step's kind and playbook get columns when an open task has one.
        kinds = any(task.kind for task in tasks)
        playbook_width = min(24, max([len(task.playbook or "") for task in tasks] + [0]))
        extra = ([("Kind", 8)] if kinds else []) + (
            [("Playbook", max(playbook_width, 8))] if playbook_width else [])
        fixed = [10, 14, 8] + [width for _, width in extra]
        columns = [("Due", 10), ("", 14), ("Task", self._flex_width(fixed)), *extra, ("Id", 8)]
        rows = []
        for task in tasks:
            if task.due_on is None:
                when = cell("no date", "dim")
            elif task.due_on < today:
                when = cell(f"! overdue {(today - task.due_on).days}d", f"bold {error}")
            else:
                when = cell(days_to_go(task.due_on, today))
            shown = [cell(task.kind.value if task.kind else "")] if kinds else []
            if playbook_width:
                shown.append(cell(task.playbook or "", "dim"))
            rows.append([cell(task.due_on.isoformat() if task.due_on else "—"), when,
                         cell(task.title), *shown, cell(task.id[-8:], "dim")])
        self._fill("tasks-table", columns, rows)

    def _show_deals(self, snapshot: AccountSnapshot) -> None:
        deals = snapshot.deals
        self._set_tab_label("deals", "Deals", len(deals))
        self._note("deals-note", deals_note(deals) or ("No deals from the CRM.", MUTED))
        fixed = [18, 6, 12, 10, 10]
        columns = [("Deal", self._flex_width(fixed)), ("Stage", 18), ("Status", 6),
                   ("Amount>", 12), ("Created", 10), ("Close", 10)]
        rows = [[cell(value, right=index == 3) for index, value in enumerate(row)]
                for row in deal_rows(deals)]
        self._fill("deals-table", columns, rows)

    def _show_payments(self, snapshot: AccountSnapshot) -> None:
        payments = snapshot.payments
        self._set_tab_label("payments", "Payments", len(payments))
        note = payments_note(payments, snapshot.unrecovered_payment)
        if not note:
            self._note("payments-note", ("No payments imported.", MUTED))
        elif snapshot.unrecovered_payment is not None:
            self._note("payments-note", (note, "$text-error"))
        else:
            self._note("payments-note", note)
        error = self.app.theme_variables.get("text-error", "")
        fixed = [10, 8, 12, 10, 16]
        columns = [("When", 10), ("Status", 8), ("Amount>", 12), ("Refunded>", 10),
                   ("Invoice", 16), ("For", self._flex_width(fixed))]
        rows = [[cell(value, f"bold {error}" if index == 1 and value == "failed" else "",
                      right=index in (2, 3)) for index, value in enumerate(row)]
                for row in payment_rows(payments)]
        self._fill("payments-table", columns, rows)

    def on_resize(self) -> None:
        """The detail and task columns take the width that is left; redraw at a new width."""
        if self.snapshot is not None and self.size.width != self._drawn_width:
            self._show_timeline(self.snapshot)
            self._show_tasks(self.snapshot)
            self._show_deals(self.snapshot)
            self._show_payments(self.snapshot)

    # -- actions ---------------------------------------------------------------------------

    def _select_timeline_entry(self, ref: str) -> None:
        """Put the timeline's cursor on the entry behind `ref` (or say it is not shown)."""
        assert self.snapshot is not None
        rows = [index for index, entry in enumerate(self.snapshot.timeline) if entry.ref == ref]
        if not rows:
            self.notify(f"That entry is older than the {TIMELINE_LIMIT:,} shown", markup=False,
                        severity="warning")
            return
        self.action_show_tab("timeline")
        self.query_one("#timeline-table", DataTable).move_cursor(row=rows[0], animate=False)

    def _focus_active_table(self) -> None:
        pane = self.query_one(TabbedContent).active_pane
        if pane is not None:
            pane.query_one(DataTable).focus()

    def action_show_tab(self, tab: str) -> None:
        """Switch to the tab called `tab` and put the keyboard in its table."""
        self.query_one(TabbedContent).active = f"tab-{tab}"
        self._focus_active_table()

    def action_refresh(self) -> None:
        """Re-read the account from the book."""
        self.refresh_data()

    def action_back(self) -> None:
        """Close the pane and go back to the screen it was opened from."""
        self.dismiss()

    @on(TabbedContent.TabActivated)
    def _tab_clicked(self) -> None:
        self.call_after_refresh(self._focus_active_table)

    # -- the whole of a note, and correcting one -------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Undo is offered only after a delete."""
        if action == "undo_delete":
            return self.deleted is not None
        return True

    def _selected_entry(self) -> TimelineEntry | None:
        """The timeline row under the cursor, when the timeline tab is showing."""
        if self.snapshot is None or self.query_one(TabbedContent).active != "tab-timeline":
            return None
        row = self.query_one("#timeline-table", DataTable).cursor_row
        return self.snapshot.timeline[row] if 0 <= row < len(self.snapshot.timeline) else None

    @on(DataTable.RowSelected, "#timeline-table")
    def _timeline_detail(self, event: DataTable.RowSelected) -> None:
        """Enter on a timeline row: the whole entry, wrapped."""
        if self.snapshot is None or not 0 <= event.cursor_row < len(self.snapshot.timeline):
            return
        entry = self.snapshot.timeline[event.cursor_row]
        kind = "billing" if entry.kind == "subscription" else entry.kind
        title = Content.assemble((visible(entry.title), "bold"),
                                 (f"  {kind} · {entry.at:%Y-%m-%d %H:%M}", MUTED))
        body = Content(visible(entry.detail)) if entry.detail else Content.assemble(
            ("(no detail)", MUTED))
        self.app.push_screen(DetailScreen(title, body))

    def action_health_detail(self) -> None:
        """Every health component with its whole reason, wrapped."""
        if self.snapshot is None:
            return
        health = self.snapshot.health
        parts: list[str | tuple[str, str]] = []
        for component in health.components:
            parts += [(visible(component.label), "bold"),
                      (f"  {score_text(component.score)}", band_style(component.score)),
                      (f" · weight {component.weight:.0f}\n", MUTED),
                      visible(component.reason), "\n\n"]
        parts = parts[:-1]  # no blank line after the last component
        title = Content.assemble(("Health ", "bold"),
                                 (f"{score_text(health.score)} {health.band}",
                                  f"bold {band_style(health.score)}"))
        self.app.push_screen(DetailScreen(title, Content.assemble(*parts)))

    def _interaction_ref(self) -> str | None:
        entry = self._selected_entry()
        if entry is None or entry.kind != "interaction":
            self.notify("Select an interaction on the timeline first", severity="warning")
            return None
        return entry.ref

    def action_edit_interaction(self) -> None:
        """Correct the selected interaction (one logged here or with `retain log`)."""
        ref = self._interaction_ref()
        if ref is not None:
            self.read_interaction(ref, "edit")

    def action_delete_interaction(self) -> None:
        """Delete the selected interaction, after asking; `u` brings it back."""
        ref = self._interaction_ref()
        if ref is not None:
            self.read_interaction(ref, "delete")

    @work(thread=True, group="account-notes", exit_on_error=False)
    def read_interaction(self, interaction_id: str, purpose: str) -> None:
        """Read the interaction to edit or delete, off the UI thread."""
        interaction = self.store.get_interaction(interaction_id)
        self.post_message(InteractionRead(interaction, purpose))

    @on(InteractionRead)
    def _interaction_read(self, message: InteractionRead) -> None:
        interaction = message.interaction
        if interaction.source not in EDITABLE_SOURCES:
            self.notify(f"Imported ({visible(interaction.source or 'unknown source')}): correct it "
                        "in its source and import again", severity="warning", markup=False)
            return
        if message.purpose == "edit":
            def saved(result: Interaction | None) -> None:
                if result is not None:
                    self.notify(f"Updated the {result.kind.value}")
                    self.refresh_data()

            self.app.push_screen(EditInteractionForm(self.store, interaction), saved)
            return
        when = f"{interaction.occurred_at.astimezone():%Y-%m-%d %H:%M}"
        summary = visible(interaction.summary.splitlines()[0] if interaction.summary else "")
        question = f"Delete the {interaction.kind.value} of {when}?" + (
            f"\n“{summary[:80]}”" if summary else "")

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete_interaction(interaction.id)

        self.app.push_screen(ConfirmDialog(question), answered)

    @work(thread=True, group="account-notes", exit_on_error=False)
    def delete_interaction(self, interaction_id: str) -> None:
        """Delete off the UI thread; the pane keeps what `u` needs to put it back."""
        interaction, task_ids = self.store.delete_interaction(interaction_id)
        self.post_message(InteractionDeleted(interaction, task_ids))

    @on(InteractionDeleted)
    def _deleted(self, message: InteractionDeleted) -> None:
        if message.restored:
            return
        self.deleted = (message.interaction, message.task_ids)
        self.refresh_bindings()
        self.notify(f"Deleted the {message.interaction.kind.value} (u to undo)")
        self.refresh_data()

    def action_undo_delete(self) -> None:
        """Put back the interaction deleted last."""
        if self.deleted is not None:
            self.restore_interaction(*self.deleted)

    @work(thread=True, group="account-notes", exit_on_error=False)
    def restore_interaction(self, interaction: Interaction, task_ids: list[str]) -> None:
        """Restore off the UI thread."""
        self.store.restore_interaction(interaction, task_ids)
        self.post_message(InteractionDeleted(interaction, task_ids, restored=True))

    @on(InteractionDeleted)
    def _restored(self, message: InteractionDeleted) -> None:
        if message.restored:
            self.deleted = None
            self.refresh_bindings()
            self.notify(f"Restored the {message.interaction.kind.value}")
            self.refresh_data()
