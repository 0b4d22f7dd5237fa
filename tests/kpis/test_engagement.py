"""Engagement KPIs on small hand-built books; every expected value is worked out by hand."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Store
from store.kpis.engagement import (
    cli,
    csat,
    csat_value,
    engagement_kpis,
    feature_usage,
    nps,
    nps_value,
    referrals,
    stickiness,
    time_to_first_value,
)
from store.kpis.filters import BookFilter
from store.kpis.periods import month
from store.kpis.results import Unit
from store.models import Account, Acquisition, Subscription, SurveyAnswer, UsageRecord

MARCH = month(2026, 3)
WHOLE = BookFilter()
_ids = itertools.count(1)

FIRST_SECOND = "2026-03-01T00:00:00Z"
LAST_SECOND = "2026-03-31T23:59:59Z"
JUST_BEFORE = "2026-02-28T23:59:59Z"
JUST_AFTER = "2026-04-01T00:00:00Z"
MID = "2026-03-15T12:00:00Z"


def _account(store: Store, key: str, **fields: object) -> None:
    store.add_account(Account(id=key, name=key.title(), stage=str(fields.pop("stage", "adoption")),
                              stage_entered_at=datetime(2025, 6, 1, tzinfo=UTC), **fields))


def _answers(store: Store, account_id: str, kind: str, *scored: tuple[int, str],
             question: str | None = None) -> None:
    store.add_survey_answers([
        SurveyAnswer(id=f"ans{next(_ids)}", account_id=account_id, kind=kind, score=score,
                     question=question, answered_at=at)
        for score, at in scored
    ])


def _usage(store: Store, account_id: str, used_on: str, **fields: object) -> None:
    store.add(UsageRecord(id=f"use{next(_ids)}", account_id=account_id,
                          used_on=date.fromisoformat(used_on), **fields))


def _acquisition(store: Store, account_id: str, **fields: object) -> None:
    store.add(Acquisition(id=f"acq{next(_ids)}", account_id=account_id, **fields))


def _subscription(store: Store, account_id: str, started_on: str, mrr_cents: int,
                  status: str = "active") -> None:
    store.add(Subscription(id=f"sub{next(_ids)}", account_id=account_id, status=status,
                           mrr_cents=mrr_cents, started_on=date.fromisoformat(started_on)))


# -- NPS ----------------------------------------------------------------------------------

def test_nps_counts_the_answers_inside_the_period_boundaries(store: Store) -> None:
    _account(store, "a")
    _answers(store, "a", "nps",
             (10, FIRST_SECOND), (9, MID), (9, MID),  # 3 promoters
             (7, MID),  # 1 passive
             (6, MID), (3, MID), (5, MID), (0, LAST_SECOND),  # 4 detractors
             (10, JUST_BEFORE), (10, JUST_AFTER))  # outside March
    _answers(store, "a", "csat", (1, MID))  # another survey: not NPS

    value = nps(store.conn, MARCH, WHOLE)

    # 3 promoters, 1 passive, 4 detractors of 8: 37.5 - 50.0 = -12.5
    assert value.value == pytest.approx(-12.5)
    assert value.unit is Unit.SCORE
    assert value.inputs == {"promoters": 3, "passives": 1, "detractors": 4, "answers": 8}


def test_nps_with_no_answers_in_the_period_is_no_data_not_zero(store: Store) -> None:
    assert nps(store.conn, MARCH, WHOLE).value is None  # empty book
    _account(store, "a")
    _answers(store, "a", "nps", (10, JUST_BEFORE), (0, JUST_AFTER))
    value = nps(store.conn, MARCH, WHOLE)
    assert value.value is None and not value.has_data
    assert value.inputs["answers"] == 0


def test_a_balanced_nps_is_zero_and_has_data(store: Store) -> None:
    _account(store, "a")
    _answers(store, "a", "nps", (9, MID), (2, MID))
    # 1 promoter, 1 detractor of 2: 50 - 50 = 0, a real zero
    assert nps(store.conn, MARCH, WHOLE).value == 0.0


def test_nps_filters_restrict_the_answers(store: Store) -> None:
    _account(store, "smb", segment="SMB", owner="Dana")
    _account(store, "ent", segment="Enterprise", owner="Lee", tags=["at-risk"])
    _answers(store, "smb", "nps", (9, MID), (10, MID), (4, MID))
    _answers(store, "ent", "nps", (8, MID), (2, MID))

    # whole book: 2 promoters, 1 passive, 2 detractors of 5: 40 - 40 = 0
    assert nps(store.conn, MARCH, WHOLE).value == pytest.approx(0.0)
    # SMB: 2 promoters, 1 detractor of 3: 66.67 - 33.33 = 33.33 (segment matches any case)
    assert nps(store.conn, MARCH, BookFilter(segment="smb")).value == pytest.approx(100 / 3)
    # Lee's / at-risk: 0 promoters, 1 passive, 1 detractor of 2: 0 - 50 = -50
    assert nps(store.conn, MARCH, BookFilter(owner="Lee")).value == pytest.approx(-50.0)
    assert nps(store.conn, MARCH, BookFilter(tag="at-risk")).value == pytest.approx(-50.0)
    assert nps(store.conn, MARCH, BookFilter(tag="nobody")).value is None


# -- CSAT ---------------------------------------------------------------------------------

def test_csat_is_the_share_of_four_and_five_answers(store: Store) -> None:
    _account(store, "a", owner="Dana")
    _account(store, "b", owner="Lee")
    _answers(store, "a", "csat", (5, FIRST_SECOND), (4, MID), (3, MID))
    _answers(store, "b", "csat", (1, MID), (4, LAST_SECOND), (1, JUST_AFTER), (5, JUST_BEFORE))
    _answers(store, "a", "nps", (1, MID))

    # in March: 5, 4, 3, 1, 4 -> 3 satisfied of 5 = 60 %
    whole = csat(store.conn, MARCH, WHOLE)
    assert whole.value == pytest.approx(60.0)
    assert whole.unit is Unit.PERCENT
    assert whole.inputs == {"satisfied": 3, "answers": 5}
    # Dana's: 5, 4, 3 -> 2 of 3 = 66.67 %; Lee's: 1, 4 -> 1 of 2 = 50 %
    assert csat(store.conn, MARCH, BookFilter(owner="Dana")).value == pytest.approx(200 / 3)
    assert csat(store.conn, MARCH, BookFilter(owner="Lee")).value == pytest.approx(50.0)


def test_csat_with_only_dissatisfied_answers_is_zero_and_without_answers_no_data(
    store: Store,
) -> None:
    _account(store, "a")
    assert csat(store.conn, MARCH, WHOLE).value is None
    _answers(store, "a", "csat", (2, MID), (3, MID))
    assert csat(store.conn, MARCH, WHOLE).value == 0.0  # 0 of 2


# -- CLI ----------------------------------------------------------------------------------

def test_cli_is_the_mean_of_the_question_means_times_ten(store: Store) -> None:
    _account(store, "a", segment="SMB")
    _account(store, "b", segment="Enterprise")
    _answers(store, "a", "cli", (8, FIRST_SECOND), question="quality")
    _answers(store, "b", "cli", (9, LAST_SECOND), question="Quality")  # same item, any case
    _answers(store, "a", "cli", (7, MID), question="service")
    _answers(store, "a", "cli", (10, MID), question="experience")
    _answers(store, "b", "cli", (6, MID), question="experience")
    _answers(store, "b", "cli", (9, MID), question="recommend")
    _answers(store, "a", "cli", (1, JUST_AFTER), (1, JUST_BEFORE), question="quality")
    _answers(store, "a", "cli", (1, MID))  # no question: left out

    value = cli(store.conn, MARCH, WHOLE)

    # quality (8+9)/2 = 8.5, service 7, experience (10+6)/2 = 8, recommend 9
    # mean of means (8.5+7+8+9)/4 = 8.125 -> x10 = 81.25
    assert value.value == pytest.approx(81.25)
    assert value.inputs["question_means"] == pytest.approx(
        {"quality": 8.5, "service": 7.0, "experience": 8.0, "recommend": 9.0})
    assert value.inputs["answers"] == 6
    assert value.inputs["unlabelled_answers"] == 1
    # SMB (a): quality 8, service 7, experience 10 -> 25/3 = 8.333 -> 83.33
    assert cli(store.conn, MARCH, BookFilter(segment="SMB")).value == pytest.approx(250 / 3)


def test_cli_uses_only_the_questions_answered_and_needs_one(store: Store) -> None:
    _account(store, "a")
    assert cli(store.conn, MARCH, WHOLE).value is None
    _answers(store, "a", "cli", (4, MID))  # unlabelled only: still no data
    assert cli(store.conn, MARCH, WHOLE).value is None
    _answers(store, "a", "cli", (6, MID), question="quality")
    _answers(store, "a", "cli", (9, MID), question="service")
    # (6 + 9) / 2 = 7.5 -> 75
    assert cli(store.conn, MARCH, WHOLE).value == pytest.approx(75.0)


# -- time to first value ------------------------------------------------------------------

def test_time_to_first_value_median_and_p90_in_days(store: Store) -> None:
    # a: paid 2026-02-20 (its trial from 02-01 does not count), value 03-02: 8 + 2 = 10 days
    _account(store, "a", first_value_on=date(2026, 3, 2))
    _subscription(store, "a", "2026-02-01", 0, status="trial")
    _subscription(store, "a", "2026-02-20", 5_000)
    # b: no subscription, converted 03-01, value 03-31: 30 days
    _account(store, "b", first_value_on=date(2026, 3, 31))
    _acquisition(store, "b", converted_on=date(2026, 3, 1))
    # c: earliest paid start 2025-12-01, value 2026-03-01: 31 + 31 + 28 = 90 days
    _account(store, "c", first_value_on=date(2026, 3, 1))
    _subscription(store, "c", "2026-01-01", 2_000)
    _subscription(store, "c", "2025-12-01", 1_000)
    # d: neither a paid subscription nor a conversion: skipped
    _account(store, "d", first_value_on=date(2026, 3, 15))
    # g: value 03-10 during the trial, paid from 03-20: -10 days -> 0
    _account(store, "g", first_value_on=date(2026, 3, 10))
    _subscription(store, "g", "2026-03-20", 3_000)
    # h: a free plan (0 MRR) is not a purchase; converted 02-01, value 03-03: 28 + 2 = 30 days
    _account(store, "h", first_value_on=date(2026, 3, 3))
    _subscription(store, "h", "2026-01-01", 0)
    _acquisition(store, "h", converted_on=date(2026, 2, 1))
    # outside March: first value on 04-01 and on 02-28
    _account(store, "e", first_value_on=date(2026, 4, 1))
    _subscription(store, "e", "2026-03-01", 1_000)
    _account(store, "f", first_value_on=date(2026, 2, 28))
    _subscription(store, "f", "2026-02-01", 1_000)

    median_days, p90_days = time_to_first_value(store.conn, MARCH, WHOLE)

    # sorted days [0, 10, 30, 30, 90]: median 30; p90 nearest rank ceil(5 x 0.9) = 5th = 90
    assert median_days.name == "ttfv_median" and median_days.unit is Unit.DAYS
    assert median_days.value == 30.0
    assert p90_days.value == 90.0
    assert median_days.inputs == {
        "accounts_reaching_value": 6, "measured": 5, "skipped_without_purchase_date": 1,
        "purchase_from_converted_on": 2, "value_before_purchase": 1,
    }


def test_time_to_first_value_filters_and_no_data(store: Store) -> None:
    _account(store, "a", segment="SMB", first_value_on=date(2026, 3, 11))
    _subscription(store, "a", "2026-03-01", 1_000)  # 10 days
    _account(store, "b", segment="Enterprise", first_value_on=date(2026, 3, 21))
    _subscription(store, "b", "2026-03-01", 1_000)  # 20 days
    _account(store, "d", segment="Retail", first_value_on=date(2026, 3, 5))  # no purchase

    # whole book [10, 20]: median 15, p90 ceil(2 x 0.9) = 2nd = 20
    median_days, p90_days = time_to_first_value(store.conn, MARCH, WHOLE)
    assert (median_days.value, p90_days.value) == (15.0, 20.0)
    smb = time_to_first_value(store.conn, MARCH, BookFilter(segment="SMB"))
    assert [kpi.value for kpi in smb] == [10.0, 10.0]
    # Retail's only account has no purchase date; April has no first value at all
    assert [kpi.value for kpi in time_to_first_value(
        store.conn, MARCH, BookFilter(segment="Retail"))] == [None, None]
    assert [kpi.value for kpi in time_to_first_value(
        store.conn, month(2026, 4), WHOLE)] == [None, None]


# -- feature usage and stickiness ---------------------------------------------------------

def test_feature_usage_is_events_per_active_account(store: Store) -> None:
    _account(store, "a", segment="SMB")
    _account(store, "b", segment="Enterprise")
    _account(store, "c", segment="Enterprise")
    _usage(store, "a", "2026-03-01", feature="reports", events=10)
    _usage(store, "a", "2026-03-31", feature="export", events=5)
    _usage(store, "a", "2026-04-01", feature="reports", events=100)  # outside
    _usage(store, "a", "2026-02-28", feature="x", events=100)  # outside
    _usage(store, "b", "2026-03-15", events=6)  # no feature named
    _usage(store, "b", "2026-03-16", feature="reports", events=0)
    _usage(store, "c", "2026-03-10", feature="alerts", events=0)  # c has no events

    value = feature_usage(store.conn, MARCH, WHOLE)

    # events 10 + 5 + 6 + 0 + 0 = 21 over active accounts a, b = 2 -> 10.5
    assert value.value == pytest.approx(10.5)
    assert value.inputs == {"usage_rows": 5, "events": 21, "distinct_features": 3,
                            "active_accounts": 2}
    # Enterprise: 6 events over 1 active account (b); c had rows but no events
    assert feature_usage(store.conn, MARCH, BookFilter(segment="Enterprise")).value == 6.0


def test_feature_usage_without_events_is_no_data(store: Store) -> None:
    _account(store, "a")
    assert feature_usage(store.conn, MARCH, WHOLE).value is None
    _usage(store, "a", "2026-03-05", feature="reports", events=0)
    assert feature_usage(store.conn, MARCH, WHOLE).value is None


def test_stickiness_is_summed_dau_over_summed_mau_as_a_percentage(store: Store) -> None:
    _account(store, "a", owner="Dana")
    _account(store, "b", owner="Lee")
    _usage(store, "a", "2026-03-01", active_users=20, monthly_active_users=100)
    _usage(store, "b", "2026-03-31", active_users=5, monthly_active_users=50)
    _usage(store, "b", "2026-03-10", active_users=50)  # no MAU: left out
    _usage(store, "b", "2026-03-11", monthly_active_users=50)  # no DAU: left out
    _usage(store, "a", "2026-04-01", active_users=100, monthly_active_users=100)  # outside

    value = stickiness(store.conn, MARCH, WHOLE)

    # (20 + 5) / (100 + 50) = 25 / 150 = 16.67 %
    assert value.value == pytest.approx(100 / 6)
    assert value.unit is Unit.PERCENT and "percentage" in value.note
    assert value.inputs == {"usage_rows": 2, "daily_active_users": 25,
                            "monthly_active_users": 150}
    # Lee's: 5 / 50 = 10 %
    assert stickiness(store.conn, MARCH, BookFilter(owner="Lee")).value == pytest.approx(10.0)


def test_stickiness_without_both_counts_or_with_zero_mau_is_no_data(store: Store) -> None:
    _account(store, "a")
    _usage(store, "a", "2026-03-02", active_users=3)
    assert stickiness(store.conn, MARCH, WHOLE).value is None
    _usage(store, "a", "2026-03-03", active_users=0, monthly_active_users=0)
    assert stickiness(store.conn, MARCH, WHOLE).value is None


# -- referrals ----------------------------------------------------------------------------

def test_referrals_count_referral_leads_of_the_period(store: Store) -> None:
    for key, segment in [("a", "SMB"), ("b", "Enterprise"), ("c", "SMB"), ("d", "SMB"),
                         ("e", "SMB")]:
        _account(store, key, segment=segment)
    _acquisition(store, "a", source="Referral", lead_on=date(2026, 3, 1))
    _acquisition(store, "b", source="partner", channel="referral", lead_on=date(2026, 3, 31))
    _acquisition(store, "c", source="referral", lead_on=date(2026, 4, 1))  # outside
    _acquisition(store, "d", source="ads", lead_on=date(2026, 3, 10))  # not a referral
    _acquisition(store, "e", source="referral")  # no lead date

    value = referrals(store.conn, MARCH, WHOLE)

    # a (source, any case) and b (channel): 2 referral leads of the 3 March leads (a, b, d)
    assert value.value == 2.0
    assert value.inputs == {"referral_leads": 2, "leads": 3}
    assert referrals(store.conn, MARCH, BookFilter(segment="SMB")).value == 1.0  # a
    # leads are recorded but no referral fell in May: a real 0
    assert referrals(store.conn, month(2026, 5), WHOLE).value == 0.0


def test_referrals_without_any_lead_dates_are_no_data(store: Store) -> None:
    assert referrals(store.conn, MARCH, WHOLE).value is None
    _account(store, "a")
    _acquisition(store, "a", source="referral")
    assert referrals(store.conn, MARCH, WHOLE).value is None


def test_every_engagement_kpi_of_an_empty_book_is_no_data(store: Store) -> None:
    values = engagement_kpis(store.conn, MARCH, WHOLE)
    assert [kpi.name for kpi in values] == [
        "nps", "csat", "cli", "ttfv_median", "ttfv_p90", "feature_usage", "stickiness",
        "referrals"]
    assert all(kpi.value is None for kpi in values)


# -- properties ---------------------------------------------------------------------------

@given(st.lists(st.integers(0, 10)))
def test_nps_value_is_within_minus_100_and_100(scores: list[int]) -> None:
    promoters = sum(score >= 9 for score in scores)
    passives = sum(7 <= score <= 8 for score in scores)
    value = nps_value(promoters, passives, len(scores) - promoters - passives)
    if scores:
        assert value is not None and -100.0 <= value <= 100.0
    else:
        assert value is None


@given(st.lists(st.integers(1, 5)))
def test_csat_value_is_within_0_and_100(scores: list[int]) -> None:
    value = csat_value(sum(score >= 4 for score in scores), len(scores))
    if scores:
        assert value is not None and 0.0 <= value <= 100.0
    else:
        assert value is None


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nps_scores=st.lists(st.integers(0, 10), max_size=12),
       csat_scores=st.lists(st.integers(1, 5), max_size=12))
def test_stored_answers_give_nps_and_csat_in_range(
    store: Store, nps_scores: list[int], csat_scores: list[int],
) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM survey_answers")
        conn.execute("DELETE FROM accounts")
    _account(store, "a")
    _answers(store, "a", "nps", *((score, MID) for score in nps_scores))
    _answers(store, "a", "csat", *((score, MID) for score in csat_scores))

    net = nps(store.conn, MARCH, WHOLE).value
    satisfied = csat(store.conn, MARCH, WHOLE).value

    assert (net is None) == (not nps_scores)
    assert net is None or -100.0 <= net <= 100.0
    assert (satisfied is None) == (not csat_scores)
    assert satisfied is None or 0.0 <= satisfied <= 100.0
