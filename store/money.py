"""Money is stored as integer cents; these turn cents into text a person reads."""

from __future__ import annotations


def format_money(cents: int, *, symbol: str = "$") -> str:
    """Whole currency units with thousands separators: 1234567 -> '$12,346'."""
    units = (abs(cents) + 50) // 100
    sign = "-" if cents < 0 and units else ""  # never "-$0"
    return f"{sign}{symbol}{units:,}"


def format_money_short(cents: int, *, symbol: str = "$") -> str:
    """A compact amount for narrow places: '$950', '$12.3k', '$4.1M'."""
    units = abs(cents) / 100
    sign = "-" if cents < 0 else ""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if units >= limit:
            return f"{sign}{symbol}{units / limit:.1f}{suffix}"
    return f"{sign}{symbol}{units:.0f}"
