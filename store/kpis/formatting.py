"""Format KPI values for people: money, percentages, days, scores, and "no data" (CLI and TUI)."""

from __future__ import annotations

from store.kpis.results import KpiValue, Unit
from store.money import format_money

NO_DATA = "no data"


def shown(value: float, places: int) -> float:
    """`value` rounded as it is printed, with -0 made 0: a change too small to show has no sign."""
    return round(value, places) + 0.0


def format_value(value: float | None, unit: Unit) -> str:
    """`$12,345`, `4.2%`, `18 d`, `+21.0`, `1,234`, or "no data"."""
    if value is None:
        return NO_DATA
    if unit == Unit.CENTS:
        return format_money(round(value))
    if unit == Unit.PERCENT:
        return f"{shown(value, 1):.1f}%"
    if unit == Unit.DAYS:
        return f"{shown(value, 0):.0f} d"
    if unit == Unit.SCORE:
        return f"{shown(value, 1):+.1f}"
    if unit == Unit.INDEX:
        return f"{shown(value, 1):.1f}"
    if unit == Unit.RATIO:
        return f"{shown(value, 2):.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{shown(value, 1):,.1f}"


def format_change(current: KpiValue, previous: KpiValue) -> str:
    """The change from the previous period: `+1.2 pts` for rates, `+$300` or `+4` otherwise;
    a change that rounds to nothing reads `+0…`, never `-0`."""
    if current.value is None or previous.value is None:
        return ""
    delta = current.value - previous.value
    if current.unit in (Unit.PERCENT, Unit.SCORE, Unit.INDEX):
        return f"{shown(delta, 1):+.1f} pts"
    if current.unit == Unit.DAYS:
        return f"{shown(delta, 1):+.1f} d"
    if current.unit == Unit.CENTS:
        amount = format_money(abs(round(delta)))
        return ("-" if delta < 0 and amount != format_money(0) else "+") + amount
    if current.unit == Unit.COUNT:
        return f"{shown(delta, 0):+,.0f}"
    text = f"{shown(delta, 1):+,.1f}"
    return text.removesuffix(".0")
