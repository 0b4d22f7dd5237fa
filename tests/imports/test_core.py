"""Identity, idempotency, all-or-nothing, --skip-invalid, dry runs and the import record."""

from __future__ import annotations

import json
from pathlib import Path

from tests.imports.conftest import ACCOUNTS_CSV, book_bytes, summary

INTERACTIONS = (
    "Customer ID,Type,Date,Subject\n"
    "ACC-1,call,2024-05-01T10:00:00Z,Kick-off\n"
    "ACC-2,email,2024-05-02 09:30,Renewal question\n"
)


def _counts(result) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    file = summary(result)["files"][0]
    return file["new"], file["updated"], file["unchanged"], file["rejected"]


def test_accounts_then_interactions_by_synonym(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    assert cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV))).exit_code == 0
    result = cli("import", "interactions", str(write("i.csv", INTERACTIONS)), "--json")
    assert result.exit_code == 0, result.output
    assert _counts(result) == (2, 0, 0, 0)
    rows = query("SELECT account_id, kind, occurred_at, summary FROM interactions ORDER BY occurred_at")
    assert rows == [("ACC-1", "call", "2024-05-01T10:00:00Z", "Kick-off"),
                    ("ACC-2", "email", "2024-05-02T09:30:00Z", "Renewal question")]


def test_reimport_changes_nothing_and_an_edit_updates_one_row(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    path = write("i.csv", INTERACTIONS)
    cli("import", "interactions", str(path))
    again = cli("import", "interactions", str(path), "--json")
    assert _counts(again) == (0, 0, 2, 0)
    plain = cli("import", "interactions", str(path))
    assert "nothing changed" in plain.stderr
    accounts = write("a2.csv", "id,name,stage,plan\nACC-1,Acme Inc,adoption,Pro\nACC-2,Globex,retention,\n")
    result = cli("import", "accounts", str(accounts), "--json")
    assert _counts(result) == (0, 1, 1, 0)  # only ACC-1 differs (ACC-2 had no plan before either)
    stamps = dict(query("SELECT id, updated_at FROM accounts"))
    again = cli("import", "accounts", str(accounts), "--json")
    assert _counts(again) == (0, 0, 2, 0)
    assert dict(query("SELECT id, updated_at FROM accounts")) == stamps


def test_an_account_whose_stage_changes_gets_a_stage_move(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    moved = write("b.csv", "id,name,stage\nACC-1,Acme,churned\nACC-2,Globex,retention\n")
    result = cli("import", "accounts", str(moved), "--json")
    assert _counts(result) == (0, 1, 1, 0)
    assert summary(result)["files"][0]["stage_moves"] == 1
    # (the account's entry into adoption is recorded too when the imports are seconds apart)
    assert query("SELECT from_stage, to_stage, source FROM stage_history "
                 "WHERE from_stage IS NOT NULL") == [("adoption", "churned", "import")]
    assert query("SELECT stage FROM accounts WHERE id = 'ACC-1'") == [("churned",)]


def test_one_bad_row_writes_nothing(cli, write, book_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    before = book_bytes(book_path)
    bad = write("i.csv", INTERACTIONS + "ACC-1,telepathy,2024-05-03,Hmm\n")
    result = cli("import", "interactions", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:4: column 'Type': must be one of 'call'" in result.stderr
    assert "1 invalid row(s); nothing was written" in result.stderr
    assert "Traceback" not in result.output
    assert book_bytes(book_path) == before


def test_unknown_account_is_an_error_unless_create_accounts(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    path = write("i.csv", INTERACTIONS)
    refused = cli("import", "interactions", str(path))
    assert refused.exit_code == 2
    assert "column 'Customer ID': no account with key 'ACC-1'" in refused.stderr
    created = cli("import", "interactions", str(path), "--create-accounts", "--json")
    assert created.exit_code == 0 and summary(created)["accounts_created"] == 2
    assert query("SELECT count(*) FROM accounts") == [(2,)]


def test_only_the_first_twenty_errors_are_listed(cli, write) -> None:  # type: ignore[no-untyped-def]
    rows = "".join(f"ACC-{n},,adoption\n" for n in range(25))
    result = cli("import", "accounts", str(write("a.csv", "id,name,stage\n" + rows)))
    errors = [line for line in result.stderr.splitlines() if "column 'name'" in line]
    assert len(errors) == 20
    assert "25 invalid row(s); nothing was written (5 more not shown)" in result.stderr


def test_skip_invalid_writes_good_rows_and_a_rejects_file(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    bad_line = "ACC-1,call,not a date,Broken"
    path = write("i.csv", INTERACTIONS + bad_line + "\n")
    result = cli("import", "interactions", str(path), "--skip-invalid", "--json")
    assert result.exit_code == 0, result.output
    assert _counts(result) == (2, 0, 0, 1)
    rejects = path.with_name("i.csv.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[0] == "Customer ID,Type,Date,Subject,reason"
    assert rejects[1].startswith(bad_line + ",")
    assert "column 'Date'" in rejects[1]
    assert query("SELECT count(*) FROM interactions") == [(2,)]
    assert query("SELECT status, rejected_count FROM imports WHERE kind = 'interactions'") == [
        ("partial", 1)]


def test_dry_run_prints_the_mapping_and_writes_nothing(cli, write, book_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    before = book_bytes(book_path)
    result = cli("import", "interactions", str(write("i.csv", INTERACTIONS)), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "'Customer ID' -> account_id" in result.stdout
    assert "'Subject' -> summary" in result.stdout
    assert "would import" in result.stdout and "2 new" in result.stdout
    assert book_bytes(book_path) == before


def test_imports_are_recorded_and_listed(cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.csv", ACCOUNTS_CSV)
    cli("import", "accounts", str(path))
    cli("import", "accounts", str(path))
    listed = json.loads(cli("imports", "--json").stdout)
    assert [(row["kind"], row["new_count"], row["unchanged_count"]) for row in listed] == [
        ("accounts", 0, 2), ("accounts", 2, 0)]
    import hashlib

    assert listed[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert listed[0]["started_at"] <= listed[0]["finished_at"]
    assert "accounts" in cli("imports").stdout


def test_subscriptions_refresh_account_mrr(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    subs = write("s.csv", "subscription_id,customer_id,MRR,start_date,end_date\n"
                          "S1,ACC-1,\"1,200.50\",2024-01-01,\nS2,ACC-1,$99,2024-01-01,2024-02-01\n"
                          "S3,ACC-2,49.99,2024-03-01,\n")
    result = cli("import", "subscriptions", str(subs), "--json")
    assert result.exit_code == 0, result.output
    assert query("SELECT id, mrr_cents, status FROM subscriptions ORDER BY id") == [
        ("S1", 120050, "active"), ("S2", 9900, "cancelled"), ("S3", 4999, "active")]
    assert query("SELECT id, mrr_cents FROM accounts ORDER BY id") == [("ACC-1", 120050),
                                                                        ("ACC-2", 4999)]


def test_missing_file_is_not_found(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "accounts", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_an_unknown_contact_is_named_with_its_line(cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    text = "account_id,kind,occurred_at,contact_id\nACC-1,call,2024-01-01,C-404\n"
    result = cli("import", "interactions", str(write("i.csv", text)))
    assert result.exit_code == 2
    assert ":2: column 'contact_id': no contact with id 'C-404'; import contacts first" in result.stderr


def test_dry_run_with_bad_rows_reports_counts_and_errors(cli, write, book_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    before = book_bytes(book_path)
    path = write("i.csv", INTERACTIONS + "ACC-9,call,2024-05-03,Who?\n")
    result = cli("import", "interactions", str(path), "--dry-run")
    assert result.exit_code == 2
    assert "would import" in result.stdout and "2 new" in result.stdout and "1 rejected" in result.stdout
    assert f"{path}:4: column 'Customer ID': no account with key 'ACC-9'" in result.stderr
    assert "this import would write nothing" in result.stderr
    as_json = cli("import", "interactions", str(path), "--dry-run", "--json")
    assert as_json.exit_code == 2 and summary(as_json)["ok"] is False
    assert book_bytes(book_path) == before


def test_a_missing_required_column_is_named_before_any_row(cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    result = cli("import", "interactions", str(write("i.csv", "account_id,kind\nACC-1,call\n")))
    assert result.exit_code == 2
    assert "no column for 'occurred_at' (its columns: 'account_id', 'kind'); choose one with --map COLUMN=occurred_at" in result.stderr
    assert result.stderr.count("\n") == 1


def test_several_files_in_one_run_are_each_recorded(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    first = write("a.csv", ACCOUNTS_CSV)
    second = write("b.json", '[{"id": "ACC-3", "name": "Initech", "stage": "purchase"}]')
    result = cli("import", "accounts", str(first), str(second), "--json")
    assert result.exit_code == 0, result.output
    assert [file["new"] for file in summary(result)["files"]] == [2, 1]
    assert query("SELECT file_name FROM imports ORDER BY file_name") == [(str(first),), (str(second),)]
