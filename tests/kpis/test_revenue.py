"""Revenue KPIs pinned on a small book whose answers are worked out by hand below."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Store
from store.kpis import revenue
from store.kpis.filters import BookFilter
from store.kpis.periods import parse_period, to_date
from store.models import Account, Subscription

TODAY = date(2026, 6, 15)
WHOLE = BookFilter()


def sub(key: str, account: str, dollars: int, start: str, end: str | None = None,
        status: str = "active") -> Subscription:
    return Subscription(id=key, account_id=account, mrr_cents=dollars * 100, status=status,
                        started_on=date.fromisoformat(start),
                        ended_on=date.fromisoformat(end) if end else None)


@pytest.fixture
def book(book_path: Path) -> Iterator[Store]:
    """Month-end MRR in dollars (a subscription counts while started_on <= day < ended_on):

    account  seg  Nov  Dec  Jan  Feb  Mar  Apr  May
    A        SMB    -    -  100  100  100  100  100   new in Jan
    B        SMB    -    -  200  200    0    -  150   new Jan, churned Mar, reactivated May
    C        Ent    -  500  500  600  600  600  600   add-on from Feb 15: expansion +100
    D        Ent  300  300  300  200  200  200  200   downgraded Feb 1: contraction -100
    E        Ent    -    -    -    -    -    -    -   a trial only: never paying
    """
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=False):
        store = Store.open(book_path)
        for key, segment in [("A", "SMB"), ("B", "SMB"), ("C", "Ent"), ("D", "Ent"), ("E", "Ent")]:
            store.add_account(Account(id=key, name=f"Account {key}", stage="adoption",
                                      segment=segment))
        for subscription in [
            sub("a1", "A", 100, "2026-01-10"),
            sub("b1", "B", 200, "2026-01-05", "2026-03-20", "cancelled"),
            sub("b2", "B", 150, "2026-05-01"),
            sub("c1", "C", 500, "2025-12-01"),
            sub("c2", "C", 100, "2026-02-15"),
            sub("d1", "D", 300, "2025-11-01", "2026-02-01", "cancelled"),
            sub("d2", "D", 200, "2026-02-01"),
            sub("e1", "E", 0, "2026-01-01", "2026-01-15", "trial"),
        ]:
            store.add(subscription)
        yield store
    store.close()


def kpis(store: Store, period: str, book: BookFilter = WHOLE) -> dict[str, object]:
    found = {}
    chosen = parse_period(period, TODAY)
    for value in [*revenue.mrr_kpis(store.conn, chosen, book),
                  *revenue.retention_rates(store.conn, chosen, book),
                  revenue.logo_churn_rate(store.conn, chosen, book),
                  revenue.revenue_churn_rate(store.conn, chosen, book),
                  revenue.upgrade_rate(store.conn, chosen, book)]:
        found[value.name] = value
    return found


def test_a_month_of_expansion_and_contraction(book: Store) -> None:
    feb = kpis(book, "2026-02")
    # Jan end: 100 + 200 + 500 + 300 = 1,100; Feb end: 100 + 200 + 600 + 200 = 1,100
    assert feb["mrr"].value == 110_000
    assert feb["mrr"].inputs["opening_mrr_cents"] == 110_000
    assert feb["mrr_expansion"].value == 10_000 and feb["mrr_contraction"].value == 10_000
    assert feb["mrr_new"].value == 0 and feb["mrr_churned"].value == 0
    assert feb["mrr"].inputs["reconciles"] is True
    assert feb["logo_churn_rate"].value == 0.0  # 0 of 4 lost
    assert feb["upgrade_rate"].value == 25.0  # C of A, B, C, D


def test_a_month_with_a_churn(book: Store) -> None:
    mar = kpis(book, "2026-03")
    # B (200) leaves: 1 of 4 customers; 200 of 1,100 MRR
    assert mar["logo_churn_rate"].value == 25.0
    assert mar["revenue_churn_rate"].value == pytest.approx(200 / 1100 * 100)
    assert mar["mrr"].value == 90_000 and mar["mrr_churned"].value == 20_000
    # cohort A, B, C, D: start 1,100; end 100 + 0 + 600 + 200 = 900, none above its start
    assert mar["grr"].value == pytest.approx(900 / 1100 * 100)
    assert mar["nrr"].value == pytest.approx(900 / 1100 * 100)


def test_a_quarter_counts_only_customers_there_at_its_start(book: Store) -> None:
    q1 = kpis(book, "2026-Q1")
    # Opening (Dec end): C 500 + D 300 = 800. A and B arrived in Jan; B also left in Mar, so
    # B is in neither the numerator nor the denominator of logo churn.
    assert q1["logo_churn_rate"].value == 0.0
    assert q1["logo_churn_rate"].inputs["customers_at_start"] == 2
    # monthly rates: Jan 0 (of C, D), Feb 0 (of 4), Mar 25 (1 of 4): mean 8.33
    assert q1["logo_churn_rate"].inputs["monthly_average"] == pytest.approx(25 / 3)
    # movements over the quarter: new A 100 + B 200, expansion 100, contraction 100, churn 200
    assert q1["mrr_new"].value == 30_000 and q1["mrr_new"].inputs["accounts"] == 2
    assert q1["mrr_churned"].value == 20_000
    assert 80_000 + 30_000 + 10_000 - 10_000 - 20_000 == q1["mrr"].value == 90_000
    # cohort C, D: GRR = (min(500, 600) + min(300, 200)) / 800; NRR = (600 + 200) / 800
    assert q1["grr"].value == 87.5 and q1["nrr"].value == 100.0
    # revenue churn over the quarter is the same cohort's loss: D's 100 of 800 = 100 - GRR
    # (B's 200 lost in March is not in it: B was not paying at the start); beside it the
    # monthly rates: Jan 0 of 800, Feb 100 of 1,100, Mar 200 of 1,100
    assert q1["revenue_churn_rate"].value == 12.5 == 100 - q1["grr"].value
    assert q1["revenue_churn_rate"].inputs["monthly_average"] == pytest.approx(
        (0 + 100 / 1100 * 100 + 200 / 1100 * 100) / 3)
    assert q1["upgrade_rate"].value == 50.0  # C of C, D


def test_reactivation_and_arpu(book: Store) -> None:
    may = kpis(book, "2026-05")
    assert may["mrr_reactivation"].value == 15_000
    assert may["mrr_new"].value == 0
    assert may["mrr"].value == 105_000
    assert may["arpu"].value == 105_000 / 4  # A, B, C, D paying


def test_a_filter_limits_every_figure(book: Store) -> None:
    smb = kpis(book, "2026-Q1", BookFilter(segment="smb"))
    # A and B only: nobody paying at the quarter's start, so churn and retention have no data
    assert smb["logo_churn_rate"].value is None and smb["grr"].value is None
    assert smb["mrr_new"].value == 30_000 and smb["mrr"].value == 10_000
    assert smb["mrr_expansion"].value == 0


def test_cltv_uses_six_months_of_churn_and_says_no_data_without_any(book: Store) -> None:
    march = parse_period("2026-03", TODAY)
    value = revenue.cltv(book.conn, march, WHOLE, gross_margin=0.8)
    # ARPU Mar = 900 / 3 = 300. Monthly churn Oct..Mar: Oct, Nov no customers at start (no
    # data); Dec 0, Jan 0, Feb 0, Mar 25: mean 6.25 %. CLTV = 300 × 0.8 / 0.0625 = 3,840
    assert value.value == pytest.approx(384_000)
    assert value.inputs["average_monthly_churn_percent"] == pytest.approx(6.25)
    quiet = revenue.cltv(book.conn, parse_period("2026-02", TODAY), WHOLE, gross_margin=0.8)
    assert quiet.value is None


def test_trials_never_count_as_paying(book: Store) -> None:
    assert revenue.mrr_at(book.conn, "2026-01", BookFilter(segment="Ent"))[1] == 2  # C, D


@st.composite
def subscription_books(draw):  # type: ignore[no-untyped-def]
    """Up to 6 accounts with up to 4 random subscriptions each in 2025-2026."""
    books = []
    for account in range(draw(st.integers(1, 6))):
        for n in range(draw(st.integers(0, 4))):
            start = draw(st.dates(date(2025, 1, 1), date(2026, 5, 28)))
            length = draw(st.one_of(st.none(), st.integers(1, 400)))
            end = None if length is None else date.fromordinal(start.toordinal() + length)
            books.append((f"acct{account}", f"s{account}-{n}", draw(st.integers(1, 900)), start,
                          end, draw(st.sampled_from(["active", "cancelled", "trial"]))))
    return books


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=subscription_books(), period=st.sampled_from(
    ["2025-03", "2025-Q4", "2026-02", "2026-Q1", "2025", "2025-06-01..2026-04-30"]))
def test_movements_reconcile_and_rates_stay_in_range(tmp_path_factory, rows, period) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("book") / "book.db"
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=False):
        with Store.open(path) as store:
            for account in sorted({row[0] for row in rows}):
                store.add_account(Account(id=account, name=account, stage="adoption"))
            for account, key, dollars, start, end, status in rows:
                store.add(Subscription(id=key, account_id=account, mrr_cents=dollars * 100,
                                       status=status, started_on=start, ended_on=end))
            found = kpis(store, period)
    mrr = found["mrr"].inputs
    assert mrr["reconciles"], mrr
    churn = found["logo_churn_rate"].value
    assert churn is None or 0 <= churn <= 100
    grr, nrr = found["grr"].value, found["nrr"].value
    assert (grr is None) == (nrr is None)
    assert grr is None or 0 <= grr <= nrr  # type: ignore[operator]


def test_cohort_matrix_follows_each_start_month(book: Store) -> None:
    from store.kpis.cohorts import cohort_matrix

    rows = {row.cohort: row for row in cohort_matrix(book.conn, "2025-11", "2026-01", "2026-06",
                                                      WHOLE)}
    assert list(rows) == ["2025-11", "2025-12", "2026-01"]
    jan = rows["2026-01"]
    # A (100) and B (200) start in Jan; B is gone in Mar and Apr, back at 150 from May
    assert (jan.accounts, jan.start_mrr_cents) == (2, 30_000)
    assert jan.logo == [100.0, 100.0, 50.0, 50.0, 100.0, 100.0]
    assert jan.revenue == pytest.approx([100, 100, 100 / 3, 100 / 3, 250 / 3, 250 / 3])
    # C starts at 500 in Dec and grows to 600 in Feb: revenue retention above 100 %
    assert rows["2025-12"].revenue[:3] == [100.0, 100.0, 120.0]
    assert len(rows["2025-11"].logo) == 8  # Nov .. Jun


def test_a_trend_gives_each_month_what_the_month_alone_gives(book: Store) -> None:
    last = parse_period("2026-05", TODAY)
    for name in ("cltv", "logo_churn_rate", "mrr", "grr"):
        series = book.kpi_trend(name, last, 6)
        assert [one.label for one, _ in series] == [
            "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
        for one, value in series:
            assert value.value == book.kpis(one)[name].value, (name, one.label)


def test_churn_counts_at_cancellation_when_the_setting_says_so(book_path: Path) -> None:
    """B cancels on Feb 10 and its paid period runs to Mar 20; A stays. By default B churns in
    March (its month-end MRR is 0 first at Mar 31); counted at cancellation, in February."""
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=False):
        store = Store.open(book_path)
        for key in ("A", "B"):
            store.add_account(Account(id=key, name=f"Account {key}", stage="adoption"))
        store.add(sub("a1", "A", 100, "2026-01-10"))
        store.add(Subscription(id="b1", account_id="B", mrr_cents=20_000, status="cancelled",
                               started_on=date(2026, 1, 5), ended_on=date(2026, 3, 20),
                               cancelled_on=date(2026, 2, 10)))
        feb, mar = parse_period("2026-02", TODAY), parse_period("2026-03", TODAY)

        def churn() -> tuple[float | None, float | None]:
            return (store.kpis(feb)["logo_churn_rate"].value,
                    store.kpis(mar)["logo_churn_rate"].value)

        assert churn() == (0.0, 50.0)  # 1 of A, B lost in March
        store.set_setting("kpi.churn_at", "cancellation")
        assert churn() == (50.0, 0.0)  # ... in February; March starts with A alone
        feb_values = store.kpis(feb)
        assert feb_values["mrr_churned"].value == 20_000 and feb_values["mrr"].value == 10_000
        assert "kpi.churn_at" in feb_values["logo_churn_rate"].note
        assert "kpi.churn_at" not in feb_values["nps"].note
        store.set_setting("kpi.churn_at", "period_end")
        assert churn() == (0.0, 50.0)
        # the account's story tells both days
        titles = [(entry.at.date(), entry.title) for entry in store.timeline("B")
                  if entry.kind == "subscription"]
        assert titles == [(date(2026, 3, 20), "ended subscription"),
                          (date(2026, 2, 10), "cancelled subscription (runs to 2026-03-20)"),
                          (date(2026, 1, 5), "started subscription")]
        store.close()


def test_a_cancelled_subscription_with_no_end_is_not_paying(book_path: Path) -> None:
    # a paused Stripe subscription arrives as cancelled, with no end date: no MRR, ever
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=False):
        with Store.open(book_path) as store:
            store.add_account(Account(id="P", name="Paused", stage="adoption"))
            store.add(Subscription(id="p1", account_id="P", mrr_cents=10_000,
                                   status="cancelled", started_on=date(2026, 1, 1)))
            assert store.get_account("P").mrr_cents == 0
            assert store.kpis(parse_period("2026-05", TODAY))["mrr"].value in (0, None)


def test_a_running_year_is_counted_to_date() -> None:
    today = date(2026, 11, 24)
    year = to_date(parse_period("2026", today), today)
    assert (year.start, year.end, year.label) == (date(2026, 1, 1), date(2026, 12, 1),
                                                  "2026 to date")
    assert year.previous().start == date(2025, 2, 1)  # as many months before
    for finished in ("2025", "2026-Q3", "2026-11"):  # ended, or the current month itself
        assert to_date(parse_period(finished, today), today) == parse_period(finished, today)
