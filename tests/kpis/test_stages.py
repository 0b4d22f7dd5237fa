"""Stage analytics on a small hand-built history; every expected value is worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from store import Store
from store.imports.runner import ImportRequest, import_files
from store.kpis.filters import BookFilter
from store.kpis.periods import month
from store.kpis.stages import (
    Direction,
    MoveSummary,
    StageCount,
    Transition,
    accounts_per_stage,
    accounts_per_stage_on,
    days_in_stage,
    direction,
    move_directions,
    stage_transitions,
)
from store.lifecycle import preset
from store.models import Account

MARCH = month(2026, 3)
WHOLE = BookFilter()
CLASSIC = preset("classic")
# awareness, consideration, purchase, activation, adoption, retention, expansion, churned


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _history(store: Store, key: str, segment: str, *moves: tuple[str, str]) -> None:
    """An account entering `moves[0]`'s stage at its time, then moving through the rest."""
    (first, entered), *rest = moves
    store.add_account(Account(id=key, name=key.title(), segment=segment, stage=first,
                              stage_entered_at=_at(entered)))
    for stage, at in rest:
        store.move_stage(key, stage, at=_at(at))


@pytest.fixture
def book(store: Store) -> Store:
    _history(store, "a", "SMB",
             ("awareness", "2026-01-01T00:00:00Z"),
             ("consideration", "2026-01-11T00:00:00Z"),
             ("purchase", "2026-01-31T12:00:00Z"),
             ("activation", "2026-03-01T00:00:00Z"))
    _history(store, "b", "Enterprise",
             ("awareness", "2026-01-05T00:00:00Z"),
             ("consideration", "2026-01-09T00:00:00Z"),
             ("awareness", "2026-03-10T00:00:00Z"),  # backwards
             ("consideration", "2026-03-20T00:00:00Z"))
    _history(store, "c", "SMB",
             ("purchase", "2026-02-01T00:00:00Z"),
             ("churned", "2026-03-01T00:00:00Z"),
             ("purchase", "2026-04-01T00:00:00Z"))  # reactivated the first second of April
    _history(store, "e", "Enterprise",
             ("consideration", "2026-03-01T00:00:00Z"),
             ("purchase", "2026-03-31T23:59:59Z"))  # the last second of March
    _history(store, "d", "SMB", ("awareness", "2026-04-15T00:00:00Z"))
    return store


def _counts(rows: tuple[StageCount, ...]) -> dict[str, int]:
    return {row.stage: row.accounts for row in rows if row.accounts}


# -- accounts per stage -------------------------------------------------------------------

def test_accounts_per_stage_at_the_end_of_a_day(book: Store) -> None:
    rows = accounts_per_stage(book.conn, date(2026, 3, 31), WHOLE, CLASSIC)
    # every stage listed, in the model's order
    assert [row.stage for row in rows] == list(CLASSIC.keys)
    # a activation (03-01), b consideration (03-20), c churned (03-01), e purchase (03-31
    # 23:59:59 is still that day); d enters on 04-15 and is not counted
    assert _counts(rows) == {"consideration": 1, "purchase": 1, "activation": 1, "churned": 1}


def test_accounts_per_stage_around_the_boundaries(book: Store) -> None:
    # 03-30: e still in consideration (it moves the next day at 23:59:59)
    assert _counts(accounts_per_stage(book.conn, date(2026, 3, 30), WHOLE, CLASSIC)) == {
        "consideration": 2, "activation": 1, "churned": 1}
    # 04-01: c reactivated at 00:00:00 -> purchase with e
    assert _counts(accounts_per_stage(book.conn, date(2026, 4, 1), WHOLE, CLASSIC)) == {
        "consideration": 1, "purchase": 2, "activation": 1}
    # 01-31: a moved to purchase at 12:00 that day; b in consideration; c not yet in
    assert _counts(accounts_per_stage(book.conn, date(2026, 1, 31), WHOLE, CLASSIC)) == {
        "consideration": 1, "purchase": 1}
    # 01-30: a and b both in consideration
    assert _counts(accounts_per_stage(book.conn, date(2026, 1, 30), WHOLE, CLASSIC)) == {
        "consideration": 2}
    # before anyone: every stage 0
    before = accounts_per_stage(book.conn, date(2025, 12, 31), WHOLE, CLASSIC)
    assert len(before) == len(CLASSIC.keys) and _counts(before) == {}


def test_accounts_per_stage_follows_the_filter(book: Store) -> None:
    # SMB: a, c, d -> on 03-31 a activation, c churned (d not yet in)
    smb = accounts_per_stage(book.conn, date(2026, 3, 31), BookFilter(segment="SMB"), CLASSIC)
    assert _counts(smb) == {"activation": 1, "churned": 1}


def test_accounts_per_stage_on_many_days_in_one_call(book: Store) -> None:
    # the same days as above, out of order and one twice: answered in the order asked
    days = [date(2026, 4, 1), date(2026, 1, 30), date(2026, 3, 31), date(2026, 1, 30)]
    series = accounts_per_stage_on(book.conn, days, WHOLE, CLASSIC)
    assert [_counts(rows) for rows in series] == [
        {"consideration": 1, "purchase": 2, "activation": 1},
        {"consideration": 2},
        {"consideration": 1, "purchase": 1, "activation": 1, "churned": 1},
        {"consideration": 2},
    ]
    assert all([row.stage for row in rows] == list(CLASSIC.keys) for rows in series)
    # the store's face: month-ends of the SMB accounts a, c, d
    smb = book.stage_counts([date(2026, 2, 28), date(2026, 4, 30)], BookFilter(segment="SMB"))
    # 02-28: a purchase (since 01-31), c purchase (02-01); 04-30: a activation, c purchase
    # (reactivated 04-01), d awareness (04-15)
    assert [_counts(rows) for rows in smb] == [
        {"purchase": 2}, {"awareness": 1, "purchase": 1, "activation": 1}]


def test_imported_accounts_count_from_when_they_entered_their_stage(
        store: Store, tmp_path: Path) -> None:
    # An accounts export records no entry into the book: "x" is in adoption since 2026-02-10
    # and "y" has no stage date (so since it was created: now, after the days asked about).
    first = tmp_path / "accounts.csv"
    first.write_text("id,name,stage,stage_entered_at\n"
                     "x,Xylo,adoption,2026-02-10T09:00:00Z\n"
                     "y,Yew,purchase,\n")
    import_files(store, ImportRequest(kind="accounts", files=[str(first)]))
    days = [date(2026, 2, 9), date(2026, 2, 10), date(2026, 3, 31)]
    assert [_counts(rows) for rows in store.stage_counts(days)] == [
        {}, {"adoption": 1}, {"adoption": 1}]
    # A later export moves x on to retention on 03-15: adoption before, retention after.
    second = tmp_path / "accounts-march.csv"
    second.write_text("id,name,stage,stage_entered_at\n"
                      "x,Xylo,retention,2026-03-15T12:00:00Z\n")
    report = import_files(store, ImportRequest(kind="accounts", files=[str(second)]))
    assert report.files[0].stage_moves == 1
    days = [date(2026, 3, 14), date(2026, 3, 15)]
    assert [_counts(rows) for rows in store.stage_counts(days)] == [
        {"adoption": 1}, {"retention": 1}]
    # the stint in adoption (02-10 09:00 to 03-15 12:00) is a finished one now: 33.1 days
    dwell = {row.stage: row for row in days_in_stage(store.conn, None, WHOLE, CLASSIC)}
    assert dwell["adoption"].stints == 1 and dwell["adoption"].median_days == pytest.approx(
        33.125, abs=0.01)


def test_moving_an_imported_account_keeps_where_it_had_been(store: Store, tmp_path: Path) -> None:
    # x has been in adoption since 2025-06-10 by the export; moved on the board in January
    path = tmp_path / "accounts.csv"
    path.write_text("id,name,stage,stage_entered_at\nx,Xylo,adoption,2025-06-10T09:00:00Z\n")
    import_files(store, ImportRequest(kind="accounts", files=[str(path)]))
    move = store.move_stage("x", "retention", at=datetime(2026, 1, 15, tzinfo=UTC))
    days = [date(2025, 6, 9), date(2025, 7, 31), date(2026, 1, 31)]
    assert [_counts(rows) for rows in store.stage_counts(days)] == [
        {}, {"adoption": 1}, {"retention": 1}]
    # undo puts it back in adoption since June, not since the undo
    store.undo_move(move)
    assert store.get_account("x").stage_entered_at == datetime(2025, 6, 10, 9, tzinfo=UTC)
    assert [_counts(rows) for rows in store.stage_counts(days)] == [
        {}, {"adoption": 1}, {"adoption": 1}]


def test_no_days_asked_no_counts(book: Store) -> None:
    assert book.stage_counts([]) == []


# -- days in stage ------------------------------------------------------------------------

def test_median_days_in_stage_over_the_whole_history(book: Store) -> None:
    dwell = {row.stage: row for row in days_in_stage(book.conn, None, WHOLE, CLASSIC)}
    # awareness: a 01-01 -> 01-11 = 10, b 01-05 -> 01-09 = 4, b 03-10 -> 03-20 = 10
    #   -> [4, 10, 10], median 10
    assert (dwell["awareness"].stints, dwell["awareness"].median_days) == (3, 10.0)
    # consideration: a 01-11 -> 01-31 12:00 = 20.5; b 01-09 -> 03-10 = 22 + 28 + 10 = 60;
    #   e 03-01 -> 03-31 23:59:59 = 30 days + 86 399 s; b's current stint is unfinished
    #   -> median of three = e's
    assert dwell["consideration"].stints == 3
    assert dwell["consideration"].median_days == pytest.approx(30 + 86_399 / 86_400)
    # purchase: a 01-31 12:00 -> 03-01 = 0.5 + 28 = 28.5; c 02-01 -> 03-01 = 28
    #   (c's and e's current stints unfinished) -> (28 + 28.5) / 2 = 28.25
    assert (dwell["purchase"].stints, dwell["purchase"].median_days) == (2, 28.25)
    # churned: c 03-01 -> 04-01 = 31
    assert (dwell["churned"].stints, dwell["churned"].median_days) == (1, 31.0)
    # activation: a is still there -> no finished stint, no data
    assert (dwell["activation"].stints, dwell["activation"].median_days) == (0, None)


def test_days_in_stage_for_a_period_counts_stints_that_ended_in_it(book: Store) -> None:
    dwell = {row.stage: row for row in days_in_stage(book.conn, MARCH, WHOLE, CLASSIC)}
    # ended in March: awareness b 10 (03-20); consideration b 60 (03-10) and e 30 d + 86 399 s
    # (03-31 23:59:59); purchase a 28.5 and c 28 (both 03-01 00:00:00)
    assert (dwell["awareness"].stints, dwell["awareness"].median_days) == (1, 10.0)
    assert dwell["consideration"].median_days == pytest.approx(
        (60 + 30 + 86_399 / 86_400) / 2)
    assert (dwell["purchase"].stints, dwell["purchase"].median_days) == (2, 28.25)
    # c's churned stint ended 04-01 00:00:00: April's, not March's
    assert (dwell["churned"].stints, dwell["churned"].median_days) == (0, None)
    april = {row.stage: row for row in days_in_stage(book.conn, month(2026, 4), WHOLE, CLASSIC)}
    assert (april["churned"].stints, april["churned"].median_days) == (1, 31.0)


def test_days_in_stage_follows_the_filter(book: Store) -> None:
    smb = {row.stage: row.median_days
           for row in days_in_stage(book.conn, None, BookFilter(segment="SMB"), CLASSIC)}
    # SMB (a, c): awareness a 10; consideration a 20.5; purchase a 28.5, c 28 -> 28.25
    assert smb["awareness"] == 10.0
    assert smb["consideration"] == pytest.approx(20.5)
    assert smb["purchase"] == pytest.approx(28.25)


# -- transitions and directions -----------------------------------------------------------

def test_stage_transitions_of_a_period_with_their_shares(book: Store) -> None:
    # March moves: a purchase->activation (03-01 00:00:00), c purchase->churned (03-01),
    # b consideration->awareness (03-10) and awareness->consideration (03-20),
    # e consideration->purchase (03-31 23:59:59); e's entry is not a move, c's return is April
    assert stage_transitions(book.conn, MARCH, WHOLE, CLASSIC) == (
        Transition("awareness", "consideration", 1, 100.0, Direction.FORWARD),
        # 2 moves out of consideration: 1 each -> 50 %
        Transition("consideration", "awareness", 1, 50.0, Direction.BACKWARD),
        Transition("consideration", "purchase", 1, 50.0, Direction.FORWARD),
        # 2 moves out of purchase: 1 each -> 50 %
        Transition("purchase", "activation", 1, 50.0, Direction.FORWARD),
        Transition("purchase", "churned", 1, 50.0, Direction.CHURN),
    )


def test_move_directions_count_backwards_moves_churns_and_reactivations(book: Store) -> None:
    march = move_directions(book.conn, MARCH, WHOLE, CLASSIC)
    # 5 moves: forward awareness->consideration, consideration->purchase, purchase->activation;
    # backward consideration->awareness; churn purchase->churned
    assert march == MoveSummary(
        moves=5, forward=3, backward=1, churns=1, reactivations=0, other=0,
        backward_transitions=(
            Transition("consideration", "awareness", 1, 50.0, Direction.BACKWARD),),
    )
    # April: c churned->purchase (04-01 00:00:00); d's entry on 04-15 is not a move
    april = move_directions(book.conn, month(2026, 4), WHOLE, CLASSIC)
    assert (april.moves, april.reactivations, april.forward, april.backward) == (1, 1, 0, 0)


def test_transitions_follow_the_filter(book: Store) -> None:
    # SMB in March: a purchase->activation, c purchase->churned -> 50 % each
    smb = stage_transitions(book.conn, MARCH, BookFilter(segment="SMB"), CLASSIC)
    assert [(t.from_stage, t.to_stage, t.moves, t.share) for t in smb] == [
        ("purchase", "activation", 1, 50.0), ("purchase", "churned", 1, 50.0)]
    # Enterprise in March: b back and forth, e forward -> 1 backward of 3 moves
    enterprise = move_directions(book.conn, MARCH, BookFilter(segment="Enterprise"), CLASSIC)
    assert (enterprise.moves, enterprise.forward, enterprise.backward, enterprise.churns) == (
        3, 2, 1, 0)


def test_direction_uses_the_main_path_of_the_given_lifecycle() -> None:
    assert direction(CLASSIC, "awareness", "adoption") is Direction.FORWARD  # skipping is fine
    assert direction(CLASSIC, "expansion", "retention") is Direction.BACKWARD
    assert direction(CLASSIC, "activation", "churned") is Direction.CHURN
    assert direction(CLASSIC, "churned", "awareness") is Direction.REACTIVATION
    assert direction(CLASSIC, "legacy", "adoption") is Direction.OTHER
    six = preset("six")  # acquisition, onboarding, adoption, retention, expansion, referral
    assert direction(six, "onboarding", "acquisition") is Direction.BACKWARD
    assert direction(six, "expansion", "referral") is Direction.FORWARD


def test_a_book_without_history_has_empty_tables(store: Store) -> None:
    rows = accounts_per_stage(store.conn, date(2026, 3, 31), WHOLE, CLASSIC)
    assert [row.accounts for row in rows] == [0] * len(CLASSIC.keys)
    assert all(row.stints == 0 and row.median_days is None
               for row in days_in_stage(store.conn, MARCH, WHOLE, CLASSIC))
    assert stage_transitions(store.conn, MARCH, WHOLE, CLASSIC) == ()
    assert move_directions(store.conn, MARCH, WHOLE, CLASSIC) == MoveSummary(
        0, 0, 0, 0, 0, 0, ())
