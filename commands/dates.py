"""Read the dates and times people type: ISO dates, `today`, `tomorrow`, `+3d`, `+2w`."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import typer

from store.clock import to_utc, utc_now

_RELATIVE = re.compile(r"^\+(\d{1,4})([dw])$")


def parse_day(text: str, option: str) -> date:
    """A calendar day: YYYY-MM-DD, today, tomorrow, yesterday, +Nd or +Nw."""
    value = text.strip().lower()
    today = utc_now().astimezone().date()
    named = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if value in named:
        return today + timedelta(days=named[value])
    relative = _RELATIVE.match(value)
    if relative:
        count = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
        return today + timedelta(days=count)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (use YYYY-MM-DD, today, tomorrow, +3d or +2w)",
            param_hint=option,
        ) from None


def parse_moment(text: str, option: str) -> datetime:
    """A point in time; without an offset it is local time. Returned in UTC."""
    value = text.strip()
    if value.lower() == "now":
        return utc_now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a time (use '2026-11-20 14:30', an ISO time, or now)",
            param_hint=option,
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the user's local time
    return to_utc(moment)
