"""Each account's last touch (tickets aside), kept at write time for Today's cadence rule,
always equals what the raw interactions say: after random logs, imports (new rows and rows
re-imported with another kind, time or account), deletes of interactions and of accounts, and
after the migration rebuilds it for a book written before it existed."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Store
from store.imports.runner import ImportRequest, import_files
from store.migrations import MIGRATIONS, _010_account_last_touch, migrate
from store.models import Account, Interaction

ACCOUNTS = ["a1", "a2", "a3", "a4"]
KINDS = ["call", "email", "ticket", "note"]
START = datetime(2026, 1, 1, tzinfo=UTC)
RAW = ("SELECT account_id, max(occurred_at) FROM interactions WHERE kind != 'ticket' "
       "GROUP BY account_id ORDER BY account_id")
DERIVED = "SELECT account_id, last_touch FROM account_last_touch ORDER BY account_id"

_interaction = st.tuples(st.integers(0, 9), st.sampled_from(ACCOUNTS), st.sampled_from(KINDS),
                         st.integers(0, 400))
_step = st.one_of(
    st.tuples(st.just("log"), _interaction),
    st.tuples(st.just("import"), st.lists(_interaction, min_size=1, max_size=6)),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("delete_account"), st.sampled_from(ACCOUNTS)),
)


def _at(day: int) -> datetime:
    return START + timedelta(days=day, minutes=day % 7)


def _book(folder: Path) -> Store:
    store = Store.open(folder / "book.db")
    for key in ACCOUNTS:
        store.add_account(Account(id=key, name=f"Account {key}", stage="retention"))
    return store


def _apply(store: Store, folder: Path, step: tuple[str, object], number: int) -> None:
    action, what = step
    existing = {row[0] for row in store.conn.execute("SELECT id FROM accounts")}
    if action == "log":
        index, account, kind, day = what  # type: ignore[misc]
        if account in existing:
            store.log_interaction(Interaction(id=f"log-{number}", account_id=account, kind=kind,
                                              occurred_at=_at(day)))
    elif action == "import":
        rows = {f"i{index}": (account, kind, day) for index, account, kind, day in what
                if account in existing}  # type: ignore[union-attr]
        if rows:
            path = folder / f"import-{number}.csv"
            path.write_text("id,account_id,kind,occurred_at\n" + "".join(
                f"{key},{account},{kind},{_at(day).strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
                for key, (account, kind, day) in rows.items()), encoding="utf-8")
            import_files(store, ImportRequest("interactions", [str(path)]))
    elif action == "delete":
        with store.transaction() as conn:
            conn.execute("DELETE FROM interactions WHERE id IN (?, ?)",
                         (f"i{what}", f"log-{what}"))
    else:
        with store.transaction() as conn:
            conn.execute("DELETE FROM accounts WHERE id = ?", (what,))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(_step, min_size=1, max_size=12))
def test_last_touch_equals_the_raw_interactions_after_any_writes(
        tmp_path: Path, steps: list[tuple[str, object]]) -> None:
    """Whatever is logged, imported, re-imported or deleted, the kept last touch is the raw one."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    with _book(folder) as store:
        for number, step in enumerate(steps):
            _apply(store, folder, step, number)
            assert store.conn.execute(DERIVED).fetchall() == store.conn.execute(RAW).fetchall()


def test_the_migration_backfills_a_book_written_before_it(tmp_path: Path) -> None:
    """A book at the previous version, with interactions, gets every account's last touch."""
    path = tmp_path / "old.db"
    older = MIGRATIONS[:MIGRATIONS.index(_010_account_last_touch)]
    conn = sqlite3.connect(str(path), isolation_level=None)
    migrate(conn, path, older)
    conn.execute("INSERT INTO accounts (id, name, stage, stage_entered_at, created_at, "
                 "updated_at) SELECT column1, column2, 'retention', :t, :t, :t FROM (VALUES "
                 "('a1', 'One'), ('a2', 'Two'))", {"t": "2026-01-01T00:00:00Z"})
    conn.execute("INSERT INTO interactions (id, account_id, kind, occurred_at, updated_at) "
                 "VALUES ('x1', 'a1', 'call', '2026-02-01T10:00:00Z', '2026-01-01T00:00:00Z'), "
                 "('x2', 'a1', 'ticket', '2026-03-01T10:00:00Z', '2026-01-01T00:00:00Z'), "
                 "('x3', 'a2', 'ticket', '2026-03-01T10:00:00Z', '2026-01-01T00:00:00Z')")
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute(DERIVED).fetchall() == [("a1", "2026-02-01T10:00:00Z")]
        with store.transaction() as conn:  # running it again changes nothing
            _010_account_last_touch(conn)
        assert store.conn.execute(DERIVED).fetchall() == [("a1", "2026-02-01T10:00:00Z")]
