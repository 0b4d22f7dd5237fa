"""The models reject bad values with a message that names the field and the reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from store import InvalidInput
from store.models import Account, Contact, Interaction, Subscription, SurveyAnswer
from store.validation import build

WHEN = "2026-03-01T10:00:00Z"


@pytest.mark.parametrize(
    ("kind", "score"), [("nps", -1), ("nps", 11), ("csat", 0), ("csat", 6), ("cli", 0), ("cli", 11)]
)
def test_scores_outside_their_survey_range_are_refused(kind: str, score: int) -> None:
    data = {"id": "s1", "account_id": "a1", "kind": kind, "score": score, "answered_at": WHEN}
    with pytest.raises(InvalidInput, match=rf"score {score} is outside"):
        build(SurveyAnswer, data, "answers.csv line 3")


@pytest.mark.parametrize(("kind", "score"), [("nps", 0), ("nps", 10), ("csat", 1), ("cli", 10)])
def test_scores_at_the_edges_of_their_range_are_accepted(kind: str, score: int) -> None:
    answer = build(SurveyAnswer, {"id": "s", "account_id": "a", "kind": kind, "score": score,
                                  "answered_at": WHEN})
    assert answer.score == score


def test_the_message_names_where_which_field_and_the_value() -> None:
    with pytest.raises(InvalidInput) as caught:
        build(Interaction, {"id": "i", "account_id": "a", "kind": "carrier pigeon",
                            "occurred_at": WHEN}, "calls.csv line 7")
    message = str(caught.value)
    assert message.startswith("calls.csv line 7: field 'kind':")
    assert "carrier pigeon" in message


def test_dates_are_parsed_and_impossible_ones_refused() -> None:
    sub = build(Subscription, {"id": "s", "account_id": "a", "started_on": "2026-02-28"})
    assert sub.started_on == date(2026, 2, 28)
    with pytest.raises(InvalidInput, match="field 'started_on'"):
        build(Subscription, {"id": "s", "account_id": "a", "started_on": "2026-02-30"})


def test_a_subscription_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidInput, match="before started_on"):
        build(Subscription, {"id": "s", "account_id": "a", "started_on": "2026-05-01",
                             "ended_on": "2026-04-30"})


def test_negative_mrr_is_refused() -> None:
    with pytest.raises(InvalidInput, match="field 'mrr_cents'"):
        build(Subscription, {"id": "s", "account_id": "a", "started_on": "2026-05-01",
                             "mrr_cents": -100})


def test_times_are_normalised_to_utc() -> None:
    paris = timezone(timedelta(hours=1))
    note = Interaction(id="i", account_id="a", kind="note",
                       occurred_at=datetime(2026, 1, 5, 9, 30, tzinfo=paris))
    assert note.occurred_at == datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
    assert Interaction(id="i", account_id="a", kind="call",
                       occurred_at="2026-01-05T08:30:00.000Z").occurred_at.tzinfo == UTC


def test_blank_names_and_keys_are_refused() -> None:
    with pytest.raises(InvalidInput, match="field 'name'"):
        build(Account, {"id": "a1", "name": "   ", "stage": "awareness"})
    with pytest.raises(InvalidInput, match="field 'id'"):
        build(Account, {"id": "", "name": "Acme", "stage": "awareness"})


def test_unknown_fields_are_refused_rather_than_dropped() -> None:
    with pytest.raises(InvalidInput, match="field 'revenue'"):
        build(Account, {"id": "a1", "name": "Acme", "stage": "awareness", "revenue": 3})


def test_emails_must_look_like_emails() -> None:
    with pytest.raises(InvalidInput, match="field 'email'"):
        build(Contact, {"id": "c", "account_id": "a", "email": "not an email"})
