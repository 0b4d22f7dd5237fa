"""Log an interaction (call, email, meeting, note...) against an account, from anywhere."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, TextArea

from store import Store
from store.clock import utc_now
from store.ids import new_id
from store.models import Interaction, InteractionKind, Sentiment, Task
from store.user_config import author
from store.validation import build
from tui.forms import DEFAULT_WRITE_PATIENCE, SOURCE, FormScreen, day_placeholder


class LogForm(FormScreen[Interaction | None]):
    """Kind, contact, summary, sentiment and an optional follow-up day (which opens a task).

    Dismissed with the logged Interaction, or None when cancelled; `follow_up_task` then
    holds the task a follow-up day opened.
    """

    FORM_TITLE = "Log an interaction"
    FIRST_FIELD = "#summary"
    KEYS_HELP = "ctrl+s save · enter on follow-up saves · esc cancel · tab next field"

    def __init__(
        self, store: Store, account_id: str, *, patience: float = DEFAULT_WRITE_PATIENCE
    ) -> None:
        super().__init__(store, account_id, patience=patience)
        self.interaction_id = new_id()
        """Kept across attempts, so saving twice can never log the same note twice."""
        self.follow_up_task: Task | None = None

    def compose_fields(self) -> ComposeResult:
        yield self.row("Kind", Select(
            [(kind.value, kind) for kind in InteractionKind],
            value=InteractionKind.CALL, allow_blank=False, id="kind",
        ))
        yield self.row("Contact", Select([], prompt="(none)", id="contact"))
        yield self.row("Summary", TextArea(id="summary"), id="summary-row")
        yield self.row("Sentiment", Select(
            [(sentiment.value, sentiment) for sentiment in Sentiment],
            prompt="(none)", id="sentiment",
        ))
        yield self.row("Follow-up", Input(
            placeholder=day_placeholder(),
            id="follow-up", classes="-last",
        ))
        yield self.hint("follow-up-hint")

    @on(Input.Changed, "#follow-up")
    def check_follow_up(self, event: Input.Changed) -> None:
        """Say which day the follow-up means, or why it is not a day, as it is typed."""
        self.day_hint("follow-up-hint", event.value)

    def build_record(self) -> Interaction:
        due = self.optional_day(self.query_one("#follow-up", Input).value, "follow-up")
        return build(Interaction, {
            "id": self.interaction_id,
            "account_id": self.account_id,
            "kind": self.query_one("#kind", Select).value,
            "occurred_at": utc_now(),
            "author": author(),
            "contact_id": self.chosen(self.query_one("#contact", Select)),
            "summary": self.query_one("#summary", TextArea).text.strip(),
            "sentiment": self.chosen(self.query_one("#sentiment", Select)),
            "follow_up_on": due,
            "source": SOURCE,
        }, "log")

    def write(self, record: Interaction) -> Interaction:
        logged, self.follow_up_task = self.store.log_interaction(record)
        return logged
