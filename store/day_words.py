"""Read the calendar days people type: 2026-12-01, today, tomorrow, yesterday, +3d, +2w.

Pure and framework-free, so the CLI (`--follow-up`, `--due`) and the TUI forms read a day
the same way; `today` is passed in, which keeps the clock (and the user's time zone) with
the caller.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from store.errors import InvalidInput

DAY_WORDS_HINT = "use YYYY-MM-DD, today, tomorrow, yesterday, +3d or +2w"
"""What to tell someone whose day could not be read."""

_NAMED = {"today": 0, "tomorrow": 1, "yesterday": -1}
_RELATIVE = re.compile(r"\+([0-9]{1,4})([dw])")
# Only the extended form: date.fromisoformat alone also takes 20261201 and 2026-W49-2.
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str, today: date) -> date:
    """The day `text` names, counting relative words from `today`; InvalidInput otherwise."""
    value = text.strip().lower()
    if not value:
        raise InvalidInput(f"no date given: {DAY_WORDS_HINT}")
    if value in _NAMED:
        return today + timedelta(days=_NAMED[value])
    relative = _RELATIVE.fullmatch(value)
    if relative:
        days = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
        try:
            return today + timedelta(days=days)
        except OverflowError:
            raise InvalidInput(f"{text.strip()!r} is too far ahead") from None
    if _ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{text.strip()!r} is not a day of the calendar") from None
    raise InvalidInput(f"{text.strip()!r} is not a date: {DAY_WORDS_HINT}")
