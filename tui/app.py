"""The retain Textual app: the stage board (or the triage queue) over one book."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from store import Store
from store.display import visible
from store.errors import InvalidInput
from store.models import Interaction, Task
from store.user_config import UserConfig, change_user_setting, load_user_config
from tui.board_screen import BoardScreen
from tui.messages import BookChanged
from tui.palette import AccountJump
from tui.triage_screen import TriageScreen
from tui.worker_errors import NotifyWorkerErrors

WATCH_INTERVAL = 1.0
"""Seconds between checks for commits by other processes (PRAGMA data_version)."""


def saved_message(done: str, record: object) -> str:
    """The toast after a form's write: what was written, in a few words."""
    if isinstance(record, Task):
        due = f", due {record.due_on:%a %d %b}" if record.due_on else ""
        return f"{done}: {visible(record.title)[:60]}{due}"
    if isinstance(record, Interaction):
        follow = f", follow-up {record.follow_up_on:%a %d %b}" if record.follow_up_on else ""
        return f"{done} {record.kind.value}{follow}"
    return done


_FORM_KEYS = {"log_selected": "i", "survey_selected": "a", "task_selected": "t"}
"""The app's keys that open a form, by action."""


def _binds(screen: type[Screen[object]], key: str) -> bool:
    """True when the screen class declares a binding of its own for `key`."""
    return any((entry.key if isinstance(entry, Binding) else entry[0]) == key
               for entry in getattr(screen, "BINDINGS", ()))


class RetainApp(NotifyWorkerErrors):
    """A keyboard-driven cockpit over one retain book."""

    CSS_PATH = "retain.tcss"
    TITLE = "retain"
    COMMANDS = App.COMMANDS | {AccountJump}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "toggle_keys", "Keys", key_display="?", id="app.keys"),
        Binding("enter", "open_selected", "Open", id="app.open"),
        # Priority: the form opens the moment the key arrives, so what is typed right after it
        # lands in the form, not on the screen below (see check_action for when they yield).
        Binding("i", "log_selected", "Log", id="app.log", priority=True),
        Binding("a", "survey_selected", "Answer", show=False, id="app.survey", priority=True),
        Binding("t", "task_selected", "Task", show=False, id="app.task", priority=True),
        Binding("T", "triage", "Today", id="app.triage"),
        Binding("K", "dashboard", "KPIs", id="app.dashboard"),
        Binding("B", "board", "Board", show=False, id="app.board"),
        Binding("N", "search_notes", "Search notes", show=False, id="app.notes"),
        Binding("escape", "back", "Back", show=False, id="app.back"),
    ]
    """App-wide keys: they act on the account selected on whatever screen is showing."""

    def __init__(self, store: Store, *, start: str = "board") -> None:
        super().__init__()
        self.store = store
        self.start = start
        self.sub_title = visible(store.path.name)
        self._data_version = 0
        self._own_writes = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Account keys do nothing while a dialog is open (its fields take the keys), and are
        not offered on a screen without accounts to select (the KPI dashboard); the form keys
        also leave the key to a focused text field, and to a screen that binds it itself."""
        account_actions = {"open_selected", "log_selected", "survey_selected", "task_selected"}
        if action not in account_actions:
            return True
        if isinstance(self.screen, ModalScreen):
            return False
        key = _FORM_KEYS.get(action)
        if key is not None and (isinstance(self.focused, (Input, TextArea))
                                or _binds(type(self.screen), key)):
            return False
        # False hides a key (None would show it greyed out).
        return hasattr(type(self.screen), "selected_account_id")

    def get_default_screen(self) -> Screen[None]:
        return BoardScreen(self.store)

    def on_mount(self) -> None:
        try:
            preferences = load_user_config()
        except InvalidInput as error:
            preferences = UserConfig()
            self.notify(visible(str(error)), title="Your config.toml was not read",
                        severity="warning", markup=False)
        if preferences.theme in self.available_themes:
            self.theme = preferences.theme
        self.set_keymap(preferences.keys)
        self._data_version = self.store.data_version()
        self._own_writes = self.store.write_count
        self.set_interval(WATCH_INTERVAL, self.check_for_outside_writes)
        if self.start == "triage":
            self.action_triage()

    def watch_theme(self, theme: str) -> None:
        """Remember the theme picked from the palette for the next start (in config.toml)."""
        if self.is_mounted:
            self._remember_theme(theme)

    @work(thread=True, exclusive=True, group="remember-theme", exit_on_error=False)
    def _remember_theme(self, theme: str) -> None:
        if load_user_config().theme != theme:
            change_user_setting("theme", theme)

    def check_for_outside_writes(self) -> None:
        """Reload the screen if another process committed since the last check.

        Commits by this app's own workers change `data_version` too (each thread has its own
        connection), but the screen that wrote already reloads: they are told apart by the
        store's count of its own writes, so one write gives one reload.
        """
        # A PRAGMA on this thread's connection: microseconds, no table is read.
        version = self.store.data_version()
        own_writes = self.store.write_count
        if version != self._data_version and own_writes == self._own_writes:
            self.screen.post_message(BookChanged())
        self._data_version, self._own_writes = version, own_writes

    # -- acting on the selected account ------------------------------------------------------

    @property
    def selected_account_id(self) -> str | None:
        """The account under the cursor of the current screen, if it has one."""
        return getattr(self.screen, "selected_account_id", None)

    def open_account(self, account_id: str, at_ref: str | None = None) -> None:
        """Show an account's pane (its timeline's cursor on the entry `at_ref`, if given)."""
        from tui.account_screen import AccountScreen

        self.push_screen(AccountScreen(self.store, account_id, at_ref))

    def go_to_account(self, account_id: str, at_ref: str | None = None) -> None:
        """Select the account on the board (under whatever is open) and open its pane."""
        board = self.screen_stack[0] if self.screen_stack else None
        if isinstance(board, BoardScreen):
            board.select_account(account_id)
        self.open_account(account_id, at_ref)

    def action_open_selected(self) -> None:
        """Open the selected account's pane."""
        if self.selected_account_id and not self._on_account_screen():
            self.open_account(self.selected_account_id)

    def _on_account_screen(self) -> bool:
        from tui.account_screen import AccountScreen

        return isinstance(self.screen, AccountScreen)

    def _push_form(self, form_name: str, done_message: str, account_id: str | None = None) -> None:
        account_id = account_id or self.selected_account_id
        if account_id is None:
            self.notify("Select an account first", severity="warning")
            return
        from tui.forms.log_form import LogForm
        from tui.forms.survey_form import SurveyForm
        from tui.forms.task_form import TaskForm

        form_class = {"LogForm": LogForm, "SurveyForm": SurveyForm, "TaskForm": TaskForm}
        form = form_class[form_name](self.store, account_id)

        def saved(result: object) -> None:
            if result:
                self.notify(saved_message(done_message, result), markup=False)
                self.screen.post_message(BookChanged())

        self.push_screen(form, saved)

    def action_log_selected(self) -> None:
        """Log a call, email, meeting or note for the selected account."""
        self._push_form("LogForm", "Logged")

    def action_survey_selected(self) -> None:
        """Record a survey answer for the selected account."""
        self._push_form("SurveyForm", "Answer recorded")

    def action_task_selected(self) -> None:
        """Add a task for the selected account."""
        self._push_form("TaskForm", "Task added")

    def action_triage(self) -> None:
        """Show today's triage queue."""
        if not isinstance(self.screen, TriageScreen):
            self.push_screen(TriageScreen(self.store))

    def action_dashboard(self) -> None:
        """Show the KPI dashboard."""
        from tui.dashboard_screen import DashboardScreen

        if not isinstance(self.screen, DashboardScreen):
            self.push_screen(DashboardScreen(self.store))

    def action_search_notes(self) -> None:
        """Search notes: names, interaction summaries, task titles and survey comments."""
        from tui.search_screen import SearchScreen

        if not isinstance(self.screen, SearchScreen) and not isinstance(self.screen, ModalScreen):
            self.push_screen(SearchScreen(self.store))

    def action_back(self) -> None:
        """Esc on a screen with nothing of its own to clear: back to the one below."""
        if len(self.screen_stack) > 1 and not isinstance(self.screen, ModalScreen):
            self.pop_screen()

    def action_board(self) -> None:
        """Back to the board."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_toggle_keys(self) -> None:
        """Show or hide the panel listing every key of the current screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    @on(TriageScreen.OpenAccount)
    def _open_from_triage(self, message: TriageScreen.OpenAccount) -> None:
        self.open_account(message.account_id)

    @on(TriageScreen.LogInteraction)
    def _log_from_triage(self, message: TriageScreen.LogInteraction) -> None:
        self._push_form("LogForm", "Logged", message.account_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's actions, named 'Group: Verb', beside Textual's own."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Go: Today (triage queue)", "Who needs you today", self.action_triage)
        yield SystemCommand("Go: Board", "The stage board", self.action_board)
        yield SystemCommand("Go: KPI dashboard", "Every KPI of a period", self.action_dashboard)
        yield SystemCommand("Search notes…", "Names, interaction summaries, task titles, comments",
                            self.action_search_notes)
        yield SystemCommand("Account: Log an interaction", "For the selected account",
                            self.action_log_selected)
        yield SystemCommand("Account: Record a survey answer", "NPS, CSAT or CLI",
                            self.action_survey_selected)
        yield SystemCommand("Account: Add a task", "For the selected account",
                            self.action_task_selected)
        yield SystemCommand("Account: Open", "The selected account's pane",
                            self.action_open_selected)
        if isinstance(screen, BoardScreen):
            yield SystemCommand("Board: Move to the next stage", "", lambda: screen.action_move_step(1))
            yield SystemCommand("Board: Move to the previous stage", "",
                                lambda: screen.action_move_step(-1))
            yield SystemCommand("Board: Move to any stage…", "With a reason", screen.action_move_to)
            yield SystemCommand("Board: Churn", "Move to churned, with a reason", screen.action_churn)
            yield SystemCommand("Board: Undo the last move", "", screen.action_undo)
            yield SystemCommand("Board: Search", "Filter every column", screen.action_search)
            yield SystemCommand("Board: Sort", "MRR, days in stage, renewal, name",
                                screen.action_cycle_sort)
