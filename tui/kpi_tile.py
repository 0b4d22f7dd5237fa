"""A KPI tile of the dashboard: value, change against the previous period, 12-month trend."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from store.kpis.catalog import KpiDefinition
from store.kpis.formatting import NO_DATA, format_change, format_value
from store.kpis.results import KpiValue, Unit
from store.money import format_money_short
from store.settings import KpiSettings

TILE_LABELS = {
    "ttfv_median": "TTFV, median",
    "ttfv_p90": "TTFV, p90",
    "stickiness": "DAU/MAU",
    "grr": "GRR",
    "nrr": "NRR",
    "cltv": "CLTV",
    "cli": "Loyalty index",
    "lead_conversion_rate": "Lead conversion",
    "mrr_reactivation": "Reactivation MRR",
    "mrr_contraction": "Contraction MRR",
    "won_value": "Won value",
    "sales_cycle_median": "Sales cycle",
    "deal_conversion_rate": "Deal conversion",
    "purchase_cltv": "Purchase CLTV",
    "unrecovered_failed_payments": "Unrecovered fails",
    "average_order_value": "Avg order value",
    "repeat_purchase_rate": "Repeat purchase",
    "collected_revenue": "Collected",
}
"""Labels that fit a tile's border (about 18 cells); the full label heads the explanation."""

DEFAULT_MIN_SAMPLE = KpiSettings().min_sample
"""The setting kpi.min_sample's default, until the dashboard has read the book's."""

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


def change_text(current: KpiValue, previous: KpiValue, *, short: bool = False) -> str:
    """`▲ +1.2 pts`, `▼ -$300` (`▼ -$1.2k` when short), `= 0`, or what is missing."""
    if current.value is None:
        return ""
    if previous.value is None:
        return "prev: no data"
    delta = current.value - previous.value
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    if short and current.unit == Unit.CENTS:
        return f"{arrow} {'+' if delta >= 0 else '-'}{format_money_short(round(abs(delta)))}"
    change = format_change(current, previous)
    return f"{arrow} {change.removesuffix(' pts').removesuffix(' d') if short else change}"


def value_text(value: KpiValue, *, short: bool = False) -> str:
    """The value as the engine's formatting gives it; money as `$3.9M` when `short`."""
    if short and value.unit == Unit.CENTS and value.value is not None:
        return format_money_short(round(value.value))
    return format_value(value.value, value.unit)


BLOCKS = "▁▂▃▄▅▆▇█"


def trend_text(values: list[float | None], cells_per_month: int = 1) -> Text:
    """One column per month, oldest first: a block scaled between the lowest and highest
    month, `·` for a month with no data (the months keep their places)."""
    known = [value for value in values if value is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    text = Text(no_wrap=True, overflow="crop")
    for value in values:
        if value is None:
            text.append("·" * cells_per_month, style="dim")
            continue
        level = 3 if high == low else round((value - low) / (high - low) * (len(BLOCKS) - 1))
        text.append(BLOCKS[level] * cells_per_month)
    return text


class Figure(Widget):
    """One line of a tile that shows the first of its wordings that fits (the last if none)."""

    texts: reactive[tuple[str, ...]] = reactive(("", ""), layout=False)

    def render(self) -> str:
        return next((text for text in self.texts if len(text) <= self.size.width),
                    self.texts[-1])


def sample_note(current: KpiValue, previous: KpiValue | None, min_sample: int) -> tuple[str, bool]:
    """(`n=3`, few): the sample behind a rate, and whether its change rests on fewer answers
    or accounts than `min_sample` (in this period or the previous one)."""
    if current.sample is None:
        return "", False
    samples = [current.sample] + ([previous.sample] if previous and previous.sample is not None
                                  and previous.value is not None else [])
    return f"n={current.sample:,}", min(samples) < min_sample


class Trend(Widget):
    """A tile's months, one or two columns each (as the width allows)."""

    values: reactive[list[float | None] | None] = reactive(None, layout=False)

    def render(self) -> Text | str:
        if self.values is None:
            return LOADING
        if all(value is None for value in self.values):
            return NO_DATA
        width = self.size.width
        # narrower than the months: the latest ones, which matter most
        values = self.values if width >= len(self.values) or not width else self.values[-width:]
        cells = max(1, min(3, width // max(len(values), 1)))
        return trend_text(values, cells)




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
        self.sample = ""
        """`n=3` beside a rate's value (empty for other KPIs)."""

    def compose(self) -> ComposeResult:
        value = Figure(classes="kpi-value")
        value.texts = (LOADING, LOADING)
        yield value
        yield Figure(classes="kpi-change flat")
        yield Trend(classes="kpi-trend")

    def on_focus(self) -> None:
        self.post_message(self.Focused(self.definition.name))

    @property
    def shown_line(self) -> str:
        """The value line as the tile shows it at its width: the value, and a rate's sample."""
        return str(self.query_one(".kpi-value", Figure).render())

    @property
    def shown_value(self) -> str:
        """The value as the tile shows it at its width (what tests compare with the engine's),
        without the sample beside it."""
        line = self.shown_line
        return line.removesuffix(self.sample).rstrip() if self.sample else line

    def show_loading(self) -> None:
        """Placeholders while the period or filter is recomputed."""
        self.current = self.previous = None
        self.trend = None
        self.sample = ""
        self.query_one(".kpi-value", Figure).texts = (LOADING, LOADING)
        self.query_one(".kpi-change", Figure).texts = ("", "")
        self.query_one(Trend).values = None

    def show_value(self, current: KpiValue, previous: KpiValue,
                   min_sample: int = DEFAULT_MIN_SAMPLE) -> None:
        """The period's value with its sample (`n=3`) for a rate, and its change against the
        previous period, marked `few` when a sample is below `min_sample`."""
        self.current, self.previous = current, previous
        value = self.query_one(".kpi-value", Figure)
        long, short = value_text(current), value_text(current, short=True)
        sample, few = sample_note(current, previous, min_sample)
        self.sample = sample if current.value is not None else ""
        if self.sample:
            value.texts = (f"{long}  {sample}", f"{short}  {sample}", f"{short} {sample}", short)
        else:
            value.texts = (long, short)
        value.set_class(current.value is None, "no-data")
        change = self.query_one(".kpi-change", Figure)
        long, short = change_text(current, previous), change_text(current, previous, short=True)
        if few and previous.value is not None and current.value is not None:
            change.texts = (f"{long} (few)", f"{short} (few)", f"~{short}")
        else:
            change.texts = (long, short)
        for name in ("good", "bad", "flat", "few"):
            change.remove_class(name)
        change.add_class("few" if few else change_class(self.definition, current, previous))

    def show_trend(self, values: list[float | None]) -> None:
        """The last months' values, oldest first (None: no data that month)."""
        self.trend = values
        self.query_one(Trend).values = list(values)
