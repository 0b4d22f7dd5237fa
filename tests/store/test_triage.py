"""The triage queue's rules on tiny hand-built books, with the clock frozen on 2026-11-01."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from store import InvalidInput, Store
from store.lifecycle import preset
from store.models import Account, Interaction, Subscription, SurveyAnswer, Task, TaskStatus
from store.settings import TriageSettings
from store.triage import (
    RULES_SETTING,
    TriageItem,
    TriageRules,
    load_rules,
    onboarding_stages,
    triage,
)

TODAY = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _ago(days: int, hour: int = 10) -> datetime:
    day = TODAY - timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _account(store: Store, key: str, stage: str = "adoption", *, paid_days_ago: int | None = 400,
             entered_days_ago: int = 400, **fields: object) -> None:
    """An account, paying $500/mo since `paid_days_ago` days ago (None: never paid); it has
    no interactions until a test adds some."""
    store.add_account(Account(id=key, name=f"{key} Inc", stage=stage,
                              stage_entered_at=_ago(entered_days_ago), **fields))
    if paid_days_ago is not None:
        store.add(Subscription(id=f"sub-{key}", account_id=key, mrr_cents=50_000,
                               started_on=TODAY - timedelta(days=paid_days_ago)))


def _touch(store: Store, key: str, days_ago: int, kind: str = "call", n: int = 0) -> None:
    store.add(Interaction(id=f"i-{key}-{days_ago}-{kind}-{n}", account_id=key, kind=kind,
                          occurred_at=_ago(days_ago)))


def _nps(store: Store, key: str, score: int, days_ago: int, hour: int = 9) -> None:
    store.add_survey_answers([SurveyAnswer(id=f"v-{key}-{days_ago}-{score}", account_id=key,
                                           kind="nps", score=score,
                                           answered_at=_ago(days_ago, hour))])


def _queue(store: Store, rules: TriageRules | None = None, **settings: object) -> list[TriageItem]:
    return triage(store.conn, TODAY, TriageSettings(rules=rules or TriageRules(), **settings),
                  store.lifecycle())


def book_triage(store: Store, today: date, kinds: Sequence[str]) -> list[TriageItem]:
    return triage(store.conn, today, store.settings().triage, store.lifecycle(), kinds=kinds)


def _of(items: list[TriageItem], kind: str) -> dict[str, TriageItem]:
    return {item.account_id: item for item in items if item.reason_kind == kind}


# -- follow-ups ---------------------------------------------------------------------------

def test_open_tasks_due_today_or_earlier_are_follow_ups(store: Store) -> None:
    _account(store, "a", stage="awareness", paid_days_ago=None)
    for task_id, due, status in [("t-over", 3, TaskStatus.OPEN), ("t-today", 0, TaskStatus.OPEN),
                                 ("t-later", -1, TaskStatus.OPEN), ("t-done", 5, TaskStatus.DONE),
                                 ("t-undated", None, TaskStatus.OPEN)]:
        store.add_task(Task(id=task_id, account_id="a", title=f"Send the quote {task_id}\nmore",
                            status=status,
                            due_on=None if due is None else TODAY - timedelta(days=due)))
    items = [item for item in _queue(store) if item.reason_kind == "follow_up"]
    assert [(item.task_id, item.reason, item.days, item.urgency) for item in items] == [
        ("t-over", "follow-up overdue by 3 days: Send the quote t-over", -3, 0.5 + 0.5 * 3 / 14),
        ("t-today", "follow-up due today: Send the quote t-today", 0, 0.5),
    ]


# -- renewals -----------------------------------------------------------------------------

def test_renewals_within_the_window_edges_included(store: Store) -> None:
    for key, days in [("today", 0), ("edge", 30), ("past-edge", 31), ("passed", -1)]:
        _account(store, key, renewal_on=TODAY + timedelta(days=days))
        _touch(store, key, 1)
    _account(store, "prospect", stage="consideration", paid_days_ago=None,
             renewal_on=TODAY + timedelta(days=5))
    renewals = _of(_queue(store), "renewal")
    assert set(renewals) == {"today", "edge"}
    assert renewals["edge"].reason == "renews in 30 days (2026-12-01), ARR $6.0k at stake"
    assert renewals["edge"].days == 30 and renewals["edge"].mrr_cents == 50_000
    assert renewals["edge"].urgency == pytest.approx(1 / 31)
    assert renewals["today"].reason == "renews today (2026-11-01), ARR $6.0k at stake"
    assert renewals["today"].urgency == 1


# -- detractors ---------------------------------------------------------------------------

def test_a_detractor_without_a_follow_up_is_listed(store: Store) -> None:
    _account(store, "d")
    _touch(store, "d", 40)
    _nps(store, "d", 3, 30)
    _touch(store, "d", 2, kind="ticket")  # the customer writing in is not a follow-up
    item = _of(_queue(store), "detractor")["d"]
    assert item.reason == "NPS 3 on 2026-10-02, nothing logged since"
    assert item.days == -30
    assert item.urgency == pytest.approx((1 - 30 / 90) * (1 - 3 / 12))


def test_a_detractor_with_a_later_interaction_is_not_listed(store: Store) -> None:
    _account(store, "d")
    _nps(store, "d", 2, 30)
    _touch(store, "d", 29, kind="email")
    assert "d" not in _of(_queue(store), "detractor")


def test_an_interaction_the_same_day_but_before_the_answer_does_not_count(store: Store) -> None:
    _account(store, "d")
    _touch(store, "d", 10)  # 10:00
    _nps(store, "d", 6, 10, hour=11)
    assert "d" in _of(_queue(store), "detractor")


def test_only_the_latest_answer_in_the_window_counts(store: Store) -> None:
    _account(store, "recovered")
    _nps(store, "recovered", 2, 60)
    _nps(store, "recovered", 9, 20)
    _account(store, "passive")
    _nps(store, "passive", 7, 5)
    _account(store, "edge")
    _nps(store, "edge", 0, 89)  # the 90th day of the window
    _account(store, "too-old")
    _nps(store, "too-old", 0, 90)
    _account(store, "churned", stage="churned", paid_days_ago=None)
    _nps(store, "churned", 1, 5)
    assert set(_of(_queue(store), "detractor")) == {"edge"}


# -- quiet --------------------------------------------------------------------------------

def test_paying_customers_quiet_for_n_days_or_more(store: Store) -> None:
    for key, days in [("edge", 30), ("long", 41), ("recent", 29)]:
        _account(store, key)
        _touch(store, key, days)
    _account(store, "tickets-only")
    _touch(store, "tickets-only", 50)
    _touch(store, "tickets-only", 1, kind="ticket")
    _account(store, "never")  # paying for 400 days, never touched
    _account(store, "new", paid_days_ago=10)  # a new customer, not quiet yet
    _account(store, "prospect", stage="consideration", paid_days_ago=None)
    quiet = _of(_queue(store), "quiet")
    assert set(quiet) == {"edge", "long", "tickets-only", "never"}
    assert quiet["long"].reason == "no interaction for 41 days; cadence 30 days"
    assert quiet["long"].days == -11 and quiet["edge"].days == 0
    assert quiet["edge"].urgency == 0.5 and quiet["long"].urgency == 0.5 + 0.5 * 11 / 30
    assert quiet["tickets-only"].reason == "no interaction for 50 days; cadence 30 days"
    assert quiet["never"].reason == \
        "no interaction logged in 400 days as a customer; cadence 30 days"


# -- onboarding ---------------------------------------------------------------------------

def test_onboarding_past_the_time_to_first_value_target(store: Store) -> None:
    for key, days in [("late", 45), ("edge", 30), ("past-edge", 31)]:
        _account(store, key, stage="activation", paid_days_ago=days)
        _touch(store, key, 1)
    _account(store, "valued", stage="activation", paid_days_ago=90,
             first_value_on=TODAY - timedelta(days=20))
    _account(store, "unpaid", stage="activation", paid_days_ago=None, entered_days_ago=40)
    _account(store, "bought", stage="purchase", paid_days_ago=50)
    _account(store, "adopted", stage="adoption", paid_days_ago=90)
    _touch(store, "adopted", 1)
    onboarding = _of(_queue(store), "onboarding")
    assert set(onboarding) == {"late", "past-edge", "unpaid", "bought"}
    assert onboarding["late"].reason == "no first value 45 days after purchase (target 30)"
    assert onboarding["late"].days == -15 and onboarding["late"].urgency == 0.75
    assert onboarding["unpaid"].reason == \
        "no first value 40 days after entering activation (target 30)"


@pytest.mark.parametrize(("name", "stages"), [
    ("classic", ["purchase", "activation"]),
    ("nine", ["purchase", "activation"]),
    ("six", ["onboarding"]),
    ("loyalty", ["purchase", "onboarding"]),
])
def test_the_onboarding_stages_of_each_preset(name: str, stages: list[str]) -> None:
    assert onboarding_stages(preset(name)) == stages


# -- health -------------------------------------------------------------------------------

def _history(store: Store, key: str, *scores: tuple[int, float | None]) -> None:
    with store.transaction() as conn:
        conn.executemany("INSERT INTO health_history VALUES (?, ?, ?)",
                         [(key, (TODAY - timedelta(days=ago)).isoformat(), score)
                          for ago, score in scores])


def test_health_dropped_or_below_the_threshold_only_for_paying_customers_past_purchase(
        store: Store) -> None:
    _account(store, "fell")
    _history(store, "fell", (40, 70.0), (20, 80.0), (3, 60.0))  # 80 in the window → 60
    _account(store, "fell-before")
    _history(store, "fell-before", (40, 90.0), (1, 74.0))  # 90 in effect at the window's start
    _account(store, "old-fall")
    _history(store, "old-fall", (60, 95.0), (35, 50.0))
    _account(store, "small-fall")
    _history(store, "small-fall", (10, 70.0), (1, 56.0))
    _account(store, "sick")
    _history(store, "sick", (100, 32.0))
    _account(store, "edge")
    _history(store, "edge", (5, 40.0))
    _account(store, "future")
    _history(store, "future", (5, 90.0), (-1, 10.0))
    _account(store, "bought", stage="purchase")
    _history(store, "bought", (40, 90.0), (1, 10.0))
    health = _of(_queue(store), "health")
    assert set(health) == {"fell", "fell-before", "sick"}
    assert health["fell"].reason == "health dropped 20 points in 30 days (80 → 60)"
    assert health["fell"].urgency == pytest.approx(20 / 30)
    assert health["fell-before"].reason == "health dropped 16 points in 30 days (90 → 74)"
    assert health["sick"].reason == "health 32 (below 40)"
    assert health["sick"].urgency == pytest.approx(0.25 + 0.25 * 8 / 40)


def test_recorded_health_gives_a_drop_reason(store: Store) -> None:
    """Two days of recorded scores: the drop is read from the book's own history."""
    _account(store, "a", renewal_on=TODAY + timedelta(days=200))
    _touch(store, "a", 1)
    _nps(store, "a", 10, 2)
    store.record_health(TODAY - timedelta(days=10))
    _nps(store, "a", 0, 1)  # the latest answer: a detractor
    store.record_health(TODAY)
    assert store.health_trend("a", 11, TODAY)[0] > store.health_trend("a", 11, TODAY)[-1]
    reasons = _of(book_triage(store, TODAY, ["health"]), "health")
    assert reasons["a"].reason.startswith("health dropped")


# -- one account, several reasons; order --------------------------------------------------

def test_several_reasons_for_one_account_are_separate_items_most_urgent_first(
        store: Store) -> None:
    _account(store, "x", renewal_on=TODAY + timedelta(days=12))
    _touch(store, "x", 45)
    _nps(store, "x", 4, 40)
    store.add_task(Task(id="t1", account_id="x", title="Call back", due_on=TODAY))
    items = _queue(store)
    assert sorted((item.reason_kind, item.days) for item in items) == [
        ("detractor", -40), ("follow_up", 0), ("quiet", -15), ("renewal", 12),
    ]
    assert {item.account_id for item in items} == {"x"}


# -- settings -----------------------------------------------------------------------------

def test_defaults_and_overrides() -> None:
    assert load_rules(None) == TriageRules()
    rules = load_rules({"quiet_days": 10, "health_below": 55.5, "disabled": ["health"]})
    assert rules.quiet_days == 10 and rules.health_below == 55.5
    assert rules.disabled == frozenset({"health"}) and rules.renewal_within_days == 30


@pytest.mark.parametrize(("raw", "names"), [
    ([1, 2], "triage.rules"),
    ({"quiet": 3}, "'quiet'"),
    ({"quiet_days": "30"}, "triage.rules.quiet_days"),
    ({"quiet_days": True}, "triage.rules.quiet_days"),
    ({"quiet_days": 0}, "triage.rules.quiet_days"),
    ({"renewal_within_days": -1}, "triage.rules.renewal_within_days"),
    ({"ttfv_target_days": 1.5}, "triage.rules.ttfv_target_days"),
    ({"health_below": 101}, "triage.rules.health_below"),
    ({"health_drop": float("nan")}, "triage.rules.health_drop"),
    ({"disabled": ["nope"]}, "'nope'"),
    ({"disabled": "health"}, "triage.rules.disabled"),
])
def test_bad_settings_are_refused_naming_the_key(raw: object, names: str) -> None:
    with pytest.raises(InvalidInput, match=names.replace(".", r"\.")):
        load_rules(raw)


def test_the_setting_changes_the_thresholds(store: Store) -> None:
    _account(store, "a", renewal_on=TODAY + timedelta(days=40))
    _touch(store, "a", 12)
    kinds = ["renewal", "quiet"]
    assert book_triage(store, TODAY, kinds) == []
    store.set_setting(RULES_SETTING, {"renewal_within_days": 40, "quiet_days": 12})
    assert sorted(item.reason_kind for item in book_triage(store, TODAY, kinds)) == \
        ["quiet", "renewal"]
    store.set_setting(RULES_SETTING, {"renewal_within_days": 40, "disabled": ["renewal"]})
    assert book_triage(store, TODAY, kinds) == []
    store.set_setting(RULES_SETTING, {"renewal_within": 40})
    with pytest.raises(InvalidInput, match="renewal_within"):
        store.today(TODAY)


# -- billing ------------------------------------------------------------------------------

def test_a_failed_payment_not_recovered_is_a_billing_reason(store: Store) -> None:
    from store.models import Payment

    def pay(key: str, account: str, status: str, days_ago: int) -> None:
        store.add(Payment(id=key, account_id=account, amount_cents=50_000, status=status,
                          attempted_at=_ago(days_ago)))

    _account(store, "late")
    _account(store, "fixed")
    _account(store, "gone", stage="churned")
    pay("p1", "late", "paid", 40)
    pay("p2", "late", "failed", 7)  # nothing since: listed, 7 days past
    pay("p3", "fixed", "failed", 9)
    pay("p4", "fixed", "paid", 5)  # the retry went through: not listed
    pay("p5", "gone", "failed", 3)  # churned: not listed
    billing = _of(_queue(store), "billing")
    assert list(billing) == ["late"]
    assert billing["late"].reason == "payment of $500 failed on 2026-10-25, not recovered"
    assert billing["late"].days == -7
    assert billing["late"].urgency == pytest.approx(0.75)  # halfway from 0.5 to 1 at 14 days
    off = _queue(store, TriageRules(disabled=frozenset({"billing"})))
    assert _of(off, "billing") == {}
