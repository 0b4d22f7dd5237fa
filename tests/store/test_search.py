"""Full-text search: what a CSM types finds account names, interactions, tasks and comments."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from store import InvalidInput, Store
from store.database import connect
from store.migrations import MIGRATIONS, migrate
from store.models import Account, Interaction, SurveyAnswer, Task

WHEN = datetime(2026, 10, 5, 9, tzinfo=UTC)


@pytest.fixture
def book(store: Store) -> Store:
    store.add_account(Account(id="zr", name="Zürich Rück AG", stage="adoption"))
    store.add_account(Account(id="acme", name="Acme Corp", stage="retention"))
    store.add(Interaction(id="i1", account_id="acme", kind="call", occurred_at=WHEN,
                          summary="Walked Maya through the renewal paperwork"))
    store.add(Interaction(id="i2", account_id="zr", kind="email",
                          occurred_at=datetime(2026, 11, 1, tzinfo=UTC),
                          summary="Renewal quote sent"))
    store.add_task(Task(id="task-1", account_id="acme", title="Chase the signed order form",
                        due_on=date(2026, 12, 1)))
    store.add(SurveyAnswer(id="s1", account_id="zr", kind="nps", score=4,
                           answered_at=WHEN, comment="Onboarding was slow"))
    return store


def _found(store: Store, text: str) -> list[tuple[str, str]]:
    return [(hit.kind, hit.account_id) for hit in store.search(text)]


def test_each_kind_of_text_is_found_with_its_account_and_day(book: Store) -> None:
    assert _found(book, "paperwork") == [("interaction", "acme")]
    assert _found(book, "signed order") == [("task", "acme")]
    assert _found(book, "slow") == [("answer", "zr")]
    hit = book.search("slow")[0]
    assert (hit.account_name, hit.snippet, hit.on) == ("Zürich Rück AG", "Onboarding was slow",
                                                       date(2026, 10, 5))


def test_a_hit_names_the_row_found_as_the_timeline_does(book: Store) -> None:
    assert [hit.ref for hit in book.search("paperwork slow zurich")] == []
    assert book.search("paperwork")[0].ref == "i1"
    assert book.search("slow")[0].ref == "s1"
    refs = {entry.ref for entry in book.timeline("acme")}
    assert "i1" in refs


def test_names_come_first_then_the_newest_texts(book: Store) -> None:
    book.add_account(Account(id="rh", name="Renewal Heroes", stage="adoption"))
    assert _found(book, "renewal") == [("account", "rh"), ("interaction", "zr"),
                                       ("interaction", "acme")]


def test_case_accents_and_word_starts_are_forgiven(book: Store) -> None:
    assert _found(book, "ZURICH") == [("account", "zr")]
    assert _found(book, "renew") == [("interaction", "zr"), ("interaction", "acme")]
    assert _found(book, "ruck zur") == [("account", "zr")]  # every word, in any order


def test_what_the_user_types_is_never_query_syntax(book: Store) -> None:
    assert _found(book, 'paperwork" OR "slow') == []  # words: paperwork, OR, slow — not a union
    assert _found(book, "NEAR(paperwork*") == []
    with pytest.raises(InvalidInput, match="at least one word"):
        book.search('"*()')


def test_the_index_follows_every_write(book: Store) -> None:
    with book.transaction() as conn:
        conn.execute("UPDATE interactions SET summary = 'Sent the contract' WHERE id = 'i1'")
        conn.execute("UPDATE accounts SET name = 'Acme Holdings' WHERE id = 'acme'")
    assert _found(book, "paperwork") == []
    assert _found(book, "contract") == [("interaction", "acme")]
    assert _found(book, "holdings") == [("account", "acme")]
    book.complete_task("task-1")  # an update of another column keeps the title findable
    assert _found(book, "order form") == [("task", "acme")]
    with book.transaction() as conn:
        conn.execute("DELETE FROM accounts WHERE id = 'zr'")  # cascades to its rows
    assert _found(book, "slow") == [] and _found(book, "quote") == []


def test_an_upgraded_book_has_its_existing_rows_indexed(book_path: Path) -> None:
    conn = connect(book_path)
    migrate(conn, book_path, MIGRATIONS[:-1])
    conn.execute("INSERT INTO stages (key, label, phase, position, terminal, updated_at) "
                 "VALUES ('adoption', 'Adoption', 'engagement', 1, 0, '2026-01-01T00:00:00Z')")
    conn.execute("INSERT INTO accounts (id, name, stage, stage_entered_at, created_at, "
                 "updated_at) VALUES ('old', 'Oldtimer Ltd', 'adoption', '2026-01-01T00:00:00Z', "
                 "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
    conn.close()
    with Store.open(book_path) as store:
        assert _found(store, "oldtimer") == [("account", "old")]


def test_a_long_text_is_cut_around_the_word_found(book: Store) -> None:
    words = " ".join(f"word{n}" for n in range(60))
    book.add(Interaction(id="i3", account_id="acme", kind="note", occurred_at=WHEN,
                         summary=f"{words} escalation\nraised {words}"))
    (hit,) = book.search("escalat")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "escalation raised" in hit.snippet and "\n" not in hit.snippet
    assert len(hit.snippet) <= 102
