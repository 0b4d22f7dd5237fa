"""Acquisition KPIs on small hand-built books; every expected value is worked out by hand."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest

from store import Store
from store.kpis.acquisition import (
    acquisition_kpis,
    cac,
    demo_requests,
    lead_conversion_rate,
    new_leads,
    trial_signups,
    trial_to_paid_rate,
)
from store.kpis.filters import BookFilter
from store.kpis.periods import month
from store.kpis.results import Unit
from store.models import Account, Acquisition, AcquisitionSpend, Subscription

MARCH = month(2026, 3)
WHOLE = BookFilter()
_ids = itertools.count(1)


def _account(store: Store, key: str, **fields: object) -> None:
    store.add_account(Account(id=key, name=key.title(), stage="purchase",
                              stage_entered_at=datetime(2025, 6, 1, tzinfo=UTC), **fields))


def _acquisition(store: Store, account_id: str, **fields: object) -> None:
    store.add(Acquisition(id=f"acq{next(_ids)}", account_id=account_id, **fields))


def _spend(store: Store, spent_on: str, amount_cents: int, channel: str = "ads") -> None:
    store.add(AcquisitionSpend(id=f"spend{next(_ids)}", channel=channel,
                               spent_on=date.fromisoformat(spent_on), amount_cents=amount_cents))


def _paying_from(store: Store, account_id: str, started_on: str, mrr_cents: int = 10_000) -> None:
    store.add(Subscription(id=f"sub{next(_ids)}", account_id=account_id, mrr_cents=mrr_cents,
                           started_on=date.fromisoformat(started_on)))


# -- CAC ----------------------------------------------------------------------------------

def _cac_book(store: Store) -> None:
    # new paying customers in March: a (SMB), b (Enterprise), d (SMB); c was new in February
    _account(store, "a", segment="SMB", owner="Dana")
    _account(store, "b", segment="Enterprise", owner="Lee")
    _account(store, "c", segment="SMB", owner="Dana")
    _account(store, "d", segment="SMB", owner="Dana", tags=["partner"])
    _paying_from(store, "a", "2026-03-05")
    _paying_from(store, "b", "2026-03-20")
    _paying_from(store, "c", "2026-02-10")
    _paying_from(store, "d", "2026-03-31")
    _acquisition(store, "a", spend_cents=120_000)
    _acquisition(store, "b", spend_cents=300_000)
    _acquisition(store, "c", spend_cents=50_000)
    _spend(store, "2026-03-01", 500_000)
    _spend(store, "2026-03-31", 400_000, channel="events")
    _spend(store, "2026-02-28", 77_700)  # February
    _spend(store, "2026-04-01", 88_800)  # April


def test_cac_divides_the_period_spend_by_the_new_customers(store: Store) -> None:
    _cac_book(store)

    value = cac(store.conn, MARCH, WHOLE)

    # spend 500 000 + 400 000 = 900 000 cents over 3 new customers (a, b, d) = 300 000
    assert value.value == pytest.approx(300_000.0)
    assert value.unit is Unit.CENTS
    assert value.inputs == {"spend_cents": 900_000, "spend_rows": 2, "new_customers": 3}
    # February: 77 700 over 1 new customer (c)
    assert cac(store.conn, month(2026, 2), WHOLE).value == pytest.approx(77_700.0)


def test_cac_with_a_filter_uses_the_spend_recorded_on_the_accounts(store: Store) -> None:
    _cac_book(store)

    smb = cac(store.conn, MARCH, BookFilter(segment="SMB"))

    # SMB new in March: a (120 000 recorded) and d (none) -> 120 000 / 1 with spend
    assert smb.value == pytest.approx(120_000.0)
    assert smb.inputs == {"spend_cents": 120_000, "new_customers": 2,
                          "new_customers_with_spend": 1}
    assert "cannot be attributed" in smb.note
    # Lee's: b, 300 000 / 1
    assert cac(store.conn, MARCH, BookFilter(owner="Lee")).value == pytest.approx(300_000.0)
    # the partner tag holds only d, which has no spend recorded: no data, not 0
    assert cac(store.conn, MARCH, BookFilter(tag="partner")).value is None


def test_cac_is_no_data_without_spend_or_without_new_customers(store: Store) -> None:
    assert cac(store.conn, MARCH, WHOLE).value is None  # empty book
    _cac_book(store)
    # April: 88 800 spent, nobody new -> no data (never a division by zero)
    april = cac(store.conn, month(2026, 4), WHOLE)
    assert april.value is None and april.inputs["spend_cents"] == 88_800
    # January: no spend row and nobody new
    assert cac(store.conn, month(2026, 1), WHOLE).value is None


def test_cac_with_new_customers_but_no_spend_rows_is_no_data(store: Store) -> None:
    _account(store, "a")
    _paying_from(store, "a", "2026-03-05")
    assert cac(store.conn, MARCH, WHOLE).value is None


# -- leads, trials, demos -----------------------------------------------------------------

def _funnel_book(store: Store) -> None:
    _account(store, "a", segment="SMB", tags=["webinar"])
    _account(store, "b", segment="Enterprise")
    _account(store, "c", segment="SMB")
    _account(store, "d", segment="SMB")
    _account(store, "e", segment="Enterprise", tags=["webinar"])
    _account(store, "f", segment="SMB")
    _account(store, "g", segment="SMB")
    # leads: a 03-01, b 03-31, e 03-15 in March; c 04-01 and d 02-28 outside
    _acquisition(store, "a", lead_on=date(2026, 3, 1), trial_on=date(2026, 3, 5),
                 demo_on=date(2026, 3, 3), converted_on=date(2026, 3, 20))
    _acquisition(store, "b", lead_on=date(2026, 3, 31), demo_on=date(2026, 4, 1),
                 converted_on=date(2026, 5, 2))
    _acquisition(store, "c", lead_on=date(2026, 4, 1), trial_on=date(2026, 3, 31),
                 converted_on=date(2026, 4, 10))
    _acquisition(store, "d", lead_on=date(2026, 2, 28), demo_on=date(2026, 2, 28))
    _acquisition(store, "e", lead_on=date(2026, 3, 15), demo_on=date(2026, 3, 31))
    # trials without a lead date: f in March, not converted; g 04-01, converted
    _acquisition(store, "f", trial_on=date(2026, 3, 10))
    _acquisition(store, "g", trial_on=date(2026, 4, 1), converted_on=date(2026, 4, 5))


def test_leads_trials_and_demos_are_counted_per_period(store: Store) -> None:
    _funnel_book(store)

    leads = new_leads(store.conn, MARCH, WHOLE)
    # lead_on in March: a (first day), e, b (last day) = 3
    assert leads.value == 3.0 and leads.unit is Unit.COUNT
    assert "visitor" in leads.note
    # trial_on in March: a 03-05, c 03-31, f 03-10 = 3 (g is 04-01)
    assert trial_signups(store.conn, MARCH, WHOLE).value == 3.0
    # demo_on in March: a 03-03, e 03-31 = 2 (b 04-01, d 02-28 outside)
    assert demo_requests(store.conn, MARCH, WHOLE).value == 2.0


def test_funnel_counts_follow_the_filter(store: Store) -> None:
    _funnel_book(store)
    smb = BookFilter(segment="SMB")
    # SMB leads in March: a only; trials: a, c, f; demos: a
    assert new_leads(store.conn, MARCH, smb).value == 1.0
    assert trial_signups(store.conn, MARCH, smb).value == 3.0
    assert demo_requests(store.conn, MARCH, smb).value == 1.0
    # webinar tag (a, e): leads a, e = 2; demos a, e = 2
    webinar = BookFilter(tag="webinar")
    assert new_leads(store.conn, MARCH, webinar).value == 2.0
    assert demo_requests(store.conn, MARCH, webinar).value == 2.0


def test_funnel_counts_are_zero_in_a_quiet_period_and_no_data_without_any_dates(
    store: Store,
) -> None:
    for count in (new_leads, trial_signups, demo_requests):
        assert count(store.conn, MARCH, WHOLE).value is None  # empty book
    _funnel_book(store)
    # dates are recorded, none in 2025-01: a real 0
    quiet = month(2025, 1)
    for count in (new_leads, trial_signups, demo_requests):
        assert count(store.conn, quiet, WHOLE).value == 0.0
    # Enterprise has lead and demo dates but no trial date at all: trials are no data
    assert trial_signups(store.conn, MARCH, BookFilter(segment="Enterprise")).value is None


# -- conversion ---------------------------------------------------------------------------

def test_lead_conversion_is_a_cohort_rate(store: Store) -> None:
    _funnel_book(store)

    rate = lead_conversion_rate(store.conn, MARCH, WHOLE)

    # March leads a, b, e; a converted 03-20, b on 05-02 (after March: still counts), e not
    # -> 2 / 3 = 66.67 %; c (April lead, converted) is not in the cohort
    assert rate.value == pytest.approx(200 / 3)
    assert rate.unit is Unit.PERCENT
    assert rate.inputs == {"cohort": 3, "converted": 2}
    # April cohort: c, converted -> 100 %
    assert lead_conversion_rate(store.conn, month(2026, 4), WHOLE).value == pytest.approx(100.0)
    # Enterprise March leads b (converted), e (not) -> 50 %
    assert lead_conversion_rate(
        store.conn, MARCH, BookFilter(segment="Enterprise")).value == pytest.approx(50.0)


def test_trial_to_paid_is_a_cohort_rate(store: Store) -> None:
    _funnel_book(store)
    # March trials a (converted), c (converted 04-10), f (not) -> 2 / 3 = 66.67 %
    rate = trial_to_paid_rate(store.conn, MARCH, WHOLE)
    assert rate.value == pytest.approx(200 / 3)
    assert rate.inputs == {"cohort": 3, "converted": 2}
    # tag webinar: a is the only trial -> 1 / 1
    assert trial_to_paid_rate(
        store.conn, MARCH, BookFilter(tag="webinar")).value == pytest.approx(100.0)


def test_a_cohort_nobody_converted_from_is_zero_and_no_cohort_is_no_data(store: Store) -> None:
    _funnel_book(store)
    # February leads: d, never converted -> 0 of 1
    assert lead_conversion_rate(store.conn, month(2026, 2), WHOLE).value == 0.0
    # no leads and no trials in January
    assert lead_conversion_rate(store.conn, month(2026, 1), WHOLE).value is None
    assert trial_to_paid_rate(store.conn, month(2026, 1), WHOLE).value is None


def test_every_acquisition_kpi_of_an_empty_book_is_no_data(store: Store) -> None:
    values = acquisition_kpis(store.conn, MARCH, WHOLE)
    assert [kpi.name for kpi in values] == [
        "new_leads", "trial_signups", "demo_requests", "lead_conversion_rate",
        "trial_to_paid_rate", "cac"]
    assert all(kpi.value is None for kpi in values)
