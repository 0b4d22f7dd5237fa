"""The board's MRR follows the calendar: subscriptions that start or end while nobody writes
are counted the next time the board or a command showing MRR reads the book."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3
import time_machine

from store import Store
from store.models import Account, Subscription


def _book(path: Path) -> None:
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False):
        with Store.open(path) as store:
            store.add_account(Account(id="a", name="Acme", stage="adoption"))
            store.add(Subscription(id="s1", account_id="a", mrr_cents=10_000,
                                   started_on=date(2026, 1, 1), ended_on=date(2026, 3, 20)))
            store.add(Subscription(id="s2", account_id="a", mrr_cents=3_000,
                                   started_on=date(2026, 4, 1)))
            assert store.get_account("a").mrr_cents == 10_000


def test_opening_the_book_later_brings_the_mrr_to_that_day(book_path: Path) -> None:
    _book(book_path)
    with time_machine.travel(datetime(2026, 3, 25, 9, tzinfo=UTC), tick=False):
        with Store.open(book_path) as store:  # s1 ended on the 20th
            assert store.catch_up_mrr() == 1
            assert store.get_account("a").mrr_cents == 0
            assert store.catch_up_mrr() == 0  # once a day
    with time_machine.travel(datetime(2026, 4, 2, 9, tzinfo=UTC), tick=False):
        with Store.open(book_path) as store:  # s2 started on the 1st
            store.catch_up_mrr()
            assert store.get_account("a").mrr_cents == 3_000


def test_a_locked_book_opens_at_once_and_catches_up_next_time(book_path: Path) -> None:
    _book(book_path)
    writer = sqlite3.connect(str(book_path), timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # an import holding the write lock
    try:
        with time_machine.travel(datetime(2026, 3, 25, 9, tzinfo=UTC), tick=False):
            started = time.monotonic()
            with Store.open(book_path) as store:
                assert store.catch_up_mrr() == 0
                assert store.get_account("a").mrr_cents == 10_000  # not yet
            # a behaviour, not a benchmark: it did not wait out the 90 s busy timeout
            assert time.monotonic() - started < 5
    finally:
        writer.rollback()
        writer.close()
    with time_machine.travel(datetime(2026, 3, 25, 10, tzinfo=UTC), tick=False):
        with Store.open(book_path) as store:
            store.catch_up_mrr()
            assert store.get_account("a").mrr_cents == 0

