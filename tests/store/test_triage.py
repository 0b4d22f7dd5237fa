"""The triage queue's rules on tiny hand-built books, with the clock frozen on 2026-11-01."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from store import InvalidInput, Store
from store.lifecycle import preset
from store.models import Account, Interaction, Subscription, SurveyAnswer, Task, TaskStatus
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


def _no_health(ids: Sequence[str]) -> Mapping[str, float | None]:
    return {}


def _queue(store: Store, rules: TriageRules | None = None,
           health: object = _no_health) -> list[TriageItem]:
    return triage(store.conn, TODAY, rules or TriageRules(), store.lifecycle(), health)  # type: ignore[arg-type]


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
    assert [(item.task_id, item.reason, item.urgency) for item in items] == [
        ("t-over", "follow-up overdue by 3 days: Send the quote t-over", -3),
        ("t-today", "follow-up due today: Send the quote t-today", 0),
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
    assert renewals["edge"].reason == "renews in 30 days (2026-12-01)"
    assert renewals["edge"].urgency == 30 and renewals["edge"].mrr_cents == 50_000
    assert renewals["today"].reason == "renews today (2026-11-01)"


# -- detractors ---------------------------------------------------------------------------

def test_a_detractor_without_a_follow_up_is_listed(store: Store) -> None:
    _account(store, "d")
    _touch(store, "d", 40)
    _nps(store, "d", 3, 30)
    _touch(store, "d", 2, kind="ticket")  # the customer writing in is not a follow-up
    item = _of(_queue(store), "detractor")["d"]
    assert item.reason == "NPS 3 on 2026-10-02, nothing logged since"
    assert item.urgency == -30


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
    assert quiet["long"].reason == "no interaction for 41 days"
    assert quiet["long"].urgency == -11 and quiet["edge"].urgency == 0
    assert quiet["tickets-only"].reason == "no interaction for 50 days"
    assert quiet["never"].reason == "no interaction logged in 400 days as a customer"


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
    assert onboarding["late"].urgency == -15
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

def test_health_below_the_threshold_only_for_paying_customers_past_purchase(store: Store) -> None:
    _account(store, "sick")
    _account(store, "edge")
    _account(store, "nodata")
    _account(store, "bought", stage="purchase")
    _account(store, "prospect", stage="awareness", paid_days_ago=None)
    asked: list[str] = []

    def scores(ids: Sequence[str]) -> Mapping[str, float | None]:
        asked.extend(ids)
        return {"sick": 32.0, "edge": 40.0, "nodata": None, "bought": 1.0, "prospect": 1.0}

    health = _of(_queue(store, health=scores), "health")
    assert sorted(asked) == ["edge", "nodata", "sick"]
    assert set(health) == {"sick"}
    assert health["sick"].reason == "health 32 (at risk)"


def test_health_through_the_store_uses_the_real_scores(store: Store) -> None:
    _account(store, "a")
    items = store.triage(TODAY, ["health"])
    assert all(item.reason_kind == "health" for item in items)


# -- one account, several reasons; order --------------------------------------------------

def test_several_reasons_for_one_account_are_separate_items_most_urgent_first(
        store: Store) -> None:
    _account(store, "x", renewal_on=TODAY + timedelta(days=12))
    _touch(store, "x", 45)
    _nps(store, "x", 4, 40)
    store.add_task(Task(id="t1", account_id="x", title="Call back", due_on=TODAY))
    items = _queue(store)
    assert [(item.reason_kind, item.urgency) for item in items] == [
        ("detractor", -40), ("quiet", -15), ("follow_up", 0), ("renewal", 12),
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
    assert store.triage(TODAY, kinds) == []
    store.set_setting(RULES_SETTING, {"renewal_within_days": 40, "quiet_days": 12})
    assert [item.reason_kind for item in store.triage(TODAY, kinds)] == ["quiet", "renewal"]
    store.set_setting(RULES_SETTING, {"renewal_within_days": 40, "disabled": ["renewal"]})
    assert store.triage(TODAY, kinds) == []
    store.set_setting(RULES_SETTING, {"renewal_within": 40})
    with pytest.raises(InvalidInput, match="renewal_within"):
        store.triage(TODAY)
