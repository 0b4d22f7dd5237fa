"""The state one demo run shares: seeded randomness, calendar, ids and the rows collected."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from store.demo.calendar import WORK_DAY, Calendar
from store.demo.columns import COLUMNS, Row
from store.ids import SeededIds
from store.models import Record

SOURCE = "demo"
"""What the `source` columns say, so demo rows are recognisable."""


class BookContext:
    """Everything the parts of one run share; ids and timestamps derive from `as_of` only."""

    def __init__(self, rng: random.Random, as_of: date, days_before: int, days_after: int) -> None:
        self.rng = rng
        self.cal = Calendar(as_of, days_before, days_after)
        self.today = self.cal.today
        self.stamp = f"{as_of.isoformat()}T00:00:00Z"
        """The `updated_at` of every generated row."""
        midnight = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
        self.new_id = SeededIds(rng, int(midnight.timestamp() * 1000) - 86_400_000)
        self.rows: dict[type[Record], list[Row]] = {model: [] for model in COLUMNS}
        """Rows generated since the last `take_rows`, per model in insert order."""

    def work_second(self) -> int:
        """A random second of the working day."""
        return self.rng.randrange(*WORK_DAY)

    def take_rows(self) -> dict[type[Record], list[Row]]:
        """The rows generated since the last call, per model in insert order.

        The `rows` dict itself stays (parts keep a reference to it); its lists are replaced.
        """
        taken = dict(self.rows)
        for model in taken:
            self.rows[model] = []
        return taken


class BookPart:
    """Base of the generators of one kind of rows: shortcuts to the run's shared state."""

    def __init__(self, book: BookContext) -> None:
        self.rng = book.rng
        self.cal = book.cal
        self.today = book.today
        self.stamp = book.stamp
        self.new_id = book.new_id
        self.rows = book.rows
        self.work_second = book.work_second
