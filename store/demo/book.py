"""`generate_demo`: builds the demo book account by account and writes it in chunks."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from store import health_history
from store.clock import utc_now
from store.demo.accounts import Accounts
from store.demo.acquisition import Funnel
from store.demo.activity import Activity
from store.demo.billing import Billing
from store.demo.columns import COLUMNS, Row, check_columns
from store.demo.context import BookContext
from store.demo.journey import OLDEST_LEAD_DAYS, Journey
from store.demo.sales import Sales
from store.demo.stages import StagePlan
from store.demo.surveys import Surveys
from store.demo.usage import Usage
from store.errors import InvalidInput
from store.freshness import MRR_AS_OF
from store.lifecycle import LifecycleModel
from store.models import Account, AcquisitionSpend, Record
from store.rows import TABLES

if TYPE_CHECKING:
    from store.store import Store

CHUNK_ACCOUNTS = 2000
"""Accounts generated before their rows are written (keeps memory flat for any book size)."""
BATCH_ROWS = 5000
"""Rows handed to one `insert_many` call."""


@dataclass(frozen=True)
class DemoSummary:
    """What `generate_demo` wrote: rows per table, and the inputs that reproduce it."""

    seed: int
    as_of: date
    accounts: int
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        """Rows written over all tables."""
        return sum(self.rows.values())


def generate_demo(
    store: Store,
    accounts: int = 300,
    seed: int = 7,
    as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty book with `accounts` synthetic accounts and their whole history.

    One latent "health" value per account drives everything else, so the data correlates the
    way a real book does: healthy accounts use the product more, answer NPS higher, expand
    more and churn less. The same seed, `as_of` and size always give byte-identical tables:
    every id comes from a seeded generator and every timestamp derives from `as_of`, never
    from the clock.
    """
    if accounts < 1:
        raise InvalidInput(f"the demo book needs at least one account (got {accounts})")
    existing = store.count(Account)
    if existing:
        raise InvalidInput(
            f"{store.path} already holds {existing} accounts; the demo needs an empty book"
        )
    as_of = as_of or utc_now().date()
    check_columns()
    builder = BookBuilder(store.lifecycle(), random.Random(seed), as_of,
                          sales_rng=random.Random(f"{seed}:sales"))
    counts = dict.fromkeys([*TABLES.values()], 0)
    with store.transaction():
        for first in range(1, accounts + 1, CHUNK_ACCOUNTS):
            last = min(first + CHUNK_ACCOUNTS, accounts + 1)
            for number in range(first, last):
                builder.add_account(number)
            _flush(store, builder.take_rows(), counts)
            if progress:
                progress(last - 1, accounts)
        _flush(store, {AcquisitionSpend: builder.spend_rows()}, counts)
        store.rebuild_account_months(as_of)
        _record_health_history(store, as_of)
        # the accounts' MRR is as of `as_of`: the next open brings it up to its day
        store.set_setting(MRR_AS_OF, as_of.isoformat(), at=datetime.combine(as_of, time(), UTC))
        store.set_setting(
            "demo",
            {"seed": seed, "accounts": accounts, "as_of": as_of.isoformat()},
            at=datetime.combine(as_of, time(), UTC),
        )
    return DemoSummary(seed=seed, as_of=as_of, accounts=accounts, rows=counts)


HEALTH_HISTORY_WEEKS = 8
"""Weeks of health history the demo records (weekly, up to `as_of`), so Today can show drops."""


def _record_health_history(store: Store, as_of: date) -> None:
    """Score the book weekly over the last weeks, as the app would have recorded it daily."""
    for weeks_back in range(HEALTH_HISTORY_WEEKS, -1, -1):
        day = as_of - timedelta(weeks=weeks_back)
        health_history.record(store.conn, day, store.health_scores(None, day))


def _flush(store: Store, rows: dict[type[Record], list[Row]], counts: dict[str, int]) -> None:
    """Insert each table's rows in dependency order (the dict's order), in batches."""
    for model, table_rows in rows.items():
        for start in range(0, len(table_rows), BATCH_ROWS):
            counts[TABLES[model]] += store.insert_many(
                model, table_rows[start:start + BATCH_ROWS], COLUMNS[model]
            )


class BookBuilder:
    """Generates the book account by account, collecting row tuples per table.

    Every part draws from the one seeded generator, so the order of the calls below (and of
    the parts' construction) is part of what makes the book reproducible.
    """

    def __init__(self, lifecycle: LifecycleModel, rng: random.Random, as_of: date,
                 sales_rng: random.Random | None = None) -> None:
        self._book = book = BookContext(rng, as_of, OLDEST_LEAD_DAYS + 31, 400)
        stages = StagePlan(lifecycle)
        self._accounts = Accounts(book, stages)
        self._journey = Journey(book, stages)
        self._billing = Billing(book)
        surveys = self._surveys = Surveys(book)
        self._activity = Activity(book, stages, surveys)
        self._usage = Usage(book)
        self._funnel = Funnel(book)
        self._sales = Sales(book, sales_rng or random.Random(0))

    def add_account(self, number: int) -> None:
        """Generate account `number` and every row that belongs to it."""
        story = self._accounts.open(number)
        self._journey.plan(story)
        self._billing.subscriptions(story)
        self._activity.activity(story)
        self._surveys.surveys(story)
        self._usage.usage(story)
        self._funnel.acquisition(story)
        self._accounts.close(story)
        self._sales.add(story)

    def take_rows(self) -> dict[type[Record], list[Row]]:
        """The rows generated since the last call, per model in insert order."""
        return self._book.take_rows()

    def spend_rows(self) -> list[Row]:
        """Acquisition spend per channel and month, following the leads generated."""
        return self._funnel.spend_rows()
