"""One place that turns a failed worker into a visible notification, titled by its group."""

from __future__ import annotations

from textual import on
from textual.app import App
from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from store.display import visible

ERROR_TITLES = {
    "board": "Could not read the board",
    "card-pages": "Could not read the cards",
    "writes": "Could not move the account",
    "account": "Could not read the account",
    "triage-load": "Could not read Today",
    "triage-write": "Could not change the book",
    "dashboard-load": "Could not compute the KPIs",
    "dashboard-stages": "Could not compute the KPIs",
    "dashboard-options": "Could not read the filter values",
    "drill-load": "Could not read the accounts",
    "backtest": "Could not run the backtest",
    "remember-theme": "The theme was not saved",
}
"""The notification title for a failed worker of each group (others are titled 'retain')."""


class ForwardWorkerErrors:
    """Mixed into every screen: sends its failed workers to the app (a worker's messages do not
    bubble). A plain class, not a DOMNode: a DOMNode base would hide Screen's CSS and keys."""

    def _on_worker_state_changed(self: DOMNode, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.app.post_message(Worker.StateChanged(event.worker, event.state))


class NotifyWorkerErrors(App[None]):
    """An app that shows every failed worker's error as a notification instead of crashing."""

    @on(Worker.StateChanged)
    def _notify_worker_error(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state == WorkerState.ERROR and error is not None:
            self.notify(visible(str(error)) or type(error).__name__, markup=False,
                        title=ERROR_TITLES.get(event.worker.group, "retain"), severity="error")
