"""Deal and payment KPIs on hand-built books; every expected value is worked out in comments."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from store import Store
from store.kpis.filters import BookFilter
from store.kpis.periods import month, parse_period
from store.models import Account, Deal, Payment, Subscription

MARCH = month(2026, 3)
WHOLE = BookFilter()


def _account(store: Store, key: str, segment: str) -> None:
    store.add_account(Account(id=key, name=key.title(), stage="purchase", segment=segment,
                              stage_entered_at=datetime(2025, 6, 1, tzinfo=UTC)))


def _deal(store: Store, key: str, account: str, status: str, amount: int | None,
          created: str | None, close: str | None) -> None:
    store.add(Deal(id=key, account_id=account, name=f"Deal {key}", status=status,
                   amount_cents=amount,
                   created_on=date.fromisoformat(created) if created else None,
                   close_on=date.fromisoformat(close) if close else None))


def _deal_book(store: Store) -> None:
    _account(store, "acme", "SMB")
    _account(store, "beta", "Enterprise")
    _deal(store, "a1", "acme", "won", 1_000_000, "2026-02-01", "2026-03-10")  # 37 days
    _deal(store, "a2", "beta", "won", 500_000, "2026-03-01", "2026-03-21")  # 20 days
    _deal(store, "a3", "acme", "won", None, "2026-03-02", "2026-03-05")  # 3 days, no amount
    _deal(store, "a4", "acme", "lost", 200_000, "2026-03-01", "2026-03-15")
    _deal(store, "a5", "beta", "won", 999_900, "2026-01-10", "2026-02-28")  # February
    _deal(store, "a6", "acme", "open", 400_000, "2026-02-20", "2026-04-30")
    _deal(store, "a7", "beta", "open", 100_000, "2026-04-02", None)  # created after March
    _deal(store, "a8", "beta", "won", 300_000, "2026-03-05", "2026-04-10")  # open at March end
    _deal(store, "a9", "beta", "won", 700_000, "2026-03-20", "2026-03-18")  # closes before created
    _deal(store, "a10", "beta", "open", 50_000, "2026-03-25", None)


def test_deal_kpis_for_march(store: Store) -> None:
    _deal_book(store)
    kpis = store.kpis(MARCH, WHOLE)
    # closed in March: won a1, a2, a3, a9 (4); lost a4 (1) -> 4 / 5 = 80 %
    assert kpis["win_rate"].value == pytest.approx(80.0)
    assert kpis["win_rate"].inputs == {"won": 4, "lost": 1}
    # won value: a1 10,000 + a2 5,000 + a9 7,000 = 22,000.00 (a3 has no amount)
    assert kpis["won_value"].value == 2_200_000
    assert kpis["won_value"].inputs["won_with_amount"] == 3
    # average deal size: 22,000 / 3 deals with an amount = 7,333.33
    assert kpis["average_deal_size"].value == pytest.approx(2_200_000 / 3)
    # cycles of the won deals: a3 3, a2 20, a1 37 days; a9 (-2 days) is left out -> median 20
    assert kpis["sales_cycle_median"].value == 20.0
    assert kpis["sales_cycle_median"].inputs["closed_before_created"] == 1
    assert kpis["sales_cycle_median"].inputs["mean_days"] == pytest.approx(20.0)
    # open on 31 March: a6 4,000 (open), a8 3,000 (won 10 April), a10 500 (open);
    # a7 was created in April -> 7,500.00 over 3 deals
    assert kpis["open_pipeline"].value == 750_000
    assert kpis["open_deals"].value == 3
    # created in March: a2, a3, a4, a8, a9, a10 (6), of which won since: a2, a3, a8, a9 (4)
    assert kpis["deal_conversion_rate"].value == pytest.approx(4 / 6 * 100)


def test_deal_kpis_follow_the_filter_and_the_period(store: Store) -> None:
    _deal_book(store)
    smb = store.kpis(MARCH, BookFilter(segment="SMB"))
    # Acme's March deals: won a1, a3; lost a4 -> 2 / 3
    assert smb["win_rate"].value == pytest.approx(200 / 3)
    assert smb["won_value"].value == 1_000_000  # a1 only (a3 has no amount)
    february = store.kpis(month(2026, 2), WHOLE)
    assert february["win_rate"].value == 100.0  # a5 alone
    assert february["sales_cycle_median"].value == 49.0  # 10 January -> 28 February


def test_deal_kpis_say_no_data_without_deals(store: Store) -> None:
    _account(store, "acme", "SMB")
    kpis = store.kpis(MARCH, WHOLE)
    for name in ("win_rate", "won_value", "average_deal_size", "sales_cycle_median",
                 "open_pipeline", "deal_conversion_rate"):
        assert kpis[name].value is None, name


def test_deal_drill_down_lists_the_deals_counted(store: Store) -> None:
    _deal_book(store)
    won = store.kpi_accounts("win_rate", "won", MARCH)
    assert [(row.account_id, row.figure) for row in won] == [
        ("acme", 1_000_000), ("beta", 700_000), ("beta", 500_000), ("acme", 0)]
    assert won[0].detail == "2026-03-10 · Deal a1"
    pipeline = store.kpi_accounts("open_pipeline", "open", MARCH)
    assert sum(row.figure for row in pipeline) == store.kpis(MARCH, WHOLE)["open_pipeline"].value
    cycle = store.kpi_accounts("sales_cycle_median", "cycle", MARCH)
    assert sorted(row.figure for row in cycle) == [3, 20, 37]


def _pay(store: Store, key: str, account: str, amount: int, status: str, when: str,
         invoice: str | None = None, refunded: int | None = None) -> None:
    store.add(Payment(id=key, account_id=account, amount_cents=amount, status=status,
                      attempted_at=datetime.fromisoformat(f"{when}T12:00:00+00:00"),
                      invoice_id=invoice, refunded_cents=refunded))


def _payment_book(store: Store) -> None:
    _account(store, "acme", "SMB")
    _account(store, "beta", "Enterprise")
    _account(store, "gamma", "SMB")
    _account(store, "delta", "SMB")
    _pay(store, "p1", "acme", 10_000, "paid", "2026-03-02", "i1")
    _pay(store, "p2", "acme", 5_000, "paid", "2026-03-02", "i1")  # a second line of order i1
    _pay(store, "p3", "beta", 8_000, "failed", "2026-03-05", "i2")
    _pay(store, "p4", "beta", 8_000, "paid", "2026-03-08", "i2")  # the retry: recovered
    _pay(store, "p5", "gamma", 4_000, "failed", "2026-03-20", "i3")  # never recovered
    _pay(store, "p6", "gamma", 20_000, "refunded", "2026-03-10", "i4", refunded=5_000)
    _pay(store, "p7", "acme", -3_000, "refunded", "2026-03-25")  # a refund row
    _pay(store, "p8", "acme", 6_000, "pending", "2026-03-28", "i5")
    _pay(store, "p9", "acme", 7_000, "paid", "2026-02-10", "i0")
    _pay(store, "d1", "delta", 10_000, "paid", "2024-01-15", "d1")  # delta stopped buying
    _pay(store, "d2", "delta", 10_000, "paid", "2024-07-15", "d2")


def test_payment_kpis_for_march(store: Store) -> None:
    _payment_book(store)
    kpis = store.kpis(MARCH, WHOLE)
    # collected: p1 100 + p2 50 + p4 80 + p6 200 = 430.00 (p6's refund is counted apart)
    assert kpis["collected_revenue"].value == 43_000
    # refunds: p6's 50.00 + p7's 30.00 = 80.00
    assert kpis["refunds"].value == 8_000
    assert kpis["collected_revenue"].inputs["net_cents"] == 35_000
    # attempts: p1 p2 p3 p4 p5 p6 (p7 is a refund, p8 pending); failed p3, p5 -> 2 / 6
    assert kpis["failed_payment_rate"].value == pytest.approx(100 / 3)
    assert kpis["failed_payment_rate"].inputs == {"failed": 2, "attempts": 6}
    # beta's failure was followed by p4; gamma's (20 March) by nothing -> 1 customer
    assert kpis["unrecovered_failed_payments"].value == 1
    # purchases: orders i1, i2, i4 -> 430.00 / 3
    assert kpis["average_order_value"].value == pytest.approx(43_000 / 3)
    # buying in March: acme (i0 in February and i1: 2 purchases), beta (1), gamma (1) -> 1 / 3
    assert kpis["repeat_purchase_rate"].value == pytest.approx(100 / 3)


def test_purchase_cltv_from_the_customers_who_stopped(store: Store) -> None:
    _payment_book(store)
    cltv = store.kpis(MARCH, WHOLE)["purchase_cltv"]
    # the 12 months to March 2026: collected 430.00 + p9 70.00 = 500.00 over 4 purchases
    # (i0 i1 i2 i4) -> 125.00 each; 4 purchases / 3 customers a year.
    # delta stopped (nothing since July 2024): 182 days from first to last purchase
    # = 182 / 30.4375 = 5.98 months. 12,500 × 4/3 × 5.98 / 12 = 8,304.88 cents
    assert cltv.inputs["average_purchase_value_cents"] == 12_500
    assert cltv.inputs["purchases_per_customer_per_year"] == pytest.approx(4 / 3)
    assert cltv.inputs["customers_who_stopped"] == 1
    assert cltv.inputs["lifespan_months"] == pytest.approx(182 / 30.4375)
    assert cltv.value == pytest.approx(12_500 * 4 / 3 * (182 / 30.4375) / 12)
    assert "stopped buying" in cltv.note
    # shown beside the subscription CLTV, each saying its form
    assert "subscription form" in store.kpis(MARCH, WHOLE)["cltv"].note


def test_purchase_cltv_falls_back_to_the_inverse_of_churn(store: Store) -> None:
    for key in ("x1", "x2"):
        _account(store, key, "SMB")
        store.add(Subscription(id=f"s-{key}", account_id=key, mrr_cents=10_000,
                               started_on=date(2025, 1, 1),
                               ended_on=date(2026, 2, 1) if key == "x2" else None))
        _pay(store, f"p-{key}", key, 10_000, "paid", "2026-01-05", f"inv-{key}")
    _pay(store, "p-x1b", "x1", 10_000, "paid", "2026-03-05", "inv-x1b")
    cltv = store.kpis(MARCH, WHOLE)["purchase_cltv"]
    # nobody stopped buying; logo churn of October..March: February lost x2 of 2 (50 %),
    # the other five months none -> 50 / 6 = 8.33 % a month -> a lifespan of 12 months.
    # value: 300.00 / 3 purchases = 100.00; 3 purchases / 2 customers = 1.5 a year.
    # 10,000 × 1.5 × 12 / 12 = 15,000 cents
    assert cltv.inputs["average_monthly_churn_percent"] == pytest.approx(50 / 6)
    assert cltv.inputs["lifespan_months"] == pytest.approx(12)
    assert cltv.value == pytest.approx(15_000)
    assert "1 ÷ average monthly logo churn" in cltv.note


def test_payment_kpis_say_no_data_without_payments(store: Store) -> None:
    _account(store, "acme", "SMB")
    kpis = store.kpis(MARCH, WHOLE)
    for name in ("collected_revenue", "refunds", "failed_payment_rate", "purchase_cltv",
                 "average_order_value", "repeat_purchase_rate", "unrecovered_failed_payments"):
        assert kpis[name].value is None, name


def test_payment_drill_down_adds_up(store: Store) -> None:
    _payment_book(store)
    kpis = store.kpis(MARCH, WHOLE)
    collected = store.kpi_accounts("collected_revenue", "collected", MARCH)
    assert sum(row.figure for row in collected) == kpis["collected_revenue"].value
    refunds = store.kpi_accounts("refunds", "refunds", MARCH)
    assert sum(row.figure for row in refunds) == kpis["refunds"].value
    failed = store.kpi_accounts("failed_payment_rate", "failed", MARCH)
    assert [row.account_id for row in failed] == ["beta", "gamma"]
    unrecovered = store.kpi_accounts("unrecovered_failed_payments", "unrecovered", MARCH)
    assert [(row.account_id, row.detail) for row in unrecovered] == [
        ("gamma", "2026-03-20 · failed · i3")]


def test_a_quarter_counts_its_months(store: Store) -> None:
    _deal_book(store)
    q1 = store.kpis(parse_period("2026-Q1", date(2026, 6, 1)), WHOLE)
    # January..March closed: a5 (Feb) won + March's 4 won, 1 lost -> 5 / 6
    assert q1["win_rate"].value == pytest.approx(500 / 6)


def test_an_accounts_unrecovered_failure_is_the_kpis_condition(store: Store) -> None:
    _payment_book(store)
    # gamma's failure of 20 March was followed by nothing; beta's of 5 March by p4
    assert store.unrecovered_failed_payment("gamma").id == "p5"
    assert store.unrecovered_failed_payment("beta") is None
    assert store.unrecovered_failed_payment("acme") is None


def test_a_prospects_board_card_carries_its_open_deal_value(store: Store) -> None:
    _deal_book(store)
    cards = {card.account_id: card for card in store.board_cards("purchase", 0, 10)}
    # acme: a6 4,000 open; beta: a7 1,000 + a10 500 open (a8 is won, not open)
    assert cards["acme"].open_deal_cents == 400_000
    assert cards["beta"].open_deal_cents == 150_000
