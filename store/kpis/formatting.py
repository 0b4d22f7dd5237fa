"""Format KPI values for people: money, percentages, days, scores, and "no data" (CLI and TUI)."""

from __future__ import annotations

from store.kpis.results import KpiValue, Unit
from store.money import format_money

NO_DATA = "no data"


def format_value(value: float | None, unit: Unit) -> str:
    """`$12,345`, `4.2%`, `18 d`, `+21.0`, `1,234`, or "no data"."""
    if value is None:
        return NO_DATA
    if unit == Unit.CENTS:
        return format_money(round(value))
    if unit == Unit.PERCENT:
        return f"{value:.1f}%"
    if unit == Unit.DAYS:
        return f"{value:.0f} d"
    if unit == Unit.SCORE:
        return f"{value:+.1f}"
    if unit == Unit.INDEX:
        return f"{value:.1f}"
    if unit == Unit.RATIO:
        return f"{value:.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def format_change(current: KpiValue, previous: KpiValue) -> str:
    """The change from the previous period: `+1.2 pts` for rates, `+$300` or `+4` otherwise."""
    if current.value is None or previous.value is None:
        return ""
    delta = current.value - previous.value
    if current.unit in (Unit.PERCENT, Unit.SCORE, Unit.INDEX):
        return f"{delta:+.1f} pts"
    if current.unit == Unit.DAYS:
        return f"{delta:+.1f} d"
    if current.unit == Unit.CENTS:
        sign = "+" if delta >= 0 else "-"
        return sign + format_money(round(abs(delta)))
    return f"{delta:+,.1f}".replace(".0", "") if current.unit != Unit.COUNT else f"{delta:+,.0f}"
