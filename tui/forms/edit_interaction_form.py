"""Correct a logged interaction: its kind, contact, summary and sentiment."""

from __future__ import annotations

from textual import on
from textual.widgets import Select, TextArea
from textual.widgets.select import InvalidSelectValueError

from store import Store
from store.models import Interaction
from store.validation import build
from tui.forms import DEFAULT_WRITE_PATIENCE, AccountLoaded
from tui.forms.log_form import LogForm


class EditInteractionForm(LogForm):
    """The log form over an existing interaction; saving rewrites it in place (its time,
    author and follow-up task stay). Dismissed with the updated Interaction, or None."""

    FORM_TITLE = "Edit the interaction"
    KEYS_HELP = "ctrl+s save · esc cancel · tab next field"

    def __init__(self, store: Store, interaction: Interaction, *,
                 patience: float = DEFAULT_WRITE_PATIENCE) -> None:
        super().__init__(store, interaction.account_id, patience=patience)
        self.original = interaction
        self.interaction_id = interaction.id

    def on_mount(self) -> None:
        super().on_mount()
        follow_up = self.query_one("#follow-up")
        if follow_up.parent is not None:
            follow_up.parent.display = False  # a follow-up opens a task: not changed here
        self.query_one("#follow-up-hint").display = False
        self.query_one("#kind", Select).value = self.original.kind
        self.query_one("#summary", TextArea).text = self.original.summary
        if self.original.sentiment is not None:
            self.query_one("#sentiment", Select).value = self.original.sentiment

    @on(AccountLoaded)
    def _choose_contact(self) -> None:
        """Once the contacts are listed, pick the interaction's own."""
        if self.original.contact_id is not None:
            self.call_after_refresh(self._set_contact)

    def _set_contact(self) -> None:
        try:
            self.query_one("#contact", Select).value = self.original.contact_id
        except InvalidSelectValueError:  # the contact was deleted since
            pass

    def build_record(self) -> Interaction:
        return build(Interaction, {
            **self.original.model_dump(),
            "kind": self.query_one("#kind", Select).value,
            "contact_id": self.chosen(self.query_one("#contact", Select)),
            "summary": self.query_one("#summary", TextArea).text.strip(),
            "sentiment": self.chosen(self.query_one("#sentiment", Select)),
        }, "edit")

    def write(self, record: Interaction) -> Interaction:
        return self.store.update_interaction(record)
