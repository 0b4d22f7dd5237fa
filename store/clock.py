"""The one place that reads the clock and formats stored times (always UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now() -> datetime:
    """Return the current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def to_utc(value: datetime) -> datetime:
    """Return an aware UTC datetime; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_timestamp(value: datetime) -> str:
    """Format a datetime the way every table stores it: ISO 8601, UTC, `Z`, whole seconds."""
    moment = to_utc(value)  # strftime's %Y drops the zeros of years before 1000 ("1-01-01")
    return f"{moment.year:04d}-{moment.strftime(TIMESTAMP_FORMAT.removeprefix('%Y-'))}"


def parse_timestamp(text: str) -> datetime:
    """Parse a stored timestamp back into an aware UTC datetime."""
    return to_utc(datetime.fromisoformat(text))


def days_since(moment: datetime, today: date) -> int:
    """Whole calendar days (UTC) from `moment` to `today`: 0 on its own day, never negative.

    The one count of "days in stage" (and "days since the last touch") every face shows.
    """
    return max(0, (today - to_utc(moment).date()).days)


def format_date(value: date | None) -> str | None:
    """Format a calendar date as stored (`YYYY-MM-DD`), passing None through."""
    return value.isoformat() if value is not None else None


def parse_date(text: str | None) -> date | None:
    """Parse a stored `YYYY-MM-DD` date, passing None through."""
    return date.fromisoformat(text) if text else None
