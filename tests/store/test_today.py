"""Today's ranking on hand-made books: the documented formula worked by hand, scope, cadences."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from store import Store
from store.models import Account, Interaction, Subscription, SurveyAnswer, Task
from store.playbooks import playbooks_path
from store.today import Scope, my_scope, stake_of

TODAY = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_playbooks(no_playbooks: None) -> None:
    """Today's own rules and ranking are under test here: no playbook opens tasks."""



@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _no_playbooks() -> None:
    """These books test the ranking of the reasons they set up by hand: a detractor answer
    must not also open the shipped detractor playbook's tasks (tests/store/test_playbooks.py
    covers those, and Today showing them)."""
    path = playbooks_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("shipped = false\n")


def _ago(days: int, hour: int = 10) -> datetime:
    day = TODAY - timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _customer(store: Store, key: str, *, mrr: int = 50_000, touched: int | None = 1,
              stage: str = "adoption", paid: int = 400, **fields: object) -> None:
    store.add_account(Account(id=key, name=key.title(), stage=stage, stage_entered_at=_ago(paid),
                              **fields))
    if mrr:
        store.add(Subscription(id=f"sub-{key}", account_id=key, mrr_cents=mrr,
                               started_on=TODAY - timedelta(days=paid)))
    if touched is not None:
        store.add(Interaction(id=f"call-{key}", account_id=key, kind="call",
                              occurred_at=_ago(touched)))


@pytest.fixture
def book(store: Store) -> Store:
    """The five accounts of the issue, each with one reason, all paying $500 a month."""
    _customer(store, "renewing", renewal_on=TODAY + timedelta(days=1), owner="Maya Chen")
    _customer(store, "quiet", touched=45, owner="Lee")
    _customer(store, "detractor", touched=2, owner="Maya Chen")
    store.add_survey_answers([SurveyAnswer(id="nps", account_id="detractor", kind="nps",
                                           score=3, answered_at=_ago(1))])
    _customer(store, "overdue", owner="Lee")
    store.add_task(Task(id="task", account_id="overdue", title="Send the quote",
                        due_on=TODAY - timedelta(days=5)))
    _customer(store, "onboarding", stage="activation", paid=45)
    return store


# The formula of store.today / docs/TODAY.md, worked by hand for $500 MRR:
STAKE = math.log10(1 + 500) / math.log10(1 + 10_000)  # 0.67495
BY_HAND = {
    "renewing": 100 * (1 - 1 / 31) * (1 + STAKE),             # 162.1
    "detractor": 80 * (1 - 1 / 90) * (1 - 3 / 12) * (1 + STAKE),  # 99.4
    "onboarding": 50 * (0.5 + 0.5 * 15 / 30) * (1 + STAKE),    # 62.8
    "overdue": 40 * (0.5 + 0.5 * 5 / 14) * (1 + STAKE),        # 45.5
    "quiet": 25 * (0.5 + 0.5 * 15 / 30) * (1 + STAKE),         # 31.4
}


def test_rank_order_and_scores_match_the_formula_worked_by_hand(book: Store) -> None:
    rows = book.today(TODAY).rows
    assert [row.account_id for row in rows] == list(BY_HAND)
    assert [row.rank for row in rows] == [1, 2, 3, 4, 5]
    for row in rows:
        assert row.score == round(BY_HAND[row.account_id], 1)
    assert [row.score for row in rows] == [162.1, 99.4, 62.8, 45.5, 31.4]


def test_each_account_appears_once_with_every_reason_strongest_first(book: Store) -> None:
    store = book
    store.add_task(Task(id="t2", account_id="quiet", title="Call back", due_on=TODAY))
    store.add_task(Task(id="t3", account_id="quiet", title="Older", due_on=TODAY - timedelta(3)))
    rows = store.today(TODAY).rows
    assert len({row.account_id for row in rows}) == len(rows)
    quiet = next(row for row in rows if row.account_id == "quiet")
    assert [item.reason_kind for item in quiet.reasons] == ["follow_up", "follow_up", "quiet"]
    assert quiet.reasons[0].task_id == "t3"  # the more overdue task leads
    # a kind counts once, with its most urgent item
    assert [term.kind for term in quiet.terms] == ["follow_up", "quiet"]
    expected = (40 * (0.5 + 0.5 * 3 / 14) + 25 * 0.75) * (1 + STAKE)
    assert quiet.score == round(expected, 1)
    assert quiet.explain()[-1] == f"score: {40 * (0.5 + 1.5 / 14) + 18.75:.1f} x 1.67 = " \
                                  f"{quiet.score:.1f}"


def test_a_renewal_tomorrow_on_a_paying_account_outranks_any_only_quiet_account(
        store: Store) -> None:
    _customer(store, "small-renewal", mrr=100, renewal_on=TODAY + timedelta(days=1))
    _customer(store, "huge-quiet", mrr=10_000_000_00, touched=2000)
    rows = store.today(TODAY).rows
    assert [row.account_id for row in rows] == ["small-renewal", "huge-quiet"]


def test_stake_grows_on_a_log_scale_up_to_full() -> None:
    assert stake_of(0, 10_000) == 0
    assert stake_of(100_00, 10_000) == pytest.approx(math.log10(101) / math.log10(10_001))
    assert stake_of(10_000_00, 10_000) == pytest.approx(1)
    assert stake_of(99_000_00, 10_000) == 1


def test_scope_my_book_another_owner_and_the_whole_book(book: Store) -> None:
    mine = book.today(TODAY, my_scope("  maya   chen ")).rows
    assert [row.account_id for row in mine] == ["renewing", "detractor"]
    assert [row.rank for row in mine] == [1, 2]
    assert [row.account_id for row in book.today(TODAY, Scope("Lee")).rows] == \
        ["overdue", "quiet"]
    everyone = book.today(TODAY, my_scope(None))
    assert everyone.scope.label == "whole book"
    assert "onboarding" in [row.account_id for row in everyone.rows]  # no owner: whole book only
    assert my_scope("Maya Chen").label == "my book (Maya Chen)"


def test_a_snoozed_account_is_back_on_its_day(book: Store) -> None:
    book.snooze_account("renewing", TODAY + timedelta(days=3), author="Maya Chen")
    queue = book.today(TODAY)
    assert "renewing" not in [row.account_id for row in queue.rows] and queue.snoozed == 1
    later = book.today(TODAY + timedelta(days=3))
    assert "renewing" not in [row.account_id for row in later.rows]  # renewal passed by then
    book.snooze_account("quiet", TODAY + timedelta(days=1))
    assert "quiet" in [row.account_id for row in book.today(TODAY + timedelta(days=1)).rows]


def test_a_logged_interaction_resets_the_cadence(book: Store) -> None:
    assert "quiet" in [row.account_id for row in book.today(TODAY).rows]
    book.log_interaction(Interaction(id="fresh", account_id="quiet", kind="email",
                                     occurred_at=_ago(0)))
    assert "quiet" not in [row.account_id for row in book.today(TODAY).rows]


def test_cadences_by_segment_tag_and_stage_shortest_wins(store: Store) -> None:
    _customer(store, "ent", touched=20, segment="Enterprise")
    _customer(store, "smb", touched=60, segment="SMB")
    _customer(store, "vip", touched=10, segment="SMB", tags=["strategic"])
    _customer(store, "other", touched=31)
    store.change_setting("triage.cadences", {"segment:enterprise": 14, "segment:SMB": 90,
                                             "tag:strategic": 7})
    rows = {row.account_id: row for row in store.today(TODAY).rows}
    assert set(rows) == {"ent", "vip", "other"}
    assert rows["ent"].top.reason == \
        "no interaction for 20 days; cadence 14 days (segment:enterprise)"
    assert rows["vip"].top.reason == "no interaction for 10 days; cadence 7 days (tag:strategic)"
    assert rows["other"].top.reason == "no interaction for 31 days; cadence 30 days"


def test_the_weights_live_in_the_book_setting(book: Store) -> None:
    book.change_setting("triage.weights", {"renewal": 10})
    book.change_setting("triage.stake", 0)
    rows = book.today(TODAY).rows
    assert rows[-1].account_id == "renewing"
    assert rows[-1].score == round(10 * 30 / 31, 1)
