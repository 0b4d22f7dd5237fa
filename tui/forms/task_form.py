"""Open a task (a to-do or follow-up) for an account."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from store import Store
from store.errors import InvalidInput
from store.ids import new_id
from store.models import Task
from store.user_config import author
from store.validation import build
from tui.forms import DEFAULT_WRITE_PATIENCE, FormScreen, day_placeholder


class TaskForm(FormScreen[Task | None]):
    """A title and an optional due day; dismissed with the Task, or None when cancelled."""

    FORM_TITLE = "New task"
    FIRST_FIELD = "#title"
    KEYS_HELP = "ctrl+s or enter on due saves · esc cancel · tab next field"

    def __init__(
        self, store: Store, account_id: str, *, patience: float = DEFAULT_WRITE_PATIENCE
    ) -> None:
        super().__init__(store, account_id, patience=patience)
        self.task_id = new_id()
        """Kept across attempts, so saving twice can never open the same task twice."""

    def compose_fields(self) -> ComposeResult:
        yield self.row("Title", Input(placeholder="What to do", id="title"))
        yield self.hint("title-hint")
        yield self.row("Due", Input(
            placeholder=day_placeholder(), id="due", classes="-last",
        ))
        yield self.hint("due-hint")

    @on(Input.Changed, "#due")
    def check_due(self, event: Input.Changed) -> None:
        """Say which day the due date means, or why it is not a day, as it is typed."""
        self.day_hint("due-hint", event.value)

    @on(Input.Changed, "#title")
    def check_title(self, event: Input.Changed) -> None:
        """Clear the "needs a title" note once there is one."""
        if event.value.strip():
            self.say("title-hint", "", problem=False)

    def build_record(self) -> Task:
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.say("title-hint", "a task needs a title", problem=True)
            raise InvalidInput("task: field 'title': a task needs a title")
        due = self.optional_day(self.query_one("#due", Input).value, "due")
        return build(Task, {
            "id": self.task_id, "account_id": self.account_id, "title": title, "due_on": due,
            "author": author(),
        }, "task")

    def write(self, record: Task) -> Task:
        return self.store.add_task(record)
