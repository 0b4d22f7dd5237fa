"""A KPI tile of the dashboard: value, change against the previous period, 12-month trend."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from store.kpis.catalog import KpiDefinition
from store.kpis.formatting import NO_DATA, format_change, format_value
from store.kpis.results import KpiValue

TILE_LABELS = {
    "ttfv_median": "TTFV, median",
    "ttfv_p90": "TTFV, p90",
    "stickiness": "DAU/MAU",
    "grr": "GRR",
    "nrr": "NRR",
    "cltv": "CLTV",
    "cli": "Loyalty (CLI)",
    "lead_conversion_rate": "Lead conversion",
    "mrr_reactivation": "Reactivation MRR",
    "mrr_contraction": "Contraction MRR",
}
"""Labels that fit a tile's border (about 18 cells); the full label heads the explanation."""

LOADING = "…"
"""What a tile shows until its value arrives."""


def change_class(definition: KpiDefinition, current: KpiValue | None,
                 previous: KpiValue | None) -> str:
    """`good`, `bad` or `flat`: how the change from the previous period reads for this KPI."""
    if current is None or previous is None or current.value is None or previous.value is None:
        return "flat"
    delta = current.value - previous.value
    if delta == 0 or definition.better is None:
        return "flat"
    rising_is_good = definition.better == "up"
    return "good" if (delta > 0) == rising_is_good else "bad"


def change_text(current: KpiValue, previous: KpiValue) -> str:
    """`▲ +1.2 pts`, `▼ -$300`, `= 0`, or what is missing."""
    if current.value is None:
        return ""
    if previous.value is None:
        return "prev: no data"
    delta = current.value - previous.value
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    return f"{arrow} {format_change(current, previous)}"


class KpiTile(Widget, can_focus=True):
    """One KPI: its value for the period, the change from the previous one, a 12-month trend."""

    @dataclass
    class Focused(Message):
        """The tile got the focus (the dashboard explains its KPI)."""

        name: str

    def __init__(self, definition: KpiDefinition) -> None:
        super().__init__(id=f"kpi-{definition.name}", classes="kpi-tile")
        self.definition = definition
        self.border_title = TILE_LABELS.get(definition.name, definition.label)
        self.current: KpiValue | None = None
        self.previous: KpiValue | None = None
        self.trend: list[float | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(LOADING, classes="kpi-value", markup=False)
        yield Static("", classes="kpi-change flat", markup=False)
        yield Sparkline([], classes="kpi-trend")
        yield Static(LOADING, classes="kpi-trend-pending", markup=False)

    def on_focus(self) -> None:
        self.post_message(self.Focused(self.definition.name))

    @property
    def shown_value(self) -> str:
        """The value as the tile shows it (what tests compare with the engine's)."""
        return str(self.query_one(".kpi-value", Static).content)

    def show_loading(self) -> None:
        """Placeholders while the period or filter is recomputed."""
        self.current = self.previous = None
        self.trend = None
        self.query_one(".kpi-value", Static).update(LOADING, layout=False)
        self.query_one(".kpi-change", Static).update("", layout=False)
        self._show_trend_pending(True)

    def show_value(self, current: KpiValue, previous: KpiValue) -> None:
        """The period's value and its change against the previous period."""
        self.current, self.previous = current, previous
        value = self.query_one(".kpi-value", Static)
        value.update(format_value(current.value, current.unit), layout=False)
        value.set_class(current.value is None, "no-data")
        change = self.query_one(".kpi-change", Static)
        change.update(change_text(current, previous), layout=False)
        for name in ("good", "bad", "flat"):
            change.remove_class(name)
        change.add_class(change_class(self.definition, current, previous))

    def show_trend(self, values: list[float | None]) -> None:
        """The last months' values, oldest first; months with no data are left out."""
        self.trend = values
        known = [value for value in values if value is not None]
        self.query_one(Sparkline).data = known
        pending = self.query_one(".kpi-trend-pending", Static)
        pending.update("" if known else NO_DATA)
        self._show_trend_pending(not known)

    def _show_trend_pending(self, pending: bool) -> None:
        self.query_one(Sparkline).display = not pending
        self.query_one(".kpi-trend-pending", Static).display = pending
        if pending:
            self.query_one(".kpi-trend-pending", Static).update(LOADING)
