"""The account health score on tiny hand-built books; every expected number is worked out by hand.

"Today" is 2026-06-15 throughout, so the windows are:
- usage: May 2026 (the last complete month) vs April 2026;
- NPS: answers from 2025-06-16 on; CSAT: from 2025-12-18 on; tickets: from 2026-03-18 on;
- MRR: month-end of 2026-06 vs 2026-03;
- failed payments recovered "recently": attempted from 2026-03-18 on;
- nothing after the end of 2026-06-15 counts.
Default weights: usage 25, sentiment 20, engagement 20, support 10, renewal 10, MRR 15,
billing 10 (billing has no data on the books without payments, so it weighs nothing there).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine

from store import Store
from store.demo import generate_demo
from store.errors import InvalidInput, NotFound
from store.kpis.health import (
    DEFAULT_WEIGHTS,
    WEIGHTS_SETTING,
    Health,
    account_health,
    band,
    health_many,
    health_scores,
    load_weights,
)
from store.models import (
    Account,
    Interaction,
    Payment,
    Subscription,
    SurveyAnswer,
    UsageRecord,
)

TODAY = date(2026, 6, 15)
_ids = itertools.count(1)


@pytest.fixture
def frozen() -> Iterator[None]:
    """The clock the Store stamps rows with (and derives month-end MRR from) is TODAY, noon."""
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=False):
        yield


def _account(store: Store, key: str, renewal_on: str | None = None) -> None:
    store.add_account(Account(
        id=key, name=key.title(), stage="adoption",
        stage_entered_at=datetime(2025, 1, 1, tzinfo=UTC),
        renewal_on=date.fromisoformat(renewal_on) if renewal_on else None,
    ))


def _usage(store: Store, key: str, used_on: str, events: int) -> None:
    store.add(UsageRecord(id=f"use{next(_ids)}", account_id=key,
                          used_on=date.fromisoformat(used_on), events=events))


def _survey(store: Store, key: str, kind: str, score: int, at: str) -> None:
    store.add_survey_answers([SurveyAnswer(id=f"ans{next(_ids)}", account_id=key, kind=kind,
                                           score=score, answered_at=at)])


def _interaction(store: Store, key: str, kind: str, at: str) -> None:
    store.log_interaction(Interaction(id=f"int{next(_ids)}", account_id=key, kind=kind,
                                      occurred_at=at))


def _subscription(store: Store, key: str, started_on: str, mrr_cents: int,
                  ended_on: str | None = None) -> None:
    store.add(Subscription(
        id=f"sub{next(_ids)}", account_id=key, mrr_cents=mrr_cents,
        started_on=date.fromisoformat(started_on),
        ended_on=date.fromisoformat(ended_on) if ended_on else None,
    ))


def _components(health: Health) -> dict[str, tuple[float | None, str]]:
    return {c.name: (c.score, c.reason) for c in health.components}


@pytest.fixture
def book(store: Store, frozen: None) -> Store:
    """Three accounts: one slipping ("acme"), one with nothing recorded ("blank"), one churned."""
    # acme ---------------------------------------------------------------------------------
    _account(store, "acme", renewal_on="2026-07-06")  # 21 days away
    _usage(store, "acme", "2026-04-01", 500)
    _usage(store, "acme", "2026-05-01", 290)
    _usage(store, "acme", "2026-06-01", 9999)  # the current, incomplete month: not compared
    _survey(store, "acme", "nps", 9, "2026-01-10T09:00:00Z")
    _survey(store, "acme", "nps", 3, "2026-06-02T09:00:00Z")  # the latest NPS
    _survey(store, "acme", "nps", 10, "2026-06-16T00:00:00Z")  # after today: ignored
    for score in (5, 4, 2, 5):
        _survey(store, "acme", "csat", score, "2026-03-01T10:00:00Z")
    _survey(store, "acme", "csat", 1, "2025-12-17T23:59:59Z")  # 180 days ago - 1 s: ignored
    _interaction(store, "acme", "call", "2026-04-02T15:00:00Z")  # the last touch, 74 days ago
    _interaction(store, "acme", "meeting", "2026-06-16T00:00:00Z")  # after today: ignored
    _interaction(store, "acme", "ticket", "2026-03-17T23:59:59Z")  # 90 days ago: outside
    _interaction(store, "acme", "ticket", "2026-05-20T08:00:00Z")
    _interaction(store, "acme", "ticket", "2026-06-10T08:00:00Z")  # tickets are not touches
    _subscription(store, "acme", "2025-01-10", 100_000)
    _subscription(store, "acme", "2026-04-10", 12_000)  # expansion in April
    # blank --------------------------------------------------------------------------------
    _account(store, "blank")
    # gone ---------------------------------------------------------------------------------
    _account(store, "gone", renewal_on="2026-06-01")  # passed 14 days ago
    _usage(store, "gone", "2026-04-01", 100)
    _usage(store, "gone", "2026-05-01", 0)
    _survey(store, "gone", "nps", 10, "2025-06-15T23:59:59Z")  # 365 days + 1 s ago: too old
    _interaction(store, "gone", "meeting", "2026-06-15T23:59:59Z")  # the last second of today
    _subscription(store, "gone", "2025-06-01", 50_000, ended_on="2026-02-01")
    return store


def test_a_slipping_account_scores_each_component_as_worked_out(book: Store) -> None:
    health = account_health(book.conn, "acme", TODAY, load_weights(None))
    parts = _components(health)
    # usage: 290 in May vs 500 in April = -42% → 100 + 2 × (-42) = 16
    assert parts["usage_trend"] == (
        16.0, "usage down 42% (290 events in May 2026 vs 500 in Apr 2026)")
    # sentiment: NPS 3 → 30; CSAT 3 of 4 answers at 4-5 → 75; mean (30 + 75) / 2 = 52.5
    assert parts["sentiment"] == (52.5, ("latest NPS 3 (detractor) on 2026-06-02; "
                                         "CSAT 4-5 in 3 of 4 answers in 180 days (75%)"))
    # engagement: 74 days → 100 × (90 - 74) / (90 - 14) = 1600 / 76 = 21.05 → 21.1
    assert parts["engagement"] == (21.1, "no interaction for 74 days (last on 2026-04-02)")
    # support: 2 tickets in 90 days → 100 - 2 × 15 = 70
    assert parts["support_load"] == (70.0, "2 tickets in 90 days")
    # renewal: 21 days away (within 30) → 50
    assert parts["renewal"] == (50.0, "renews in 21 days (2026-07-06)")
    # MRR: $1,000 at the end of March, $1,120 at the end of June: +12% → 100
    assert parts["mrr_trend"] == (100.0, "MRR up 12% over 3 months ($1,000 → $1,120)")
    # overall: (25×16 + 20×52.5 + 20×21.1 + 10×70 + 10×50 + 15×100) / 100
    #        = (400 + 1050 + 422 + 700 + 500 + 1500) / 100 = 45.72 → 45.7
    assert health.score == 45.7
    assert health.band == "watch"
    assert [c.weight for c in health.components] == list(DEFAULT_WEIGHTS.values())


def test_an_account_with_nothing_recorded_has_no_score(book: Store) -> None:
    health = account_health(book.conn, "blank", TODAY, load_weights(None))
    assert health.score is None
    assert health.band == "no data"
    assert all(component.score is None for component in health.components)
    assert _components(health)["usage_trend"][1] == "no usage recorded in Apr 2026 or May 2026"
    assert _components(health)["renewal"][1] == "no renewal date"
    assert _components(health)["mrr_trend"][1] == "never paying"
    assert health_scores(book.conn, TODAY, load_weights(None))["blank"] is None


def test_missing_components_are_left_out_and_the_weights_renormalised(book: Store) -> None:
    health = account_health(book.conn, "gone", TODAY, load_weights(None))
    parts = _components(health)
    # usage: 0 in May vs 100 in April = -100% → 0
    assert parts["usage_trend"] == (0.0, "usage down 100% (0 events in May 2026 vs 100 in Apr 2026)")
    # sentiment: the only NPS is 365 days and a second old → no data
    assert parts["sentiment"][0] is None
    # engagement: a meeting in the last second of today → 0 days → 100
    assert parts["engagement"] == (100.0, "last interaction today (2026-06-15)")
    assert parts["support_load"] == (100.0, "no tickets in 90 days")
    # renewal date 14 days in the past → 25
    assert parts["renewal"] == (25.0, "renewal date passed 14 days ago (2026-06-01)")
    # MRR: paid through January, nothing now → churned → 0
    assert parts["mrr_trend"] == (0.0, ("churned: no MRR at the end of 2026-06 "
                                        "(last paid in 2026-01)"))
    # overall without sentiment: (25×0 + 20×100 + 10×100 + 10×25 + 15×0) / (25+20+10+10+15)
    #                          = 3250 / 80 = 40.625 → 40.6
    assert health.score == 40.6
    assert health.band == "watch"


def test_weights_from_the_settings_change_the_score(book: Store) -> None:
    book.set_setting(WEIGHTS_SETTING, {"usage_trend": 0, "renewal": 30})
    weights = load_weights(book.get_setting(WEIGHTS_SETTING))
    assert weights == {**DEFAULT_WEIGHTS, "usage_trend": 0.0, "renewal": 30.0}
    health = account_health(book.conn, "acme", TODAY, weights)
    # (0×16 + 20×52.5 + 20×21.1 + 10×70 + 30×50 + 15×100) / (0+20+20+10+30+15)
    # = (1050 + 422 + 700 + 1500 + 1500) / 95 = 5172 / 95 = 54.44 → 54.4
    assert health.score == 54.4
    assert health_scores(book.conn, TODAY, weights)["acme"] == 54.4
    # a component weighted 0 is still shown, with its score and reason
    usage = health.components[0]
    assert (usage.name, usage.weight, usage.score) == ("usage_trend", 0.0, 16.0)


def test_the_bulk_scores_match_the_single_ones_and_filter_by_id(book: Store) -> None:
    weights = load_weights(None)
    assert health_scores(book.conn, TODAY, weights) == {"acme": 45.7, "blank": None,
                                                        "gone": 40.6}
    assert health_scores(book.conn, TODAY, weights, ["gone", "nobody"]) == {"gone": 40.6}
    many = health_many(book.conn, TODAY, weights, ["acme"])
    assert many == {"acme": account_health(book.conn, "acme", TODAY, weights)}


def test_a_new_customer_and_new_usage_score_full_marks(store: Store, frozen: None) -> None:
    _account(store, "fresh", renewal_on="2027-06-15")
    _usage(store, "fresh", "2026-05-12", 40)  # daily rows count in their calendar month
    _usage(store, "fresh", "2026-05-13", 60)
    _subscription(store, "fresh", "2026-05-01", 30_000)
    # engagement: 15 days → 100 × 75 / 76 = 98.68 → 98.7; tickets: 0 → 100
    _interaction(store, "fresh", "email", "2026-05-31T10:00:00Z")
    parts = _components(account_health(store.conn, "fresh", TODAY, load_weights(None)))
    assert parts["usage_trend"] == (100.0, "usage started: 100 events in May 2026, none in Apr 2026")
    assert parts["mrr_trend"] == (100.0, "MRR $300, none 3 months ago (new or reactivated)")
    assert parts["engagement"] == (98.7, "no interaction for 15 days (last on 2026-05-31)")
    assert parts["renewal"] == (100.0, "renews in 365 days (2027-06-15)")
    # only tickets, no touches: engagement has no data, support load does
    _account(store, "noisy")
    for day in range(1, 8):
        _interaction(store, "noisy", "ticket", f"2026-06-0{day}T08:00:00Z")
    noisy = account_health(store.conn, "noisy", TODAY, load_weights(None))
    assert _components(noisy)["engagement"][0] is None
    # 7 tickets → 100 - 105 → floor 0; the only component with data → score 0
    assert _components(noisy)["support_load"] == (0.0, "7 tickets in 90 days")
    assert (noisy.score, noisy.band) == (0.0, "at risk")


def test_an_unknown_account_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="nobody"):
        account_health(store.conn, "nobody", TODAY, load_weights(None))


def test_bands() -> None:
    assert [band(s) for s in (None, 0.0, 39.9, 40.0, 69.9, 70.0, 100.0)] == [
        "no data", "at risk", "at risk", "watch", "watch", "healthy", "healthy"]


@pytest.mark.parametrize(("raw", "key"), [
    ({"usage": 10}, "'usage'"),
    ({"renewal": -1}, "health.weights.renewal"),
    ({"sentiment": "high"}, "health.weights.sentiment"),
    ({"sentiment": True}, "health.weights.sentiment"),
    (dict.fromkeys(DEFAULT_WEIGHTS, 0), "at least one weight"),
    ([1, 2, 3], "health.weights"),
])
def test_bad_weights_are_refused_naming_the_key(raw: object, key: str) -> None:
    with pytest.raises(InvalidInput, match=key.replace(".", r"\.")):
        load_weights(raw)


def test_weights_default_and_merge() -> None:
    assert load_weights(None) == DEFAULT_WEIGHTS
    assert load_weights({"mrr_trend": 2.5})["mrr_trend"] == 2.5
    assert load_weights({"mrr_trend": 2.5})["sentiment"] == 20


def test_bulk_and_single_scores_agree_on_a_demo_book(store: Store) -> None:
    as_of = date(2026, 11, 1)
    generate_demo(store, accounts=200, seed=3, as_of=as_of)
    weights = load_weights(None)
    scores = health_scores(store.conn, as_of, weights)
    assert len(scores) == 200
    for account_id, score in scores.items():
        assert account_health(store.conn, account_id, as_of, weights).score == score, account_id
    bands = {band(score) for score in scores.values()}
    assert {"healthy", "watch", "at risk"} <= bands  # the demo book spreads across the bands


def _pay(store: Store, key: str, amount: int, status: str, at: str) -> None:
    store.add(Payment(id=f"pay{next(_ids)}", account_id=key, amount_cents=amount, status=status,
                      attempted_at=at))


@pytest.fixture
def billing_book(store: Store, frozen: None) -> Store:
    """Five accounts that differ only in their payments, each also with a renewal in a year."""
    for key in ("unpaid", "recovered", "longago", "clean", "nopay"):
        _account(store, key, renewal_on="2027-06-15")  # renewal: 365 days away → 100
    # unpaid: paid in March, then failed twice; nothing collected after the newest failure
    _pay(store, "unpaid", 20_000, "paid", "2026-03-01T09:00:00Z")
    _pay(store, "unpaid", 20_000, "failed", "2026-05-01T09:00:00Z")
    _pay(store, "unpaid", 24_900, "failed", "2026-06-01T09:00:00Z")
    # recovered: failed on 2026-05-10, collected on 2026-05-12
    _pay(store, "recovered", 9_900, "failed", "2026-05-10T09:00:00Z")
    _pay(store, "recovered", 9_900, "paid", "2026-05-12T09:00:00Z")
    # longago: failed and recovered on 2026-03-17, 91 days ago: outside the 90 days
    _pay(store, "longago", 9_900, "failed", "2026-03-17T09:00:00Z")
    _pay(store, "longago", 9_900, "paid", "2026-03-17T10:00:00Z")
    # clean: paid, and one refunded payment (a refund is not a failure)
    _pay(store, "clean", 9_900, "paid", "2026-05-01T09:00:00Z")
    _pay(store, "clean", 9_900, "refunded", "2026-06-01T09:00:00Z")
    # nopay: only a payment dated after today
    _pay(store, "nopay", 9_900, "failed", "2026-06-16T00:00:00Z")
    return store


def test_billing_scores_unrecovered_recovered_and_clean_payments(billing_book: Store) -> None:
    weights = load_weights(None)
    many = health_many(billing_book.conn, TODAY, weights)
    billing = {key: _components(health)["billing"] for key, health in many.items()}
    # the newest of the two unrecovered failures is named, as on the Today list
    assert billing["unpaid"] == (0.0, "payment of $249 failed on 2026-06-01, not recovered")
    assert billing["recovered"] == (70.0, "1 failed payment in 90 days, since recovered")
    assert billing["longago"] == (100.0, "payments in good standing")
    assert billing["clean"] == (100.0, "payments in good standing")
    assert billing["nopay"] == (None, "no payments recorded")
    # the components with data are renewal (100, weight 10) and billing (weight 10):
    # unpaid (10×100 + 10×0) / 20 = 50; recovered (10×100 + 10×70) / 20 = 85; clean 100;
    # nopay has renewal alone → 100
    scores = health_scores(billing_book.conn, TODAY, weights)
    assert scores == {"unpaid": 50.0, "recovered": 85.0, "longago": 100.0, "clean": 100.0,
                      "nopay": 100.0}
    assert (many["unpaid"].score, many["unpaid"].band) == (50.0, "watch")
    assert account_health(billing_book.conn, "unpaid", TODAY, weights) == many["unpaid"]


def test_billing_agrees_with_the_accounts_unrecovered_failed_payment(billing_book: Store) -> None:
    # the one definition of "failed and not recovered": the store's account read says the same
    assert billing_book.unrecovered_failed_payment("recovered") is None
    unpaid = billing_book.unrecovered_failed_payment("unpaid")
    assert unpaid is not None and unpaid.attempted_at.date() == date(2026, 6, 1)


def test_billing_weight_comes_from_the_settings(billing_book: Store) -> None:
    weights = load_weights({"billing": 30})
    # unpaid: (10×100 + 30×0) / 40 = 25 → at risk
    assert health_scores(billing_book.conn, TODAY, weights)["unpaid"] == 25.0
    assert DEFAULT_WEIGHTS["billing"] == 10.0
