"""The dashboard's charts: MRR movements, NPS answers, accounts per stage, cohort heat map."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.markup import escape
from textual.strip import Strip
from textual.widgets import DataTable
from textual_hires_canvas import Canvas
from textual_plot import HiResMode, PlotWidget
from textual_plot.axis_formatter import AxisFormatter, CategoricalAxisFormatter
from textual_plot.plot_widget import Legend

from store.backtest import Replay
from store.display import visible
from store.kpis.cohorts import CohortRow
from store.kpis.revenue import MOVEMENTS
from store.money import format_money_short


class DollarFormatter(AxisFormatter):
    """Tick labels in short dollars ($12k) for values given in dollars."""

    def __init__(self) -> None:
        from textual_plot import NumericAxisFormatter

        self._numeric = NumericAxisFormatter()

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        return self._numeric.get_ticks(min_, max_, max_ticks)

    def get_labels_for_ticks(self, ticks: list[float]) -> list[str]:  # type: ignore[override]
        return [("-" if tick < 0 else "") + format_money_short(round(abs(tick) * 100))
                for tick in ticks]


class _BlankSafeCanvas(Canvas):
    """textual-hires-canvas 0.14 draws a not-yet-sized canvas as an empty segment with no
    style, which Textual's NO_COLOR filter cannot read (AttributeError: 'NoneType' ... 'color',
    found by the tests, which run with NO_COLOR=1): draw such lines as plain blanks."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if strip.cell_length == 0:
            return Strip.blank(self.size.width, self.rich_style)
        return strip


def stack_bars(plot: PlotWidget, x: list[float], layers: list[tuple[list[float], str]]) -> None:
    """Draw `layers` (values per x, style) as bars stacked from 0, the first layer at the
    bottom. textual-plot's bars all start at 0, so the running totals are drawn tallest first,
    each shorter one painting over the bottom of the one before (in whole cells: half blocks
    painted over each other leave holes)."""
    for top in range(len(layers), 0, -1):
        heights = [sum(values[i] for values, _ in layers[:top]) for i in range(len(x))]
        plot.bar(x, heights, width=0.7, bar_style=layers[top - 1][1])


class ChartWidget(PlotWidget):
    """textual-plot's PlotWidget on canvases that survive NO_COLOR (see _BlankSafeCanvas)."""

    _last_draw: tuple[str, tuple[object, ...]] | None = None
    """The last show_* call, replayed once mounted: PlotWidget.on_mount clears the plot."""

    def on_mount(self) -> None:
        # Textual runs PlotWidget.on_mount (which clears the plot) after this one: replay the
        # last drawing once that has happened.
        self.call_after_refresh(self._replay)

    def _replay(self) -> None:
        if self._last_draw is not None:
            method, args = self._last_draw
            getattr(self, method)(*args)

    def compose(self) -> ComposeResult:
        with Grid():
            yield _BlankSafeCanvas(1, 1, id="margin-top")
            yield _BlankSafeCanvas(1, 1, id="margin-left")
            yield _BlankSafeCanvas(1, 1, id="plot")
            yield _BlankSafeCanvas(1, 1, id="margin-bottom")
        yield Legend(id="legend")


MOVEMENT_COLOURS = {
    "new": "success",
    "expansion": "primary",
    "reactivation": "primary-lighten-3",
    "contraction": "warning",
    "churned": "error",
}
"""Theme variables each MRR movement is drawn in."""


def movement_key() -> str:
    """The chart's key as Textual markup: each movement in its colour, then the net line."""
    return " ".join(f"[${colour}]■[/] {kind}" for kind, colour in MOVEMENT_COLOURS.items()) \
        + " [$foreground]◆[/] net"


class MrrMovementsChart(ChartWidget):
    """MRR movements per month as stacked bars (new, expansion, reactivation up; contraction,
    churned down) with the net change as a line."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(allow_pan_and_zoom=True, **kwargs)  # type: ignore[arg-type]
        self.months: list[str] = []
        self.amounts: dict[str, list[int]] = {}

    def show_movements(self, months: list[str], amounts: dict[str, list[int]]) -> None:
        """Draw `amounts[kind][i]` (positive cents) for each month `months[i]`."""
        self._last_draw = ("show_movements", (months, amounts))
        self.months, self.amounts = months, amounts
        self.clear()
        if not months:
            return
        variables = self.app.get_css_variables()
        x = list(range(1, len(months) + 1))
        dollars = {kind: [cents / 100 for cents in amounts[kind]] for kind in MOVEMENTS}
        for kinds, sign in ((("new", "expansion", "reactivation"), 1),
                            (("contraction", "churned"), -1)):
            stack_bars(self, x, [([sign * amount for amount in dollars[kind]],
                                  variables.get(MOVEMENT_COLOURS[kind], "white"))
                                 for kind in kinds])
        net = [sum(dollars[kind][i] for kind in ("new", "expansion", "reactivation"))
               - dollars["contraction"][i] - dollars["churned"][i] for i in range(len(months))]
        # The net change as one marker per month: textual-plot's lines between a few far-apart
        # points wander (measured here), a marker sits exactly on the month's value.
        self.scatter(x, net, marker="◆", marker_style=f"bold {variables.get('foreground', 'white')}")
        self.set_x_formatter(CategoricalAxisFormatter([month[2:] for month in months]))
        self.set_xticks(x)
        self.set_y_formatter(DollarFormatter())
        self.set_xlimits(0.4, len(months) + 0.6)
        # The plot's own legend box would hide the first months' bars: the key goes in the
        # border instead, in the same theme colours.
        self.border_subtitle = movement_key()


NPS_BANDS = (("detractors", "error"), ("passives", "warning"), ("promoters", "success"))


class NpsChart(ChartWidget):
    """The period's NPS answers as three bars: detractors, passives, promoters."""

    def show_counts(self, counts: dict[str, int]) -> None:
        """Draw the answer count of each band."""
        self._last_draw = ("show_counts", (counts,))
        self.clear()
        variables = self.app.get_css_variables()
        self.bar([band for band, _ in NPS_BANDS],
                 [counts.get(band, 0) for band, _ in NPS_BANDS], width=0.6,
                 hires_mode=HiResMode.HALFBLOCK,
                 bar_style=[variables.get(colour, "white") for _, colour in NPS_BANDS])
        peak = max((counts.get(band, 0) for band, _ in NPS_BANDS), default=0)
        self.set_ylimits(0, max(peak * 1.05, 1))  # no answers: 0 to 1, not ±0.000001
        self.set_xlimits(0.4, len(NPS_BANDS) + 0.6)
        self.border_subtitle = " · ".join(f"{band} {counts.get(band, 0):,}"
                                          for band, _ in NPS_BANDS)


HEAT_STEPS = ((90.0, "success"), (70.0, "primary"), (50.0, "warning"), (0.0, "error"))
"""Cohort cells at or above each percentage are drawn in that theme colour."""


class CohortHeatMap(DataTable[Text]):
    """Logo retention by cohort (first paying month) and months since, coloured by level."""

    def show_cohorts(self, rows: list[CohortRow]) -> None:
        """One row per cohort: its size, then the % still paying at each month-end."""
        self.clear(columns=True)
        span = max((len(row.logo) for row in rows), default=0)
        self.add_column("Cohort", key="cohort", width=8)
        self.add_column(Text("Accts ", justify="right"), key="accounts", width=7)
        for k in range(span):
            self.add_column(Text(f"M{k} ", justify="right"), key=f"m{k}", width=5)
        variables = self.app.get_css_variables()
        styles = [(floor, Style(color=variables.get("background"),
                                bgcolor=variables.get(colour))) for floor, colour in HEAT_STEPS]
        for row in rows:
            cells = [Text(row.cohort), Text(f"{row.accounts:,} ", justify="right")]
            for k in range(span):
                value = row.logo[k] if k < len(row.logo) else None
                if value is None:
                    cells.append(Text(""))
                    continue
                style = next(style for floor, style in styles if value >= floor)
                cells.append(Text(f"{value:.0f} ", style=style, justify="right"))
            self.add_row(*cells, key=row.cohort)


STAGE_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
                 "#ff9da7", "#9c755f", "#bab0ac")
"""Tableau's ten categorical colours, one per stage in lifecycle order (repeating past ten): a
theme's variables are too few and too alike (accent and warning are one orange in some)."""

STAGE_MARKERS = ("•", "◆", "■", "▲", "▼", "x", "+", "o", "*", "#")
"""One marker per stage as well, in the same order: lines stay apart without colour (NO_COLOR)."""


class StageChart(ChartWidget):
    """Accounts in each stage at each month-end, a line per stage in lifecycle order; accounts
    in a terminal stage (churned) are counted in the title, not drawn."""

    TITLE = "Accounts per stage at each month-end"

    months: list[str] = []
    counts: dict[str, list[int]] = {}  # noqa: RUF012 (replaced, never mutated)

    def show_pending(self) -> None:
        """An empty chart saying its counts are being read."""
        self.show_stages([], [], {})
        self._last_draw = ("show_pending", ())
        self.border_title = f"{self.TITLE} · computing…"
        self.border_subtitle = ""

    def show_stages(self, months: list[str], stages: list[tuple[str, str, bool]],
                    counts: dict[str, list[int]]) -> None:
        """`stages` is (key, label, terminal) in lifecycle order; `counts[key][i]` the accounts
        in that stage at the end of `months[i]`."""
        self._last_draw = ("show_stages", (months, stages, counts))
        self.months, self.counts = months, counts
        self.clear()
        self.border_title = self.TITLE
        if not months:
            return
        live = [(key, label) for key, label, terminal in stages if not terminal]
        colours = {key: STAGE_COLOURS[n % len(STAGE_COLOURS)] for n, (key, _) in enumerate(live)}
        markers = {key: STAGE_MARKERS[n % len(STAGE_MARKERS)] for n, (key, _) in enumerate(live)}
        x = list(range(1, len(months) + 1))
        peak = max((count for key, _ in live for count in counts.get(key, [])), default=0)
        self.set_x_formatter(CategoricalAxisFormatter([month[2:] for month in months]))
        self.set_xticks(x)
        self.set_ylimits(0, max(peak * 1.05, 1))  # an empty book: 0 to 1, not ±0.000001
        self.set_xlimits(0.4, len(months) + 0.6)
        for key, _ in live:
            values = [float(count) for count in counts.get(key, [0] * len(months))]
            self.plot(x, values, line_style=colours[key], hires_mode=HiResMode.BRAILLE)
            self.scatter(x, values, marker=markers[key], marker_style=f"bold {colours[key]}")
        # The key gives the last month's counts; terminal stages are counted, not drawn (their
        # accounts pile up month after month and would flatten every other line).
        last = {key: counts.get(key, [0])[-1] for key, _, _ in stages}
        self.border_subtitle = " ".join(
            f"[bold {colours[key]}]{escape(markers[key])}[/] {escape(visible(label))} {last[key]:,}"
            for key, label in live)
        ended = "".join(f" · {escape(visible(label))} {last[key]:,} (not drawn)"
                        for key, label, terminal in stages if terminal)
        self.border_title = f"{self.TITLE} · {months[-1]}{ended}"


BACKTEST_LINES = (("top 10", "#e15759", "◆"), ("top 50", "#f28e2b", "■"),
                  ("base rate", "#4e79a7", "•"))
"""The backtest chart's lines: label, colour and marker (apart without colour, as StageChart)."""


def weekly_precision(replays: list[Replay]) -> dict[str, list[tuple[int, float]]]:
    """Per line, (replay index from 1, percent) for each week that has a denominator: the share
    of Today's top 10 / top 50 that lost MRR, and of all paying accounts (the base rate)."""
    series: dict[str, list[tuple[int, float]]] = {label: [] for label, _, _ in BACKTEST_LINES}
    for index, replay in enumerate(replays, start=1):
        for label, hits, whole in (("top 10", replay.in_top10, replay.top10),
                                   ("top 50", replay.in_top50, replay.top50),
                                   ("base rate", replay.lost, replay.paying)):
            if whole:
                series[label].append((index, 100 * hits / whole))
    return series


class BacktestChart(ChartWidget):
    """Per replay week, the precision of Today's top 10 and top 50 against the base rate."""

    TITLE = "Share that lost MRR within the horizon, per replay week (%)"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(allow_pan_and_zoom=False, **kwargs)  # type: ignore[arg-type]
        self.can_focus = False
        self.series: dict[str, list[tuple[int, float]]] = {}
        """The points drawn, per line of BACKTEST_LINES (empty until the backtest is done)."""

    def show_pending(self) -> None:
        """An empty chart saying the backtest is running."""
        self.clear()
        self._last_draw = ("show_pending", ())
        self.border_title = f"{self.TITLE} · computing…"
        self.border_subtitle = ""

    def show_replays(self, replays: list[Replay]) -> None:
        """A line (with markers) per BACKTEST_LINES entry over the replay weeks."""
        self._last_draw = ("show_replays", (replays,))
        self.clear()
        self.border_title = self.TITLE
        if not replays:
            self.border_subtitle = "no replay days"
            return
        series = self.series = weekly_precision(replays)
        for label, colour, marker in BACKTEST_LINES:
            points = series[label]
            if not points:
                continue
            x = [float(index) for index, _ in points]
            y = [value for _, value in points]
            if len(points) > 1:
                self.plot(x, y, line_style=colour, hires_mode=HiResMode.BRAILLE)
            self.scatter(x, y, marker=marker, marker_style=f"bold {colour}")
        labels = [replay.day.isoformat()[2:] for replay in replays]
        step = max(1, -(-len(replays) // 8))
        ticks = list(range(1, len(replays) + 1, step))
        self.set_x_formatter(CategoricalAxisFormatter(labels))
        self.set_xticks([float(tick) for tick in ticks])
        peak = max((value for points in series.values() for _, value in points), default=0.0)
        self.set_ylimits(0, max(peak * 1.05, 1))
        self.set_xlimits(0.4, len(replays) + 0.6)
        self.border_subtitle = " ".join(
            f"[bold {colour}]{escape(marker)}[/] {label}" for label, colour, marker in BACKTEST_LINES)
