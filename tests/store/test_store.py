"""The Store seam: accounts, stage moves in any direction, subscriptions, the board queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from store import InvalidInput, NotFound, Store
from store.ids import new_id
from store.models import Account, Interaction, Subscription


def test_a_new_account_enters_its_first_stage_in_the_history(store: Store) -> None:
    store.add_account(Account(id="a1", name="Acme", stage="awareness"))
    [entry] = store.stage_history("a1")
    assert entry.from_stage is None and entry.to_stage == "awareness"


def test_moves_go_in_any_direction_and_are_all_recorded(store: Store) -> None:
    with time_machine.travel(datetime(2026, 2, 1, 9, tzinfo=UTC), tick=False):
        store.add_account(Account(id="a1", name="Acme", stage="awareness"))
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False):
        store.move_stage("a1", "adoption", reason="signed and live")
    with time_machine.travel(datetime(2026, 4, 1, 9, tzinfo=UTC), tick=False):
        store.move_stage("a1", "activation", reason="re-onboarding after v2")
        store.move_stage("a1", "churned", reason="budget cut")
    store.move_stage("a1", "retention", reason="came back")
    history = store.stage_history("a1")
    assert [(m.from_stage, m.to_stage) for m in history] == [
        (None, "awareness"), ("awareness", "adoption"), ("adoption", "activation"),
        ("activation", "churned"), ("churned", "retention"),
    ]
    assert history[1].reason == "signed and live"
    assert history[1].moved_at == datetime(2026, 3, 1, 9, tzinfo=UTC)
    account = store.get_account("a1")
    assert account.stage == "retention"
    assert account.stage_entered_at == history[-1].moved_at


def test_a_move_to_an_unknown_stage_or_account_is_refused(store: Store) -> None:
    store.add_account(Account(id="a1", name="Acme", stage="awareness"))
    with pytest.raises(InvalidInput, match="unknown stage 'limbo'"):
        store.move_stage("a1", "limbo")
    with pytest.raises(NotFound, match="no account with key 'zz'"):
        store.move_stage("zz", "adoption")
    with pytest.raises(InvalidInput, match="already in awareness"):
        store.move_stage("a1", "awareness")
    assert len(store.stage_history("a1")) == 1


def test_an_account_mrr_follows_its_active_subscriptions(store: Store) -> None:
    store.add_account(Account(id="a1", name="Acme", stage="purchase"))
    store.add(Subscription(id="s1", account_id="a1", mrr_cents=50_000, started_on=date(2025, 1, 1)))
    store.add(Subscription(id="s2", account_id="a1", mrr_cents=20_000, started_on=date(2025, 6, 1)))
    store.add(Subscription(id="s3", account_id="a1", mrr_cents=99_999, started_on=date(2024, 1, 1),
                           ended_on=date(2024, 12, 31), status="cancelled"))
    store.add(Subscription(id="s4", account_id="a1", status="trial", started_on=date(2025, 1, 1)))
    assert store.get_account("a1").mrr_cents == 70_000


def test_rows_for_an_unknown_account_are_refused(store: Store) -> None:
    note = Interaction(id=new_id(), account_id="ghost", kind="note",
                       occurred_at=datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(NotFound, match="ghost"):
        store.add(note)
    assert store.count(Interaction) == 0


def test_a_failed_write_leaves_nothing_half_written(store: Store) -> None:
    store.add_account(Account(id="a1", name="Acme", stage="awareness"))
    with pytest.raises(NotFound):
        with store.transaction():
            store.move_stage("a1", "adoption")
            store.move_stage("ghost", "adoption")
    assert store.get_account("a1").stage == "awareness"
    assert len(store.stage_history("a1")) == 1


def test_board_columns_count_accounts_and_mrr_per_stage(store: Store) -> None:
    for n, stage in enumerate(["awareness", "adoption", "adoption", "churned"]):
        store.add_account(Account(id=f"a{n}", name=f"Co {n}", stage=stage))
    store.add(Subscription(id="s", account_id="a1", mrr_cents=12_300, started_on=date(2025, 1, 1)))
    columns = {column.stage.key: column for column in store.board_columns()}
    assert list(columns) == list(store.lifecycle().keys)
    assert (columns["adoption"].count, columns["adoption"].mrr_cents) == (2, 12_300)
    assert columns["churned"].count == 1 and columns["expansion"].count == 0


def test_board_cards_page_through_a_stage_by_mrr(store: Store) -> None:
    with store.transaction():
        for n in range(25):
            store.add_account(Account(id=f"a{n:02d}", name=f"Co {n}", stage="adoption"))
            store.add(Subscription(id=f"s{n}", account_id=f"a{n:02d}", mrr_cents=n * 100,
                                   started_on=date(2025, 1, 1)))
    first = store.board_cards("adoption", 0, 10)
    rest = store.board_cards("adoption", 10, 100)
    assert [card.mrr_cents for card in first] == [2400 - 100 * i for i in range(10)]
    assert len(rest) == 15 and not {c.account_id for c in first} & {c.account_id for c in rest}


def test_each_thread_gets_its_own_connection(store: Store) -> None:
    import threading

    store.add_account(Account(id="a1", name="Acme", stage="awareness"))
    seen: list[str] = []
    thread = threading.Thread(target=lambda: seen.append(store.get_account("a1").name))
    thread.start()
    thread.join()
    assert seen == ["Acme"]


def test_a_failed_commit_leaves_no_open_transaction(store: Store) -> None:
    import pysqlite3.dbapi2 as sqlite3

    store.add_account(Account(id="a1", name="Acme", stage="awareness"))
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction() as conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")  # the check moves to COMMIT
            conn.execute(
                "INSERT INTO contacts (id, account_id, updated_at) VALUES ('c', 'ghost', 'x')"
            )
    assert not store.conn.in_transaction
    store.move_stage("a1", "adoption")  # a later write is its own transaction, and lands
    assert store.get_account("a1").stage == "adoption"


def test_the_last_move_can_be_undone_but_not_an_older_one(store: Store) -> None:
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=False):
        store.add_account(Account(id="a1", name="Acme", stage="awareness"))
    with time_machine.travel(datetime(2026, 2, 1, tzinfo=UTC), tick=False):
        first = store.move_stage("a1", "purchase")
    second = store.move_stage("a1", "churned", reason="oops, wrong account")
    with pytest.raises(InvalidInput, match="moved again"):
        store.undo_move(first)
    store.undo_move(second)
    account = store.get_account("a1")
    assert account.stage == "purchase"
    assert account.stage_entered_at == datetime(2026, 2, 1, tzinfo=UTC)
    assert [m.to_stage for m in store.stage_history("a1")] == ["awareness", "purchase"]
