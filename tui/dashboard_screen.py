"""The KPI dashboard: every KPI of a period by lifecycle stage, its change and 12-month trend,
the charts behind them, and the accounts behind a KPI on Enter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    ContentSwitcher,
    Header,
    Static,
)
from textual.worker import Worker, WorkerState, get_current_worker

from store import Store
from store.clock import utc_now
from store.display import visible
from store.kpis import drilldown
from store.kpis.catalog import BY_NAME, CATALOG, GROUPS
from store.kpis.cohorts import CohortRow
from store.kpis.filters import BookFilter
from store.kpis.formatting import NO_DATA, format_value
from store.kpis.periods import Period, add_months, month, month_key, parse_period, to_date
from store.kpis.results import KpiValue
from store.kpis.revenue import MOVEMENTS
from store.money import format_money
from tui.backtest_screen import BacktestScreen
from tui.calm_screen import CalmScreen
from tui.drill_screen import DrillScreen
from tui.kpi_charts import CohortHeatMap, MrrMovementsChart, NpsChart, StageChart
from tui.kpi_filter_dialog import FILTER_FIELDS, KpiFilterDialog
from tui.kpi_tile import DEFAULT_MIN_SAMPLE, KpiTile
from tui.steady_footer import SteadyFooter

TREND_MONTHS = 12
"""Months in each tile's sparkline and in the MRR movements chart."""

GRAINS = ("month", "quarter", "year")
WIDE_COLUMNS = 4
"""Tiles per row on a wide terminal; fewer on narrow ones (`columns_for`)."""


# -- periods --------------------------------------------------------------------------------


def columns_for(width: int) -> int:
    """Tiles per row for a screen `width` cells wide (each tile wants ~20 cells)."""
    return WIDE_COLUMNS if width >= 130 else 3 if width >= 100 else 2 if width >= 75 else 1


def period_for(grain: str, anchor: date) -> Period:
    """The month, quarter or year holding `anchor`'s month."""
    if grain == "month":
        return month(anchor.year, anchor.month)
    if grain == "quarter":
        return parse_period(f"{anchor.year}-Q{(anchor.month - 1) // 3 + 1}", anchor)
    return parse_period(str(anchor.year), anchor)


def shift_period(period: Period, steps: int) -> Period:
    """The period of the same grain `steps` periods later (earlier when negative)."""
    return period_for(period.grain, add_months(period.start, steps * period.month_count))


# -- messages from the workers --------------------------------------------------------------


@dataclass
class Loaded(Message):
    """Something a load worker computed, for the load it belongs to (`generation`): a message
    from a load that was replaced since is dropped, even for the same period and filter."""

    generation: int


@dataclass
class ValuesLoaded(Loaded):
    """Every KPI for the period and for the previous period."""

    current: dict[str, KpiValue]
    previous: dict[str, KpiValue]
    min_sample: int = DEFAULT_MIN_SAMPLE
    """The setting kpi.min_sample: a change from fewer answers or accounts is marked."""


@dataclass
class TrendsLoaded(Loaded):
    """Some KPIs' monthly values (one family's), oldest month first."""

    months: list[str]
    series: dict[str, list[KpiValue]]


@dataclass
class CohortsLoaded(Loaded):
    """The cohort retention matrix of the months up to the period's end."""

    rows: list[CohortRow]


@dataclass
class StagesLoaded(Loaded):
    """Accounts per stage at each month-end of the trend months."""

    months: list[str]
    stages: list[tuple[str, str, bool]]
    """(key, label, terminal) in lifecycle order."""
    counts: dict[str, list[int]]
    """Accounts in each stage at the end of each month, oldest first."""


@dataclass
class DashboardDone(Loaded):
    """Every value, trend and cohort of the period has arrived."""


@dataclass
class FilterOptions(Message):
    """The values segment, owner and plan take in the book."""

    options: dict[str, list[str]]


# -- the dashboard --------------------------------------------------------------------------


class TileScroll(VerticalScroll, inherit_bindings=False, can_focus=False):
    """The tiles' scrolling area, without its own arrow keys: arrows walk the tiles (the
    focused tile scrolls into view)."""


def describe_input(key: str, value: Any) -> str:
    """One input of a KPI, for people: money for `*_cents`, yes/no, `no data` for None."""
    if value is None:
        return NO_DATA
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key.endswith("_cents") and isinstance(value, int | float):
        return format_money(round(value))
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):  # e.g. the loyalty index's mean score per question
        return ", ".join(f"{visible(str(name))} {describe_input('', one)}"
                         for name, one in value.items())
    return visible(str(value))


class DashboardScreen(CalmScreen[None]):
    """Every KPI of a period, grouped by lifecycle stage, recomputed in a worker."""

    CSS_PATH = "dashboard_screen.tcss"
    AUTO_FOCUS = "KpiTile"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "shift(-1)", "Prev period", key_display="[",
                id="dashboard.previous"),
        Binding("right_square_bracket", "shift(1)", "Next period", key_display="]",
                id="dashboard.next"),
        Binding("p", "cycle_grain", "Month/Qtr/Year", id="dashboard.grain"),
        Binding("f", "filter", "Filter", id="dashboard.filter"),
        Binding("c", "toggle_charts", "Charts", id="dashboard.charts"),
        Binding("enter", "drill", "Accounts", id="dashboard.drill"),
        Binding("r", "reload", "Reload", id="dashboard.reload"),
        Binding("b", "backtest", "Backtest", id="dashboard.backtest"),
        Binding("escape", "back", "Back", show=False, id="dashboard.back"),
        Binding("up,k", "move(-4)", "Up", show=False, id="dashboard.up"),
        Binding("down,j", "move(4)", "Down", show=False, id="dashboard.down"),
        Binding("left,h", "move(-1)", "Left", show=False, id="dashboard.left"),
        Binding("right,l", "move(1)", "Right", show=False, id="dashboard.right"),
    ]
    """Period and filter keys; arrows (or hjkl) walk the tiles; Enter lists the accounts."""

    FOOTER_FIRST = ("dashboard.drill", "dashboard.charts", "dashboard.previous", "dashboard.next",
                    "dashboard.grain", "dashboard.filter", "dashboard.backtest")
    """The footer's first keys (then Today, KPIs and Quit)."""

    def __init__(self, store: Store, period: Period | None = None,
                 book: BookFilter | None = None) -> None:
        super().__init__()
        self.store = store
        today = utc_now().date()
        self.latest = month(today.year, today.month)
        """The last period `]` reaches: the current month (its figures are still moving)."""
        self.period = period or parse_period("last-month", today)
        self.today = today
        self.anchor = min(self.period.last_day.replace(day=1), self.latest.start)
        """The month `[` `]` and `p` move around: month → quarter → year → month comes back to
        the month it started from."""
        self.book = book or BookFilter()
        self.current: dict[str, KpiValue] = {}
        self.previous: dict[str, KpiValue] = {}
        self.min_sample = DEFAULT_MIN_SAMPLE
        """The setting kpi.min_sample, read with the values."""
        self.trends: dict[str, list[KpiValue]] = {}
        self.trend_months: list[str] = []
        self.cohort_rows: list[CohortRow] | None = None
        self.tile_columns = WIDE_COLUMNS
        self.charts_from = CATALOG[0].name
        """The KPI focused when the charts were opened (focused again when they close)."""
        self.generation = 0
        """Bumped by each reload; messages of an earlier load are dropped."""
        self.stages_requested: int | None = None
        """The load whose stage counts were asked for (they are read when the charts show)."""
        self.stage_series: StagesLoaded | None = None
        self.options: dict[str, list[str]] = {}
        self.values_pending = True
        """The values are being computed (from the start: the first load follows the paint).
        Not `loading`: that is Widget's own reactive, which hides the screen behind a spinner."""
        self.trends_pending = True
        """The sparklines, charts and cohorts are still being computed."""
        self.focused_kpi = CATALOG[0].name

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("", id="dashboard-status", markup=False)
        with ContentSwitcher(initial="dashboard-tiles", id="dashboard-views"):
            with Horizontal(id="dashboard-tiles"):
                with TileScroll(id="tiles-scroll"):
                    for group in GROUPS:
                        yield Static(group.title(), classes="group-title", markup=False)
                        with Grid(classes="tile-grid"):
                            for definition in CATALOG:
                                if definition.group == group:
                                    yield KpiTile(definition)
                yield Static("", id="kpi-explain", markup=False)
            # Filled only while shown (`action_toggle_charts`): while the tiles show, arriving
            # data costs no plot rendering on the UI thread.
            yield VerticalScroll(id="dashboard-charts", can_focus=False)
        yield SteadyFooter()

    def on_resize(self) -> None:
        """Fewer, wider tiles on a narrow terminal: a figure cut short misleads."""
        columns = columns_for(self.size.width)
        if columns != self.tile_columns:
            self.tile_columns = columns
            for grid in self.query(".tile-grid"):
                grid.styles.grid_size_columns = columns
        self.query_one("#kpi-explain").styles.width = 42 if self.size.width >= 120 else 30

    def on_mount(self) -> None:
        self.tiles[0].focus()
        self._update_status()
        self._explain()
        # Paint the placeholders first: a worker started now would compete with the first
        # layout for the interpreter.
        self.call_after_refresh(self.load_options)
        self.call_after_refresh(self.reload)

    @property
    def tiles(self) -> list[KpiTile]:
        """The tiles in catalog order (the order focus walks them)."""
        return list(self.query(KpiTile))

    def tile(self, name: str) -> KpiTile:
        """The tile of KPI `name`."""
        return self.query_one(f"#kpi-{name}", KpiTile)

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Show placeholders and recompute everything for the period and filter."""
        self.generation += 1
        self.values_pending = self.trends_pending = True
        self.current, self.previous, self.trends, self.trend_months = {}, {}, {}, []
        self.cohort_rows = self.stage_series = None
        self._draw_charts()
        for tile in self.tiles:
            tile.show_loading()
        self._update_status()
        self._explain()
        self.load_dashboard(self.generation, self.period, self.book)
        if self.query_one(ContentSwitcher).current == "dashboard-charts":
            self.stages_requested = self.generation
            self.load_stages(self.generation, self.period, self.book)

    @work(thread=True, exclusive=True, group="dashboard-load", exit_on_error=False)
    def load_dashboard(self, generation: int, period: Period, book: BookFilter) -> None:
        """Values first (the tiles), then cohorts, then each family's 12-month trend."""
        worker = get_current_worker()
        counted = self.counted(period)
        current = self.store.kpis(counted, book)
        previous = self.store.kpis(counted.previous(), book)
        if worker.is_cancelled:
            return
        self.post_message(ValuesLoaded(generation, current, previous, self.store.min_sample()))
        end = self.trend_end(period)
        last = end.months[-1]
        first = month_key(add_months(end.start, -(TREND_MONTHS - 1)))
        rows = self.store.cohorts(first, last, last, book)
        if worker.is_cancelled:
            return
        self.post_message(CohortsLoaded(generation, rows))
        for periods, series in self.store.kpi_trends(end, TREND_MONTHS, book):
            if worker.is_cancelled:
                return
            self.post_message(TrendsLoaded(generation, [one.label for one in periods], series))
        self.post_message(DashboardDone(generation))

    @work(thread=True, exclusive=True, group="dashboard-stages", exit_on_error=False)
    def load_stages(self, generation: int, period: Period, book: BookFilter) -> None:
        """Accounts per stage at the end of each of the TREND_MONTHS months up to the period's
        (the current month's end is today: no move is recorded ahead of time). Only the charts
        show them, and they read the whole stage history: loaded when the charts are shown."""
        first = add_months(self.trend_end(period).start, -(TREND_MONTHS - 1))
        starts = [add_months(first, k) for k in range(TREND_MONTHS)]
        ends = [add_months(start, 1) - timedelta(days=1) for start in starts]
        series = self.store.stage_counts(ends, book)
        stages = [(stage.key, stage.label, stage.terminal)
                  for stage in self.store.lifecycle().stages]
        known = {key for key, _, _ in stages}
        stages += [(row.stage, row.stage, False) for row in series[-1] if row.stage not in known]
        counts = {key: [next((row.accounts for row in rows if row.stage == key), 0)
                        for rows in series] for key, _, _ in stages}
        if not get_current_worker().is_cancelled:
            self.post_message(StagesLoaded(generation, [month_key(start) for start in starts],
                                           stages, counts))

    def counted(self, period: Period) -> Period:
        """The months the figures are computed over: a quarter or year still running stops at
        the current month (later months would count subscriptions' scheduled ends as churn
        that has not happened); it is compared with as many months before it."""
        return to_date(period, self.today)

    def trend_end(self, period: Period) -> Period:
        """The last month the trends and charts show: the period's last, or the current month
        when the period runs on past it (a year shows no months still to come)."""
        last = self.counted(period).last_day
        return month(last.year, last.month)

    @work(thread=True, exclusive=True, group="dashboard-options", exit_on_error=False)
    def load_options(self) -> None:
        """The segment, owner and plan values the filter dialog offers."""
        self.post_message(FilterOptions(
            {field: self.store.distinct_values(field) for field in FILTER_FIELDS}))

    def _is_current(self, message: Loaded) -> bool:
        return message.generation == self.generation

    @on(ValuesLoaded)
    def show_values(self, message: ValuesLoaded) -> None:
        """Fill every tile's value and change."""
        if not self._is_current(message):
            return
        self.current, self.previous = message.current, message.previous
        self.min_sample = message.min_sample
        self.values_pending = False
        for tile in self.tiles:
            name = tile.definition.name
            if name in self.current:
                tile.show_value(self.current[name], self.previous[name], message.min_sample)
        self._draw_charts()
        self._update_status()
        self._explain()

    @on(TrendsLoaded)
    def show_trends(self, message: TrendsLoaded) -> None:
        """Fill the sparklines of one family; the MRR family also draws the movements chart."""
        if not self._is_current(message):
            return
        self.trend_months = message.months
        for name, values in message.series.items():
            self.trends[name] = values
            self.tile(name).show_trend([value.value for value in values])
        if "mrr_new" in message.series:
            self._draw_charts()
        self._explain()

    @on(CohortsLoaded)
    def show_cohorts(self, message: CohortsLoaded) -> None:
        """Fill the cohort heat map."""
        if self._is_current(message):
            self.cohort_rows = message.rows
            self._draw_charts()

    @on(StagesLoaded)
    def show_stages(self, message: StagesLoaded) -> None:
        """Fill the accounts-per-stage chart."""
        if self._is_current(message):
            self.stage_series = message
            self._draw_charts()

    @on(DashboardDone)
    def dashboard_done(self, message: DashboardDone) -> None:
        """Every figure is in."""
        if self._is_current(message):
            self.trends_pending = False
            self._update_status()

    @on(FilterOptions)
    def remember_options(self, message: FilterOptions) -> None:
        """Keep the filter values for the dialog."""
        self.options = message.options

    def _update_status(self) -> None:
        period = self.period
        line = f"KPIs · {period.label} ({period.grain}"
        if period.start <= self.today < period.end:
            elapsed, total = (self.today - period.start).days + 1, (period.end - period.start).days
            line += f" to date, day {elapsed} of {total}"
        counted = self.counted(period)
        if counted == period:
            line += ") vs previous"
        else:
            line += (f") · {counted.start:%b}–{self.latest.start:%b} vs the "
                     f"{counted.month_count} months before")
        line += f" · {self.book.describe()}"
        if self.values_pending:
            line += " · computing…"
        elif self.trends_pending:
            line += " · trends loading…"
        if self.query_one(ContentSwitcher).current == "dashboard-charts":
            line += "  —  [ ] period · p month/qtr/year · f filter · tab next chart · c tiles"
        else:
            line += "  —  [ ] period · p month/qtr/year · f filter · c charts"
        self.query_one("#dashboard-status", Static).update(line, layout=False)

    # -- the explanation -------------------------------------------------------------------

    @on(KpiTile.Focused)
    def tile_focused(self, message: KpiTile.Focused) -> None:
        """Explain the focused KPI."""
        self.focused_kpi = message.name
        self._explain()

    def _explain(self) -> None:
        definition = BY_NAME[self.focused_kpi]
        text = Text()
        text.append(definition.label + "\n", style="bold")
        text.append(f"{definition.group} · {definition.name}\n\n", style="dim")
        text.append("Formula\n", style="bold")
        text.append(definition.formula + "\n\n")
        better = {"up": "higher is better", "down": "lower is better"}.get(
            definition.better or "", "neither direction is better")
        text.append(f"{better}\n\n", style="italic")
        current = self.current.get(definition.name)
        previous = self.previous.get(definition.name)
        if current is None:
            text.append("computing…\n", style="dim")
        else:
            text.append(f"{self.period.label}: ", style="bold")
            text.append(format_value(current.value, current.unit) + "\n")
            if previous is not None:
                text.append("previous: ", style="bold")
                text.append(format_value(previous.value, previous.unit) + "\n")
            if current.inputs:
                text.append("\nWhat went in\n", style="bold")
                for key, value in current.inputs.items():
                    label = key.removesuffix("_cents").replace("_", " ")
                    text.append(f"  {label}: {describe_input(key, value)}\n")
            if current.sample is not None:
                few = current.sample < self.min_sample
                text.append(f"\nSample: {current.sample:,}", style="bold")
                text.append(f" (fewer than kpi.min_sample = {self.min_sample}: a change this "
                            "small a sample can swing widely)\n" if few else "\n")
            if current.note:
                text.append("\nNote\n", style="bold")
                text.append(visible(current.note) + "\n")
        if drilldown.views(definition.name):
            text.append("\nenter: the accounts behind it\n", style="italic")
        trend = self.trends.get(definition.name)
        if trend:
            known = [value for value in trend if value.value is not None]
            text.append(f"\nLast {len(trend)} months: {len(known)} with data", style="dim")
        # A fixed-size panel: no layout pass (it would re-arrange every tile on each arrow key).
        self.query_one("#kpi-explain", Static).update(text, layout=False)

    # -- actions ---------------------------------------------------------------------------

    def action_shift(self, steps: int) -> None:
        """The previous or next period of the same grain (not past the current month's)."""
        anchor = add_months(self.anchor, steps * self.period.month_count)
        shifted = period_for(self.period.grain, anchor) if self.period.grain in GRAINS \
            else shift_period(self.period, steps)
        if shifted.start > self.latest.start:
            self.notify("No later period yet", severity="warning")
            return
        self.anchor = anchor  # unclamped: ] then [ comes back where it was
        self.period = shifted
        self.reload()

    def action_cycle_grain(self) -> None:
        """Month → quarter → year → month, around the month the user was on."""
        grain = GRAINS[(GRAINS.index(self.period.grain) + 1) % len(GRAINS)] \
            if self.period.grain in GRAINS else "month"
        self.period = period_for(grain, min(self.anchor, self.latest.start))
        self.reload()

    def action_filter(self) -> None:
        """Pick a segment, owner and plan."""
        def chosen(book: BookFilter | None) -> None:
            if book is not None and book != self.book:
                self.book = book
                self.reload()

        self.app.push_screen(KpiFilterDialog(self.book, self.options), chosen)

    def action_toggle_charts(self) -> None:
        """Between the tiles and the charts."""
        switcher = self.query_one(ContentSwitcher)
        charts = self.query_one("#dashboard-charts", VerticalScroll)
        if switcher.current == "dashboard-tiles":
            # Hiding the tiles makes Textual hand the focus on (to another tile, for a moment):
            # remember the one to come back to.
            self.charts_from = self.focused_kpi
            switcher.current = "dashboard-charts"
            charts.mount_all(self._chart_widgets())
            if self.stages_requested != self.generation:
                self.stages_requested = self.generation
                self.load_stages(self.generation, self.period, self.book)
            self.call_after_refresh(self._draw_charts)
            self.call_after_refresh(lambda: self.query_one(MrrMovementsChart).focus())
        else:
            switcher.current = "dashboard-tiles"
            # Focus the tile before the charts go: removing the focused chart would hand the
            # focus to whichever tile Textual finds next.
            self.focused_kpi = self.charts_from
            self.tile(self.focused_kpi).focus()
            charts.remove_children()
        self._update_status()
        self.refresh_bindings()

    @staticmethod
    def _chart_widgets() -> list[Widget]:
        mrr = MrrMovementsChart(id="mrr-chart")
        mrr.border_title = "MRR movements per month"
        nps = NpsChart(id="nps-chart")
        nps.border_title = "NPS answers"
        stages = StageChart(id="stage-chart")
        # No cell padding: twelve month columns fit beside the NPS chart at 140 columns.
        cohorts = CohortHeatMap(id="cohort-map", cursor_type="none", cell_padding=0)
        cohorts.border_title = "Logo retention by cohort (%)"
        # Full width each (textual-plot merges bars drawn narrower), one under the other:
        # tab walks them and scrolls the one focused into view.
        return [mrr, stages, Horizontal(nps, cohorts, id="charts-bottom")]

    def _draw_charts(self) -> None:
        """Draw what has arrived into the charts, when they are showing."""
        if not self.query("#mrr-chart"):
            return
        nps = self.current.get("nps")
        self.query_one(NpsChart).show_counts(nps.inputs if nps is not None else {})
        series = self.trends
        if all(f"mrr_{kind}" in series for kind in MOVEMENTS):
            amounts = {kind: [round(value.value or 0) for value in series[f"mrr_{kind}"]]
                       for kind in MOVEMENTS}
            self.query_one(MrrMovementsChart).show_movements(self.trend_months, amounts)
        else:
            self.query_one(MrrMovementsChart).show_movements([], {})
        self.query_one(CohortHeatMap).show_cohorts(self.cohort_rows or [])
        stages = self.stage_series
        if stages is None:
            self.query_one(StageChart).show_pending()
        else:
            self.query_one(StageChart).show_stages(stages.months, stages.stages, stages.counts)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter lists accounts from the tiles only: on the charts, which have no KPI under a
        cursor, it is not offered (neither in the footer nor in `?`)."""
        if action == "drill":
            return self.query_one(ContentSwitcher).current == "dashboard-tiles"  # False: hidden
        return True

    def action_drill(self) -> None:
        """The accounts behind the focused KPI."""
        if self.query_one(ContentSwitcher).current != "dashboard-tiles":
            return
        if not drilldown.views(self.focused_kpi):
            self.notify(f"{BY_NAME[self.focused_kpi].label}: no account list for this KPI",
                        severity="warning", markup=False)
            return
        self.app.push_screen(DrillScreen(self.store, self.focused_kpi, self.counted(self.period),
                                         self.book))

    def action_reload(self) -> None:
        """Compute everything again."""
        self.reload()

    def action_backtest(self) -> None:
        """The backtest chart: Today and health replayed at past weeks (`retain backtest`)."""
        self.app.push_screen(BacktestScreen(self.store))

    def action_back(self) -> None:
        """Back to where the dashboard was opened from."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_move(self, step: int) -> None:
        """Move the focus between tiles (a row is `tile_columns` tiles of a section)."""
        tiles = self.tiles
        names = [tile.definition.name for tile in tiles]
        if self.query_one(ContentSwitcher).current != "dashboard-tiles":
            return
        # The focused widget, not `focused_kpi`: that follows a message, keys can come faster.
        focused = self.focused
        current = focused.definition.name if isinstance(focused, KpiTile) else self.focused_kpi
        index = names.index(current) if current in names else 0
        if abs(step) == 1:
            target = index + step
        else:
            target = self._vertical_target(index, 1 if step > 0 else -1)
        if 0 <= target < len(tiles):
            tiles[target].focus()
            tiles[target].scroll_visible()

    def _vertical_target(self, index: int, direction: int) -> int:
        """The tile above or below in the layout: same column of the next row (sections start
        new rows), or the nearest tile of that row."""
        rows: list[list[int]] = []
        position = 0
        for group in GROUPS:
            count = sum(1 for definition in CATALOG if definition.group == group)
            width = self.tile_columns
            for start in range(0, count, width):
                rows.append(list(range(position + start, position + min(count, start + width))))
            position += count
        row = next(number for number, members in enumerate(rows) if index in members)
        column = rows[row].index(index)
        target_row = row + direction
        if not 0 <= target_row < len(rows):
            return -1
        members = rows[target_row]
        return members[min(column, len(members) - 1)]

    @on(Worker.StateChanged)
    def _stop_waiting_on_error(self, event: Worker.StateChanged) -> None:
        """A failed computation stops the 'computing' status (the app shows the error)."""
        if event.state == WorkerState.ERROR:
            self.values_pending = self.trends_pending = False
            self._update_status()

