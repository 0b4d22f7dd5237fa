"""The backtest, charted: per replay week the precision of Today's top 10 / top 50 against the
base rate, and the pooled figures, computed in a worker (`store.backtest`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from store import Store
from store.backtest import RED_BAND, BacktestResult, backtest, default_window
from store.clock import utc_now
from tui.calm_screen import CalmScreen
from tui.kpi_charts import BacktestChart
from tui.steady_footer import SteadyFooter

HORIZON = 90
"""Days after each replay day in which a lost customer counts (as `retain backtest`'s default)."""


class Cancelled(Exception):
    """Raised from the backtest's progress callback once the screen is left."""


@dataclass
class BacktestProgress(Message):
    """The backtest reached replay day `day` (of `total` days, warm-up included)."""

    day: date
    done: int
    total: int


@dataclass
class BacktestLoaded(Message):
    """The backtest's result."""

    result: BacktestResult


def share(value: float | None) -> str:
    """A ratio as a percentage with one decimal, or `no data` (as `retain backtest`)."""
    return "no data" if value is None else f"{value * 100:.1f}%"


def figure(value: float | None) -> str:
    """An AUC with three decimals, or `no data` (as `retain backtest`)."""
    return "no data" if value is None else f"{value:.3f}"


def summary_text(result: BacktestResult) -> str:
    """The pooled figures, worded as `retain backtest` prints them, in lines that fit 100
    columns: what was replayed, then recall, precision and ROC AUC."""
    paying = sum(replay.paying for replay in result.replays)
    lost = sum(replay.lost for replay in result.replays)
    return "\n".join([
        f"{len(result.replays)} weekly replays {result.start} → {result.end}: {lost:,} of "
        f"{paying:,} paying account-weeks lost MRR",
        f"recall     Today top 10 {share(result.recall_top10)}   "
        f"Today top 50 {share(result.recall_top50)}   "
        f"red health band (< {RED_BAND:g}) {share(result.recall_red)}",
        f"precision  Today top 10 {share(result.precision_top10)}   "
        f"Today top 50 {share(result.precision_top50)}   "
        f"base rate (a random pick) {share(result.base_rate)}",
        f"ROC AUC    health score {figure(result.auc_health)}   "
        f"Today score {figure(result.auc_today)}",
    ])


class BacktestScreen(CalmScreen[None]):
    """Replays Today and health at past weeks (tens of seconds on a big book) in a worker;
    keys stay live, and leaving the screen stops the computation."""

    CSS_PATH = "dashboard_screen.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", key_display="esc", id="backtest.back"),
    ]

    FOOTER_FIRST = ("backtest.back",)
    """The footer's first keys (then Today, KPIs and Quit)."""

    def __init__(self, store: Store, start: date | None = None, end: date | None = None,
                 horizon: int = HORIZON) -> None:
        super().__init__()
        self.store = store
        default_start, default_end = default_window(utc_now().date(), horizon)
        self.start, self.end = start or default_start, end or default_end
        self.horizon = horizon
        self.result: BacktestResult | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("Backtest: computing…", id="backtest-status", markup=False)
        yield BacktestChart(id="backtest-chart")
        yield Static("", id="backtest-summary", markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one(BacktestChart).show_pending()
        self.call_after_refresh(self.compute)

    @work(thread=True, exclusive=True, group="backtest", exit_on_error=False)
    def compute(self) -> None:
        """Run the backtest off the UI thread, reporting each replay day; stop when cancelled."""
        worker = get_current_worker()
        seen: list[date] = []
        total = (self.end - self.start).days // 7 + 1

        def progress(day: date) -> None:
            if worker.is_cancelled:
                raise Cancelled
            seen.append(day)
            if day >= self.start:
                self.post_message(BacktestProgress(day, len(
                    [one for one in seen if one >= self.start]), total))

        try:
            result = backtest(self.store, self.start, self.end, self.horizon, progress=progress)
        except Cancelled:
            return
        if not worker.is_cancelled:
            self.post_message(BacktestLoaded(result))

    @on(BacktestProgress)
    def show_progress(self, message: BacktestProgress) -> None:
        """Say how far the replay has got."""
        if self.result is None:
            self.query_one("#backtest-status", Static).update(
                f"Backtest: computing… replay {message.done} of {message.total} "
                f"({message.day})")

    @on(BacktestLoaded)
    def show_result(self, message: BacktestLoaded) -> None:
        """Draw the weekly precision lines and write the pooled figures."""
        self.result = message.result
        self.query_one("#backtest-status", Static).update(
            f"Backtest {self.result.start} → {self.result.end}, horizon "
            f"{self.result.horizon} days (retain backtest --json gives the same figures)")
        self.query_one(BacktestChart).show_replays(self.result.replays)
        self.query_one("#backtest-summary", Static).update(summary_text(self.result))

    def action_back(self) -> None:
        """Back to the dashboard, stopping the computation."""
        self.workers.cancel_group(self, "backtest")
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def on_unmount(self) -> None:
        self.workers.cancel_group(self, "backtest")
