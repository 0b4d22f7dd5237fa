"""The demo book: deterministic, consistent with the schema and models, and shaped like a book."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from store import InvalidInput, Store
from store.demo import DemoSummary, generate_demo
from store.demo import book as demo
from store.demo.calendar import next_anniversary as _next_anniversary
from store.lifecycle import PRESETS, preset
from store.models import Account, SurveyAnswer
from store.rows import TABLES, from_row

AS_OF = date(2025, 6, 15)
TODAY = AS_OF.isoformat()


def _book(path: Path, accounts: int = 300, seed: int = 7, lifecycle: str = "classic") -> Store:
    store = Store.open(path)
    if lifecycle != "classic":
        store.set_lifecycle(preset(lifecycle))
    generate_demo(store, accounts=accounts, seed=seed, as_of=AS_OF)
    return store


def _query(store: Store, sql: str) -> list[dict]:
    return list(store.db.query(sql))


def _rows(store: Store, table: str) -> list[dict]:
    return _query(store, f"SELECT * FROM {table} ORDER BY rowid")


@pytest.fixture
def make_book(tmp_path: Path) -> Iterator[Callable[..., Store]]:
    """Build demo books in tmp_path by name; all are closed afterwards."""
    stores: list[Store] = []

    def make(name: str, **options: Any) -> Store:
        stores.append(_book(tmp_path / f"{name}.db", **options))
        return stores[-1]

    yield make
    for store in stores:
        store.close()


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = _book(tmp_path_factory.mktemp("demo") / "book.db")
    yield store
    store.close()


def test_same_seed_same_book_and_another_seed_another(make_book: Callable[..., Store]) -> None:
    first = make_book("first", accounts=200)
    second = make_book("second", accounts=200)
    other = make_book("other", accounts=200, seed=8)
    for table in TABLES.values():
        assert _rows(first, table) == _rows(second, table), table
    assert _rows(first, "accounts") != _rows(other, "accounts")
    assert _rows(first, "interactions") != _rows(other, "interactions")
    assert first.get_setting("demo") == {"seed": 7, "accounts": 200, "as_of": TODAY}


def test_chunk_and_batch_sizes_do_not_change_the_book(
    make_book: Callable[..., Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = make_book("whole", accounts=150)
    monkeypatch.setattr(demo, "CHUNK_ACCOUNTS", 40)
    monkeypatch.setattr(demo, "BATCH_ROWS", 100)
    chunked = make_book("chunked", accounts=150)
    for table in TABLES.values():
        assert _rows(whole, table) == _rows(chunked, table), table


@pytest.mark.parametrize("lifecycle", sorted(PRESETS))
def test_every_stage_of_every_preset_has_accounts(
    make_book: Callable[..., Store], lifecycle: str
) -> None:
    store = make_book(lifecycle, lifecycle=lifecycle)
    counts = {column.stage.key: column.count for column in store.board_columns()}
    assert all(counts.values()), counts
    assert 0.06 <= counts["churned"] / 300 <= 0.16


def test_summary_counts_rows_and_progress_reaches_the_end(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with Store.open(tmp_path / "book.db") as store:
        summary = generate_demo(
            store, accounts=250, as_of=AS_OF, progress=lambda *done: seen.append(done)
        )
        counted = {table: store.count(model) for model, table in TABLES.items()}
    assert isinstance(summary, DemoSummary)
    assert (summary.seed, summary.accounts, summary.as_of) == (7, 250, AS_OF)
    assert summary.rows == counted
    assert summary.rows["acquisition_spend"] == 6 * 24
    assert seen[-1] == (250, 250)


def test_refuses_a_book_that_has_accounts(book: Store) -> None:
    with pytest.raises(InvalidInput, match="empty book"):
        generate_demo(book, accounts=10, as_of=AS_OF)


def test_mrr_is_the_sum_of_subscriptions_active_on_as_of(book: Store) -> None:
    expected: dict[str, int] = defaultdict(int)
    for sub in _rows(book, "subscriptions"):
        ended = sub["ended_on"]
        if sub["status"] in ("active", "past_due") and sub["started_on"] <= TODAY and (
            ended is None or ended > TODAY
        ):
            expected[sub["account_id"]] += sub["mrr_cents"]
    for account in _rows(book, "accounts"):
        assert account["mrr_cents"] == expected[account["id"]], account["id"]
        assert (account["renewal_on"] is not None) == (account["mrr_cents"] > 0)
        if account["renewal_on"]:
            assert TODAY <= account["renewal_on"] <= (AS_OF + timedelta(days=366)).isoformat()


def test_stage_history_is_one_chain_ending_in_the_current_stage(book: Store) -> None:
    moves: dict[str, list[dict]] = defaultdict(list)
    for move in _query(book, "SELECT * FROM stage_history ORDER BY account_id, moved_at"):
        moves[move["account_id"]].append(move)
    for account in _rows(book, "accounts"):
        history = moves[account["id"]]
        assert history[0]["from_stage"] is None
        assert history[0]["moved_at"] == account["created_at"]
        for before, after in pairwise(history):
            assert after["from_stage"] == before["to_stage"]
            assert before["moved_at"] < after["moved_at"]
        assert history[-1]["to_stage"] == account["stage"]
        assert history[-1]["moved_at"] == account["stage_entered_at"]
        assert account["stage_entered_at"] < TODAY


def test_only_customers_pay_and_usage_follows_payment(book: Store) -> None:
    lifecycle = book.lifecycle()
    paid = {
        row["account_id"]
        for row in _query(book, "SELECT account_id FROM subscriptions WHERE status != 'trial'")
    }
    used = {row["account_id"] for row in _query(book, "SELECT account_id FROM usage")}
    bought = {
        row["account_id"]: row["converted_on"]
        for row in _query(book, "SELECT * FROM acquisition WHERE converted_on IS NOT NULL")
    }
    for account in _rows(book, "accounts"):
        customer = lifecycle.is_customer_stage(account["stage"]) or account["stage"] == "churned"
        assert (account["id"] in paid) == customer == (account["id"] in bought)
        if customer and bought[account["id"]] < "2025-06-01":  # a complete month to report
            assert account["id"] in used
    assert not _query(
        book,
        "SELECT * FROM usage WHERE monthly_active_users < active_users OR used_on NOT LIKE '%-01'",
    )


def test_every_row_validates_with_its_model(book: Store) -> None:
    for model, table in TABLES.items():
        for row in _rows(book, table):
            from_row(model, row)
    answers = [from_row(SurveyAnswer, row) for row in _rows(book, "survey_answers")]
    assert {answer.kind.value for answer in answers} == {"nps", "csat", "cli"}
    accounts = [from_row(Account, row) for row in _rows(book, "accounts")]
    assert len({account.name for account in accounts}) == len(accounts)


def test_history_lies_before_as_of(book: Store) -> None:
    checks = {
        "interactions": "occurred_at", "survey_answers": "answered_at",
        "stage_history": "moved_at", "subscriptions": "started_on", "usage": "used_on",
        "tasks": "created_at",
    }
    for table, column in checks.items():
        latest = book.conn.execute(f"SELECT max({column}) FROM {table}").fetchone()[0]
        assert latest < TODAY, table
    oldest = book.conn.execute("SELECT min(created_at) FROM accounts").fetchone()[0]
    assert oldest >= "2022-12-01"


def test_follow_ups_become_tasks_and_contacts_have_one_primary(book: Store) -> None:
    follow_ups = _query(
        book,
        "SELECT i.id, i.follow_up_on, t.due_on FROM interactions i "
        "LEFT JOIN tasks t ON t.interaction_id = i.id WHERE i.follow_up_on IS NOT NULL",
    )
    assert follow_ups
    assert all(row["due_on"] == row["follow_up_on"] for row in follow_ups)
    primaries = _query(
        book,
        "SELECT account_id, sum(is_primary) AS primaries, count(*) AS contacts "
        "FROM contacts GROUP BY account_id",
    )
    assert len(primaries) == 300
    assert all(row["primaries"] == 1 and 1 <= row["contacts"] <= 4 for row in primaries)


def test_the_book_looks_like_a_book(book: Store) -> None:
    nps = book.conn.execute(
        "SELECT 100.0 * (sum(score >= 9) - sum(score <= 6)) / count(*) FROM survey_answers "
        "WHERE kind = 'nps'"
    ).fetchone()[0]
    assert 0 <= nps <= 40
    healthy_churn, unhealthy_churn = book.conn.execute(
        "SELECT avg(CASE WHEN n.score >= 9 THEN a.stage = 'churned' END), "
        "avg(CASE WHEN n.score <= 6 THEN a.stage = 'churned' END) "
        "FROM accounts a JOIN survey_answers n ON n.account_id = a.id AND n.kind = 'nps'"
    ).fetchone()
    assert healthy_churn < unhealthy_churn
    segments = dict(book.conn.execute("SELECT segment, count(*) FROM accounts GROUP BY 1"))
    assert segments["SMB"] > segments["Mid-Market"] > segments["Enterprise"] > 0


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        (date(2024, 3, 10), date(2025, 6, 15), date(2026, 3, 10)),
        (date(2024, 8, 1), date(2025, 6, 15), date(2025, 8, 1)),
        (date(2024, 6, 15), date(2025, 6, 15), date(2025, 6, 15)),
        (date(2024, 2, 29), date(2025, 1, 1), date(2025, 2, 28)),
        (date(2024, 2, 29), date(2027, 3, 1), date(2028, 2, 29)),
    ],
)
def test_renewal_is_the_next_anniversary(start: date, today: date, expected: date) -> None:
    assert _next_anniversary(start.toordinal(), today.toordinal()) == expected.toordinal()


def test_demo_deals_and_payments_follow_the_subscriptions(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every paying account has a won deal closing the day it first paid; every past-due
    subscription ends on a failed payment nothing recovered; every new KPI has data."""
    from store.kpis.filters import BookFilter
    from store.kpis.periods import month

    with Store.open(tmp_path / "sales.db") as book:
        generate_demo(book, accounts=300, seed=7, as_of=date(2026, 11, 1))
        conn = book.conn
        unmatched = conn.execute(
            "SELECT count(*) FROM deals d WHERE d.type = 'New Business' AND d.status = 'won' "
            "AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = d.account_id "
            "AND s.status != 'trial' AND s.started_on = d.close_on)").fetchone()[0]
        assert unmatched == 0
        past_due = conn.execute(
            "SELECT s.account_id, (SELECT p.status FROM payments p WHERE p.account_id = "
            "s.account_id AND p.kind = 'recurring' ORDER BY p.attempted_at DESC LIMIT 1) "
            "FROM subscriptions s WHERE s.status = 'past_due'").fetchall()
        assert past_due and all(status == "failed" for _, status in past_due)
        statuses = {row[0] for row in conn.execute("SELECT DISTINCT status FROM deals")}
        assert statuses == {"open", "won", "lost"}
        kinds = {row[0] for row in conn.execute("SELECT DISTINCT status FROM payments")}
        assert {"paid", "failed", "refunded"} <= kinds
        year = book.kpis(month(2026, 10), BookFilter())
        for name in ("win_rate", "won_value", "average_deal_size", "sales_cycle_median",
                     "open_pipeline", "collected_revenue", "failed_payment_rate",
                     "unrecovered_failed_payments", "purchase_cltv", "average_order_value",
                     "repeat_purchase_rate"):
            assert year[name].value is not None, name
