"""Issue 14 item 27: an account's current stage is its latest move, in every face.

Importing stage history keeps `accounts.stage` equal to the latest move; the funnel counts
imported moves that say nothing of where the account came from; `retain accounts --stage` and
`retain funnel` agree; a book written before this was kept is repaired when it is opened."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from store import Store
from store.migrations import MIGRATIONS
from tests.imports.conftest import summary

ACCOUNTS = "id,name,stage\na1,Acme,purchase\na2,Globex,adoption\na3,Initech,churned\n"
HISTORY = ("account_id,from_stage,to_stage,moved_at\n"
           "a1,,churned,2024-06-10\n"
           "a2,,churned,2024-06-15\n"
           "a2,churned,retention,2024-08-01\n")


def _json(result: Result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _listed(cli: Callable[..., Result], stage: str) -> list[str]:
    result = cli("accounts", "--stage", stage, "--json")
    if result.exit_code == 1:  # nothing matched
        return []
    rows = _json(result)
    return sorted(row["key"] for row in rows)  # type: ignore[union-attr]


def _funnel_today(cli: Callable[..., Result]) -> dict[str, int]:
    report = _json(cli("funnel", "--json"))
    return {row["stage"]: row["accounts"] for row in report["per_stage"]}  # type: ignore[index]


def assert_list_and_funnel_agree(cli: Callable[..., Result], stages: list[str]) -> None:
    """Every stage has as many accounts in `retain accounts` as in `retain funnel` today."""
    funnel = _funnel_today(cli)
    listed = {stage: len(_listed(cli, stage)) for stage in stages}
    assert listed == {stage: funnel.get(stage, 0) for stage in stages}


def _book(cli: Callable[..., Result], write: Callable[[str, str], Path]) -> None:
    assert cli("init").exit_code == 0
    assert cli("import", "accounts", str(write("accounts.csv", ACCOUNTS))).exit_code == 0
    result = cli("import", "stages", str(write("history.csv", HISTORY)), "--json")
    assert summary(result)["stages_set"] == 2  # a1 churned, a2 back in retention


def test_imported_history_sets_the_current_stage_everywhere(cli, write) -> None:  # type: ignore[no-untyped-def]
    _book(cli, write)
    assert _listed(cli, "churned") == ["a1", "a3"]
    assert _listed(cli, "retention") == ["a2"]
    assert _listed(cli, "purchase") == []
    assert_list_and_funnel_agree(cli, ["purchase", "adoption", "retention", "churned"])
    shown = cli("show", "a1")
    assert "stage churned" in shown.stdout and "stage purchase" not in shown.stdout
    assert "(unknown) → churned" in shown.stdout  # an imported churn, not an entry


def test_the_funnel_counts_imported_moves_with_no_from_stage(cli, write) -> None:  # type: ignore[no-untyped-def]
    _book(cli, write)
    june = _json(cli("funnel", "--period", "2024-06", "--json"))["moves"]  # type: ignore[index]
    assert (june["moves"], june["churns"]) == (2, 2)
    assert "Moves in 2024-06: 2 (0 forward, 0 backward, 2 churns" in cli(
        "funnel", "--period", "2024-06").stdout
    august = _json(cli("funnel", "--period", "2024-08", "--json"))["moves"]  # type: ignore[index]
    assert august["reactivations"] == 1


def test_an_account_s_own_entry_is_still_not_a_move(cli, write, store) -> None:  # type: ignore[no-untyped-def]
    """Accounts added in the app enter with a move from no stage: not counted as a move."""
    from datetime import UTC, datetime

    from store.models import Account

    store.add_account(Account(id="new", name="New Co", stage="awareness",
                              stage_entered_at=datetime(2024, 6, 3, tzinfo=UTC)))
    june = _json(cli("funnel", "--period", "2024-06", "--json"))["moves"]  # type: ignore[index]
    assert june["moves"] == 0


def test_create_accounts_from_history_takes_the_history_s_stage(cli, write) -> None:  # type: ignore[no-untyped-def]
    assert cli("init").exit_code == 0
    path = write("history.csv", HISTORY)
    assert cli("import", "stages", str(path), "--create-accounts").exit_code == 0
    assert _listed(cli, "churned") == ["a1"]
    assert _listed(cli, "retention") == ["a2"]
    assert_list_and_funnel_agree(cli, ["purchase", "retention", "churned"])


def test_opening_an_older_book_repairs_its_current_stages(cli, book_path) -> None:  # type: ignore[no-untyped-def]
    """A book at the schema before the repair, whose imported history left a1 and a2 behind."""
    from store.database import connect
    from store.lifecycle import preset
    from store.migrations import _008_current_stage_is_latest_move, migrate

    older = MIGRATIONS[:MIGRATIONS.index(_008_current_stage_is_latest_move)]
    for suffix in ("", "-wal", "-shm"):  # not the book `retain init` made for the import tests
        Path(f"{book_path}{suffix}").unlink(missing_ok=True)
    conn = connect(book_path)
    migrate(conn, book_path, older)
    conn.close()
    conn = sqlite3.connect(str(book_path))
    with conn:
        conn.executemany(
            "INSERT INTO stages (key, label, phase, position, terminal, updated_at) "
            "VALUES (?, ?, ?, ?, ?, '2024-01-01T00:00:00Z')",
            [(stage.key, stage.label, stage.phase.value, n, int(stage.terminal))
             for n, stage in enumerate(preset("classic").stages)])
        conn.executemany(
            "INSERT INTO accounts (id, name, stage, stage_entered_at, created_at, updated_at) "
            "VALUES (?, ?, ?, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', "
            "'2024-01-01T00:00:00Z')",
            [("a1", "Acme", "purchase"), ("a2", "Globex", "adoption"), ("a3", "Initech", "churned")])
        conn.executemany(
            "INSERT INTO stage_history (id, account_id, from_stage, to_stage, moved_at, source, "
            "updated_at) VALUES (?, ?, ?, ?, ?, 'import', '2024-09-01T00:00:00Z')",
            [("m1", "a1", None, "churned", "2024-06-10T00:00:00Z"),
             ("m2", "a2", None, "churned", "2024-06-15T00:00:00Z"),
             ("m3", "a2", "churned", "retention", "2024-08-01T00:00:00Z")])
    conn.close()
    with Store.open(book_path) as store:
        assert store.backup_path is not None
        assert store.get_account("a1").stage == "churned"
        assert store.get_account("a2").stage == "retention"
        assert store.get_account("a3").stage == "churned"  # no history: as it was
        assert store.get_account("a1").stage_entered_at.date().isoformat() == "2024-06-10"
    assert_list_and_funnel_agree(cli, ["purchase", "adoption", "retention", "churned"])

STAGES = ["awareness", "purchase", "adoption", "retention", "churned"]


@st.composite
def _histories(draw: st.DrawFn) -> tuple[str, str]:
    """An accounts file and a stage-history file for it: random stages, random moves (some
    with a from-stage, some without, some on the same day)."""
    count = draw(st.integers(1, 6))
    accounts = "id,name,stage\n" + "".join(
        f"a{n},Account {n},{draw(st.sampled_from(STAGES))}\n" for n in range(count))
    moves = draw(st.lists(st.tuples(st.integers(0, count - 1), st.sampled_from(["", *STAGES]),
                                    st.sampled_from(STAGES), st.integers(0, 40)),
                          min_size=1, max_size=15, unique=True))
    history = "account_id,from_stage,to_stage,moved_at\n" + "".join(
        f"a{n},{source},{target},2024-{1 + day // 28:02d}-{1 + day % 28:02d}\n"
        for n, source, target, day in moves)
    return accounts, history


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=_histories())
def test_accounts_and_funnel_agree_on_any_imported_history(tmp_path: Path,
                                                           files: tuple[str, str]) -> None:
    """Whatever the history, every stage has as many accounts in the list as in the funnel."""
    from store.account_list import AccountFilter, list_accounts
    from store.clock import utc_now
    from store.imports.runner import ImportRequest, import_files
    from store.kpis.filters import BookFilter
    from store.kpis.stages import accounts_per_stage
    from store.models.views import AccountRow

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    accounts, history = folder / "accounts.csv", folder / "history.csv"
    accounts.write_text(files[0], encoding="utf-8")
    history.write_text(files[1], encoding="utf-8")
    with Store.open(folder / "book.db") as store:
        import_files(store, ImportRequest("accounts", [str(accounts)]))
        import_files(store, ImportRequest("stages", [str(history)]))
        today = utc_now().date()
        rows: list[AccountRow] = list_accounts(store.conn, AccountFilter(), today)
        listed = {stage: sum(row.stage == stage for row in rows) for stage in STAGES}
        funnel = {count.stage: count.accounts for count in accounts_per_stage(
            store.conn, today, BookFilter(), store.lifecycle())}
        assert listed == {stage: funnel.get(stage, 0) for stage in STAGES}
