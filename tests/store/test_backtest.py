"""The backtest on a hand-made book: outcomes, hits, AUC, and that it writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from store import Store
from store.backtest import auc, backtest
from store.models import Account, Interaction, Subscription, SurveyAnswer

TODAY = date(2026, 11, 1)
REPLAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 11, 1, 12, tzinfo=UTC), tick=False):
        yield


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


@pytest.fixture
def book(store: Store) -> Store:
    """Three customers on 2026-06-01: one churns a month later after a detractor answer the
    day before the replay, one contracts, one stays; a prospect; one signed after."""
    for key, ends in [("churns", REPLAY + timedelta(days=30)), ("stays", None)]:
        store.add_account(Account(id=key, name=key.title(), stage="adoption",
                                  stage_entered_at=_at(date(2025, 1, 1)),
                                  created_at=_at(date(2025, 1, 1))))
        store.add(Subscription(id=f"s-{key}", account_id=key, mrr_cents=100_000,
                               started_on=date(2025, 1, 1), ended_on=ends))
        store.add(Interaction(id=f"i-{key}", account_id=key, kind="call",
                              occurred_at=_at(REPLAY - timedelta(days=3))))
    store.add_account(Account(id="shrinks", name="Shrinks", stage="adoption",
                              stage_entered_at=_at(date(2025, 1, 1)),
                              created_at=_at(date(2025, 1, 1))))
    store.add(Subscription(id="s-big", account_id="shrinks", mrr_cents=100_000,
                           started_on=date(2025, 1, 1), ended_on=REPLAY + timedelta(days=60)))
    store.add(Subscription(id="s-small", account_id="shrinks", mrr_cents=20_000,
                           started_on=REPLAY + timedelta(days=60)))
    store.add(Interaction(id="i-shrinks", account_id="shrinks", kind="call",
                          occurred_at=_at(REPLAY - timedelta(days=3))))
    store.add_survey_answers([SurveyAnswer(id="nps", account_id="churns", kind="nps", score=1,
                                           answered_at=_at(REPLAY - timedelta(days=1)))])
    store.move_stage("churns", "churned", at=_at(REPLAY + timedelta(days=30)))
    store.add_account(Account(id="later", name="Later", stage="adoption",
                              stage_entered_at=_at(date(2026, 9, 1)),
                              created_at=_at(date(2026, 9, 1))))
    store.add(Subscription(id="s-later", account_id="later", mrr_cents=100_000,
                           started_on=date(2026, 9, 1)))
    return store


def test_a_replay_sees_the_book_as_it_stood_and_scores_what_followed(book: Store) -> None:
    before = {table: book.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("accounts", "health_history", "settings")}
    result = backtest(book, REPLAY, REPLAY, horizon=90)
    [replay] = result.replays
    assert (replay.paying, replay.lost) == (3, 2)  # "later" did not pay yet
    assert replay.in_top10 == 1  # the detractor, churned since: not yet churned on the day
    assert result.precision_top10 == 1.0  # the detractor is the only row that day
    assert result.recall_top10 == 0.5 and result.base_rate == pytest.approx(2 / 3)
    after = {table: book.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
             for table in ("accounts", "health_history", "settings")}
    assert after == before
    assert book.get_account("churns").stage == "churned"


def test_bad_ranges_are_refused(book: Store) -> None:
    from store import InvalidInput

    with pytest.raises(InvalidInput, match="after"):
        backtest(book, TODAY, REPLAY)


def test_auc_counts_ties_half() -> None:
    assert auc([(1, False), (2, True)]) == 1.0
    assert auc([(2, False), (1, True)]) == 0.0
    assert auc([(1, False), (1, True)]) == 0.5
    assert auc([(1, True)]) is None
    assert auc([(0, False), (1, True), (2, False), (3, True)]) == 0.75
