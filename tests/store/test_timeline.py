"""An account's timeline: typed entries formatted once, the same for both faces."""

from __future__ import annotations

from datetime import UTC, date, datetime

from store import Store
from store.models import Account, Subscription, SurveyAnswer


def test_billing_and_answers_carry_their_values_and_read_the_same_everywhere(store: Store) -> None:
    store.add_account(Account(id="acme", name="Acme", stage="adoption"))
    store.add(Subscription(id="sub-1", account_id="acme", plan="Pro", mrr_cents=120_000,
                           started_on=date(2026, 1, 5), cancelled_on=date(2026, 2, 10),
                           ended_on=date(2026, 3, 20), status="cancelled"))
    store.add_survey_answers([SurveyAnswer(id="ans-1", account_id="acme", kind="nps", score=9,
                                           answered_at=datetime(2026, 2, 1, tzinfo=UTC))])
    billing = [entry for entry in store.timeline("acme") if entry.kind == "subscription"]
    assert [(e.at.date(), e.title, e.detail, e.mrr_cents, e.all_day, e.label) for e in billing] == [
        (date(2026, 3, 20), "ended Pro", "$1,200/mo, cancelled", 120_000, True, "billing"),
        (date(2026, 2, 10), "cancelled Pro (runs to 2026-03-20)", "$1,200/mo, cancelled",
         120_000, True, "billing"),
        (date(2026, 1, 5), "started Pro", "$1,200/mo, cancelled", 120_000, True, "billing"),
    ]
    (answer,) = [entry for entry in store.timeline("acme") if entry.kind == "survey"]
    assert (answer.title, answer.score, answer.all_day, answer.label) == ("NPS 9", 9, False,
                                                                          "survey")


def test_a_limit_keeps_the_newest_across_every_source(store: Store) -> None:
    store.add_account(Account(id="acme", name="Acme", stage="adoption"))
    store.add(Subscription(id="sub-1", account_id="acme", mrr_cents=5_000,
                           started_on=date(2026, 1, 5)))
    store.add_survey_answers([SurveyAnswer(id="ans-1", account_id="acme", kind="csat", score=4,
                                           answered_at=datetime(2026, 2, 1, tzinfo=UTC))])
    everything = store.timeline("acme")
    assert store.timeline("acme", 2) == everything[:2]
    assert [entry.kind for entry in everything] == ["stage", "survey", "subscription"]
