"""Dates for the demo book: ISO text for days and timestamps around `as_of`, anniversaries."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

WORK_DAY = (8 * 3600, 18 * 3600)
"""Seconds of the (UTC) day between which things happen."""


class Calendar:
    """ISO text for every day around `as_of` and every second of a day, formatted once."""

    def __init__(self, as_of: date, days_before: int, days_after: int) -> None:
        self.today = as_of.toordinal()
        self.first = self.today - days_before
        start = as_of - timedelta(days=days_before)
        self._days = [
            (start + timedelta(days=offset)).isoformat()
            for offset in range(days_before + days_after + 1)
        ]
        self._times = [
            f"T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
            for second in range(86400)
        ]
        months = []
        month = date(start.year, start.month, 1)
        while month <= as_of:
            months.append(month.toordinal())
            month = (month + timedelta(days=32)).replace(day=1)
        months.append(month.toordinal())
        self.month_starts = months
        """First day of each month from `days_before` ago up to the month after `as_of`."""

    def day(self, ordinal: int) -> str:
        """`YYYY-MM-DD` for a date ordinal."""
        return self._days[ordinal - self.first]

    def stamp(self, ordinal: int, second: int) -> str:
        """A stored timestamp for a date ordinal and a second of that day."""
        return self._days[ordinal - self.first] + self._times[second]

    def month_index(self, ordinal: int) -> int:
        """Index into `month_starts` of the month holding `ordinal`."""
        return bisect_right(self.month_starts, ordinal) - 1


def next_anniversary(start: int, today: int) -> int:
    """The first anniversary of `start` on or after `today` (Feb 29 falls on Feb 28)."""
    began = date.fromordinal(start)
    year = date.fromordinal(today).year
    while True:
        try:
            anniversary = began.replace(year=year)
        except ValueError:  # February 29 in a common year
            anniversary = began.replace(year=year, day=28)
        if anniversary.toordinal() >= today:
            return anniversary.toordinal()
        year += 1
