"""The day words shared by the CLI and the TUI forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.day_words import parse_day
from store.errors import InvalidInput

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("  2027-01-31 ", date(2027, 1, 31)),
        ("today", TODAY),
        ("Tomorrow", date(2026, 11, 25)),
        ("YESTERDAY", date(2026, 11, 23)),
        ("+0d", TODAY),
        ("+3d", date(2026, 11, 27)),
        ("+2w", date(2026, 12, 8)),
        ("+10D", date(2026, 12, 4)),
        ("+52w", date(2027, 11, 23)),
    ],
)
def test_the_words_people_type(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "no date given"),
        ("   ", "no date given"),
        ("next week", "'next week' is not a date: use YYYY-MM-DD"),
        ("+3", "is not a date"),
        ("3d", "is not a date"),
        ("-3d", "is not a date"),
        ("+3m", "is not a date"),
        ("+12345d", "is not a date"),
        ("2026-13-01", "'2026-13-01' is not a day of the calendar"),
        ("2026-02-30", "is not a day of the calendar"),
        ("20261201", "is not a date"),  # fromisoformat alone would take these
        ("2026-W49-2", "is not a date"),
        ("01/12/2026", "is not a date"),
        ("+٣d", "is not a date"),  # Arabic-Indic digit: \d would have matched it
        ("[/oops]", "'[/oops]' is not a date"),
    ],
)
def test_anything_else_is_refused_with_a_hint(text: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_day(text, TODAY)
    assert says in str(caught.value)


def test_far_ahead_from_the_end_of_the_calendar_is_refused_not_crashing() -> None:
    with pytest.raises(InvalidInput, match="too far ahead"):
        parse_day("+9999w", date(9999, 1, 1))


@given(st.dates(), st.integers(min_value=0, max_value=9999))
def test_relative_days_count_from_today(today: date, days: int) -> None:
    try:
        expected = today + timedelta(days=days)
    except OverflowError:
        return
    assert parse_day(f"+{days}d", today) == expected


@given(st.dates())
def test_an_iso_day_reads_back_as_itself(day: date) -> None:
    assert parse_day(day.isoformat(), TODAY) == day
