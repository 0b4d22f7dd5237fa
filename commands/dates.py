"""Read the dates and times people type on the command line (day words shared with the TUI)."""

from __future__ import annotations

from datetime import date, datetime

import typer

from store.clock import to_utc, utc_now
from store.day_words import parse_day as read_day
from store.errors import InvalidInput


def parse_day(text: str, option: str) -> date:
    """A calendar day: YYYY-MM-DD, today, tomorrow, yesterday, +Nd or +Nw (the TUI's words)."""
    try:
        return read_day(text, utc_now().astimezone().date())
    except InvalidInput as error:
        raise typer.BadParameter(str(error), param_hint=option) from None


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
