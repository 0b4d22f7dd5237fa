"""Reporting periods: a month, quarter, year or custom range, and the months inside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from store.errors import InvalidInput

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?[qQ]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")

REPORTING_YEARS = range(1900, 3000)
"""Years a period or a reporting day may fall in: wide enough for any book, and far enough
from the calendar's ends (years 1 and 9999) that the months around a period exist."""


def check_reporting_day(day: date, what: str) -> date:
    """Return `day`, or raise InvalidInput naming `what` when it is outside REPORTING_YEARS."""
    if day.year not in REPORTING_YEARS:
        raise InvalidInput(f"{what}: {day.isoformat()} is out of range; use a day from "
                           f"{REPORTING_YEARS.start} to {REPORTING_YEARS.stop - 1}")
    return day


def month_key(day: date) -> str:
    """The month a day falls in, as stored in derived tables: 'YYYY-MM'."""
    return f"{day.year:04d}-{day.month:02d}"


def first_of_month(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def add_months(day: date, count: int) -> date:
    """The first day of the month `count` months after `day`'s month."""
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_of_month(month: str) -> date:
    """The last day of a 'YYYY-MM' month: the day whose MRR is that month's MRR."""
    year, number = (int(part) for part in month.split("-"))
    return add_months(date(year, number, 1), 1) - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open range of days [start, end) made of whole months, with a label."""

    start: date
    end: date
    label: str
    grain: str
    """month, quarter, year or custom."""

    @property
    def months(self) -> list[str]:
        """The 'YYYY-MM' months the period covers, in order."""
        months, cursor = [], first_of_month(self.start)
        while cursor < self.end:
            months.append(month_key(cursor))
            cursor = add_months(cursor, 1)
        return months

    @property
    def month_count(self) -> int:
        """How many months the period covers."""
        return len(self.months)

    @property
    def opening_month(self) -> str:
        """The month before the period: its end-of-month MRR is the period's opening MRR."""
        return month_key(add_months(self.start, -1))

    @property
    def last_day(self) -> date:
        """The period's last day (inclusive)."""
        return self.end - timedelta(days=1)

    def day_bounds(self) -> dict[str, str]:
        """`start` and `end` for a TEXT date column: `:start <= column < :end`."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def instant_bounds(self) -> dict[str, str]:
        """`start` and `end` for a TEXT UTC timestamp column: from the first second of the first
        day up to, not including, midnight after the last day."""
        return {"start": f"{self.start.isoformat()}T00:00:00Z",
                "end": f"{self.end.isoformat()}T00:00:00Z"}

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        count = self.month_count
        start = add_months(self.start, -count)
        return Period(start, self.start, f"previous {self.label}", self.grain)


def to_date(period: Period, today: date) -> Period:
    """The months of `period` up to the current one: a quarter or year still running is
    computed over the months that have begun (later ones would count subscriptions' scheduled
    ends as churn that has not happened), labelled `… to date`. Other periods are unchanged."""
    month_end = add_months(first_of_month(today), 1)
    if period.end <= month_end or period.start >= month_end:
        return period
    return Period(period.start, month_end, f"{period.label} to date", period.grain)


def month(year: int, number: int) -> Period:
    """One calendar month."""
    start = date(year, number, 1)
    return Period(start, add_months(start, 1), f"{year:04d}-{number:02d}", "month")


def parse_period(text: str, today: date) -> Period:
    """Read a period (see `_read_period`), refused when it falls outside REPORTING_YEARS."""
    try:
        period = _read_period(text, today)
    except (ValueError, OverflowError):  # a month at the calendar's end has no month after it
        period = None
    if period is None or not {period.start.year, period.last_day.year} <= set(REPORTING_YEARS):
        raise InvalidInput(f"period {text!r} is out of range; use years from "
                           f"{REPORTING_YEARS.start} to {REPORTING_YEARS.stop - 1}")
    return period


def _read_period(text: str, today: date) -> Period:
    """Read `2026-10`, `2026-Q3`, `2026`, `2026-01-01..2026-03-31`, `this-month`, `last-month`.

    Custom ranges must start on a first and end on a last day of a month: every KPI is computed
    from month-end MRR, so a period is always whole months.
    """
    value = text.strip()
    lowered = value.lower()
    if lowered in {"this-month", "month"}:
        return month(today.year, today.month)
    if lowered == "last-month":
        previous = add_months(today, -1)
        return month(previous.year, previous.month)
    if match := _MONTH.match(value):
        year, number = int(match.group(1)), int(match.group(2))
        if not 1 <= number <= 12:
            raise InvalidInput(f"period {text!r}: month {number} does not exist")
        return month(year, number)
    if match := _QUARTER.match(value):
        year, quarter = int(match.group(1)), int(match.group(2))
        start = date(year, 3 * quarter - 2, 1)
        return Period(start, add_months(start, 3), f"{year}-Q{quarter}", "quarter")
    if match := _YEAR.match(value):
        year = int(match.group(1))
        return Period(date(year, 1, 1), date(year + 1, 1, 1), str(year), "year")
    if match := _RANGE.match(value):
        try:
            start, last = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        except ValueError as error:
            raise InvalidInput(f"period {text!r}: {error}") from None
        end = last + timedelta(days=1)
        if start.day != 1 or end.day != 1 or end <= start:
            raise InvalidInput(
                f"period {text!r}: a range runs from the first day of a month to the last day "
                "of a month, e.g. 2026-01-01..2026-03-31"
            )
        return Period(start, end, value, "custom")
    raise InvalidInput(
        f"period {text!r}: use YYYY-MM, YYYY-Qn, YYYY, YYYY-MM-DD..YYYY-MM-DD, "
        "this-month or last-month"
    )


def trailing_months(end_month: Period, count: int) -> list[Period]:
    """`count` one-month periods ending with `end_month`'s last month, oldest first."""
    last = first_of_month(end_month.last_day)
    starts = [add_months(last, -back) for back in range(count - 1, -1, -1)]
    return [month(day.year, day.month) for day in starts]
