"""Modal forms that write to the book: log an interaction, record a survey answer, open a task.

Every form is a `ModalScreen[T]` that validates as you type, builds its record with the same
models and rules as the CLI, and writes in a thread worker. A write that meets another
writer (a long import holds the lock for tens of seconds) waits off the UI thread with a
visible "waiting" line and is retried until `patience` runs out; if it still fails, the form
stays open with everything typed in it, so nothing the user wrote is ever lost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.worker import Worker, WorkerState, get_current_worker

from store import DatabaseBusy, Store, StoreError
from store.clock import utc_now
from store.day_words import parse_day
from store.display import visible
from store.errors import InvalidInput
from store.models import Account, Contact
from tui.steady_footer import SteadyFooter

ResultT = TypeVar("ResultT")

SOURCE = "tui"
"""The `source` stamped on rows written from the app (the CLI writes "cli")."""

DEFAULT_WRITE_PATIENCE = 600.0
"""Seconds a save keeps retrying a busy database: longer than the longest import holds it."""

WAIT_NOTICE_DELAY = 0.3
"""A write still running after this long is waiting for the lock; say so."""

WAITING_TEXT = "Waiting for another writer (an import?)…"

SAVE_GROUP = "form-save"
LOAD_GROUP = "form-load"


def local_today() -> date:
    """Today in the user's time zone: what "tomorrow" and "+3d" count from (as in the CLI)."""
    return utc_now().astimezone().date()


def day_placeholder(today: date | None = None) -> str:
    """The hint in an empty day field, its example date a week from today (never a past one)."""
    example = (today or local_today()) + timedelta(days=7)
    return f"{example.isoformat()}, tomorrow, +3d, +2w (optional)"


def plain(text: str) -> Text:
    """User or stored text made safe for a widget: no markup, no control characters."""
    return Text(visible(text))


@dataclass
class AccountLoaded(Message):
    """The form's account and its contacts, read in a worker."""

    account: Account
    contacts: list[Contact]


class FormScreen(ModalScreen[ResultT]):
    """What the three forms share: account header, status line, save/cancel and the write."""

    CSS_PATH = "forms.tcss"

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    """ctrl+s saves from any field (even the multi-line ones); escape closes without writing."""

    FORM_TITLE = "Form"
    """What the dialog's first line says, before the account's name."""

    KEYS_HELP = "ctrl+s save · esc cancel · tab next field"
    """The key hint on the dialog's last line."""

    FIRST_FIELD = ""
    """The selector of the field that has the focus when the form opens (subclasses)."""

    def __init__(
        self, store: Store, account_id: str, *, patience: float = DEFAULT_WRITE_PATIENCE
    ) -> None:
        super().__init__()
        self.store = store
        self.account_id = account_id
        self.patience = patience
        """Seconds to keep retrying a busy database before giving the error back."""
        self.saving = False
        """A write is under way: fields are disabled and another ctrl+s does nothing."""
        self.account: Account | None = None
        self._wait_timer: Timer | None = None
        self._wait_started = 0.0
        self._refocus: Widget | None = None
        self._early_keys: list[events.Key | events.Paste] | None = []
        """Keys and pastes that arrived before the first field could take them (None after)."""
        self._save_when_open = False
        self._field_caught_up = False
        """ctrl+s waited for the focused field's queue; the next action_save saves."""

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog"):
            yield Static(self._title_text(), id="form-title")
            with Vertical(id="form-fields"):
                yield from self.compose_fields()
            yield Static("", id="form-status")
            yield Static(plain(self.KEYS_HELP), id="form-keys")
        yield SteadyFooter()  # covers the board's footer, whose keys do nothing under the form

    def compose_fields(self) -> ComposeResult:
        """The form's own fields (subclasses)."""
        yield from ()

    @staticmethod
    def row(label: str, field: Widget, *, id: str | None = None) -> Horizontal:
        """One labelled field on a line."""
        return Horizontal(Label(label, classes="field-label"), field, classes="field-row", id=id)

    @staticmethod
    def hint(id: str) -> Static:
        """The line under a field where inline validation speaks."""
        return Static("", id=id, classes="field-hint")

    def _title_text(self) -> Text:
        name = self.account.name if self.account else self.account_id
        title = Text(f"{self.FORM_TITLE} · ", style="bold")
        title.append(visible(name))
        return title

    def on_mount(self) -> None:
        self.load_account()
        self.call_after_refresh(self._open_for_keys)

    # -- keys typed while the form opens --------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Hold the keys that reach the form before its first field has the focus."""
        self._hold(event)

    def on_paste(self, event: events.Paste) -> None:
        """Hold a paste that reaches the form before its first field has the focus."""
        self._hold(event)

    def _hold(self, event: events.Key | events.Paste) -> None:
        if self._early_keys is not None:
            self._early_keys.append(event)
        elif isinstance(event, events.Key) and isinstance(self.focused, (Input, TextArea)) \
                and event.is_printable and event.character:
            # Sent to the form before its field had the focus, read after: a text field
            # stops the printable keys it takes, so this one never came from it. (A paste
            # is not caught here: the multi-line field lets its pastes go on up.)
            self._type_into(self.focused, [event])
        else:
            return
        event.stop()
        event.prevent_default()

    @staticmethod
    def _type_into(field: Widget, held: list[events.Key | events.Paste]) -> None:
        """Put what `held` would have typed at the field's cursor."""
        typed = _typed_text(held, multiline=isinstance(field, TextArea))
        if isinstance(field, TextArea):
            field.insert(typed)
        elif isinstance(field, Input):
            field.insert_text_at_cursor(typed)

    def _open_for_keys(self) -> None:
        """Focus the first field and put in it what was typed meanwhile, then any ctrl+s."""
        if self._early_keys is None:
            return
        held, self._early_keys = self._early_keys, None
        field = self.query_one(self.FIRST_FIELD) if self.FIRST_FIELD else None
        if field is not None:
            self.set_focus(field)
            self._type_into(field, held)
        if self._save_when_open:
            self._save_when_open = False
            self.action_save()

    # -- the account and its contacts ----------------------------------------------------------

    @work(thread=True, exclusive=True, group=LOAD_GROUP, exit_on_error=False)
    def load_account(self) -> None:
        """Read the account (for its name) and its contacts off the UI thread."""
        account = self.store.get_account(self.account_id)
        self.post_message(AccountLoaded(account, self.store.contacts(self.account_id)))

    @on(AccountLoaded)
    def show_account(self, message: AccountLoaded) -> None:
        """Put the account's name in the title and its contacts in the contact field."""
        self.account = message.account
        self.query_one("#form-title", Static).update(self._title_text())
        contacts = self.query("#contact").results(Select)
        for select in contacts:
            select.set_options([(plain(contact_label(c)), c.id) for c in message.contacts])
            select.prompt = "(none)" if message.contacts else "(no contacts)"

    # -- inline validation helpers ---------------------------------------------------------------

    def say(self, hint_id: str, text: str, *, problem: bool) -> None:
        """Show `text` under a field, as a problem or as a neutral note."""
        hint = self.query_one(f"#{hint_id}", Static)
        hint.update(plain(text))
        hint.set_class(problem, "-problem")

    def day_hint(self, hint_id: str, text: str) -> date | None:
        """Check a day field as it is typed; say which day it means, or why it is not one."""
        if not text.strip():
            self.say(hint_id, "", problem=False)
            return None
        try:
            day = parse_day(text, local_today())
        except InvalidInput as error:
            self.say(hint_id, str(error), problem=True)
            return None
        self.say(hint_id, f"→ {day:%a %d %b %Y}", problem=False)
        return day

    @staticmethod
    def optional_day(text: str, field: str) -> date | None:
        """The day in a day field, None when blank; InvalidInput naming the field otherwise."""
        if not text.strip():
            return None
        try:
            return parse_day(text, local_today())
        except InvalidInput as error:
            raise InvalidInput(f"{field}: {error}") from None

    @staticmethod
    def chosen(select: Select[Any]) -> Any:
        """A Select's value, with the blank choice as None."""
        return None if select.value is Select.NULL else select.value

    # -- enter moves on; on the last input it saves ----------------------------------------------

    @on(Input.Submitted)
    def next_or_save(self, event: Input.Submitted) -> None:
        """Enter in an input goes to the next field; in the form's last input it saves."""
        event.stop()
        if event.input.has_class("-last"):
            self.action_save()
        else:
            self.focus_next()

    # -- saving --------------------------------------------------------------------------------

    def build_record(self) -> Any:
        """Validate the fields into what `write` stores; InvalidInput when something is wrong."""
        raise NotImplementedError

    def write(self, record: Any) -> ResultT:
        """Store `record` (runs in a worker thread: no widgets here) and return the result."""
        raise NotImplementedError

    def action_save(self) -> None:
        """Validate, then write in a worker; the form stays open until the write is done."""
        if self.saving:
            return
        if self._early_keys is not None:  # ctrl+s typed before the fields could take keys
            self._save_when_open = True
            return
        if self.focused is not None and not self._field_caught_up:
            # ctrl+s is handled the moment it arrives; keys typed just before it may still
            # wait in the field's queue: save once the field has taken them.
            self._field_caught_up = True
            self.focused.call_later(self.action_save)
            return
        self._field_caught_up = False
        try:
            record = self.build_record()
        except InvalidInput as error:
            self.set_status(str(error), "-problem")
            return
        self._start_saving()
        self.save_in_thread(record)

    def action_cancel(self) -> None:
        """Close without writing (not while a write is under way: it may already be in)."""
        if self.saving:
            self.notify("The form closes by itself once the write is done.",
                        title="Still saving", severity="warning")
            return
        self.dismiss(None)

    @work(thread=True, exclusive=True, group=SAVE_GROUP, exit_on_error=False)
    def save_in_thread(self, record: Any) -> ResultT:
        """Write, retrying while another writer holds the lock, until `patience` runs out.

        A DatabaseBusy means BEGIN IMMEDIATE never got the lock, so nothing was written and
        trying again cannot duplicate a row.
        """
        worker = get_current_worker()
        deadline = time.monotonic() + self.patience
        while True:
            try:
                return self.write(record)
            except DatabaseBusy:
                if worker.is_cancelled or time.monotonic() >= deadline:
                    raise

    def _start_saving(self) -> None:
        self.saving = True
        self._refocus = self.focused
        self.query_one("#form-fields").disabled = True
        self.set_status("Saving…", "-saving")
        self._wait_started = time.monotonic()
        self._wait_timer = self.set_interval(WAIT_NOTICE_DELAY, self._show_waiting)

    def _show_waiting(self) -> None:
        waited = time.monotonic() - self._wait_started
        if waited >= WAIT_NOTICE_DELAY:
            self.set_status(f"{WAITING_TEXT} {int(waited)} s", "-waiting")

    def _stop_saving(self) -> None:
        self.saving = False
        if self._wait_timer is not None:
            self._wait_timer.stop()
            self._wait_timer = None
        self.query_one("#form-fields").disabled = False
        if self._refocus is not None and self._refocus.is_attached:
            self._refocus.focus()

    def set_status(self, text: str, kind: str = "") -> None:
        """The line above the key hint: saving, waiting, or what went wrong."""
        status = self.query_one("#form-status", Static)
        status.update(plain(text))
        for name in ("-problem", "-saving", "-waiting"):
            status.set_class(name == kind, name)

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        """Close with the result once written; on an error keep the form and say why."""
        worker = event.worker
        if worker.group == SAVE_GROUP:
            if event.state == WorkerState.SUCCESS:
                self._stop_saving()
                self.dismiss(worker.result)
            elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
                self._stop_saving()
                self.set_status(self.explain(worker.error), "-problem")
        elif worker.group == LOAD_GROUP and event.state == WorkerState.ERROR:
            self.set_status(f"Could not read the account: {worker.error}", "-problem")

    @staticmethod
    def explain(error: BaseException | None) -> str:
        """Why a write failed, ending with the reassurance that the text is still here."""
        if isinstance(error, DatabaseBusy):
            reason = "Another writer kept the book locked too long; nothing was written."
        elif isinstance(error, StoreError):
            reason = f"Not saved: {error}"
        elif error is None:
            reason = "Not saved: the write was cancelled."
        else:
            reason = f"Not saved ({type(error).__name__}): {error}"
        return f"{reason} Your text is still here: ctrl+s to try again."


def _typed_text(held: list[events.Key | events.Paste], *, multiline: bool) -> str:
    """The text keys and pastes held while a form opened would have typed into a field:
    printable keys and pastes, enter as a new line in a multi-line field, backspace erasing."""
    text = ""
    for event in held:
        if isinstance(event, events.Paste):
            text += event.text if multiline else " ".join(event.text.splitlines())
        elif event.key == "backspace":
            text = text[:-1]
        elif event.key == "enter" and multiline:
            text += "\n"
        elif event.is_printable and event.character:
            text += event.character
    return text


def contact_label(contact: Contact) -> str:
    """How a contact reads in a picker: name and e-mail, whichever are known, and role."""
    parts = [part for part in (contact.name, f"<{contact.email}>" if contact.email else None)
             if part]
    label = " ".join(parts) or contact.id
    return f"{label} · {contact.role}" if contact.role else label
