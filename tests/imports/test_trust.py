"""Issue 14's import items: nothing dropped or merged without a word, messages that point the right way."""

from __future__ import annotations

import json
import os
import stat
import tomllib

import pytest

from tests.imports.conftest import ACCOUNTS_CSV, book_bytes, summary


def _file(result) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return summary(result)["files"][0]


def _accounts(cli, write) -> None:  # type: ignore[no-untyped-def]
    assert cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV))).exit_code == 0


# -- 1. JSON Lines: every key of every record is a column ----------------------------------------

def test_a_jsonl_field_that_first_appears_after_record_1000_is_imported(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    records = [{"id": f"A{n}", "name": f"Account {n}"} for n in range(1500)]
    for record in records[1200:]:
        record["owner"] = "Dana"
    path = write("late.jsonl", "".join(json.dumps(record) + "\n" for record in records))
    result = cli("import", "accounts", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert query("SELECT count(*) FROM accounts WHERE owner = 'Dana'") == [(300,)]
    assert query("SELECT owner FROM accounts WHERE id = 'A1300'") == [("Dana",)]


# -- 2. identical id-less rows are separate facts ------------------------------------------------

def test_two_identical_nps_answers_are_two_answers_and_a_reimport_changes_nothing(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    text = ("account_id,kind,score,answered_at\nACC-1,nps,9,2024-05-01\nACC-1,nps,9,2024-05-01\n"
            "ACC-1,nps,9,2024-05-01\nACC-2,nps,3,2024-05-01\n")
    path = write("nps.csv", text)
    first = cli("import", "surveys", str(path), "--json")
    assert (_file(first)["new"], _file(first)["updated"], _file(first)["unchanged"]) == (4, 0, 0)
    assert _file(first)["repeated"] == 2
    assert query("SELECT count(*) FROM survey_answers WHERE account_id = 'ACC-1'") == [(3,)]
    plain = cli("import", "surveys", str(path))
    assert "0 new, 0 updated, 4 unchanged" in plain.stdout
    again = cli("import", "surveys", str(path), "--json")
    assert (_file(again)["new"], _file(again)["unchanged"]) == (0, 4)


def test_identical_interactions_are_kept_and_the_summary_says_so(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    text = "account_id,kind,occurred_at,summary\n" + "ACC-1,call,2024-05-01T10:00:00Z,Hi\n" * 2
    result = cli("import", "interactions", str(write("i.csv", text)))
    assert result.exit_code == 0
    assert "2 new, 0 updated, 0 unchanged" in result.stdout
    assert "1 repeat an earlier row: kept as separate interactions" in result.stdout
    assert query("SELECT count(*) FROM interactions") == [(2,)]


# -- 3. same-day usage: kept, so its events add up -----------------------------------------------

def test_usage_rows_of_one_account_feature_and_day_are_all_kept(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    text = ("account_id,used_on,feature,events\nACC-1,2024-05-01,export,3\n"
            "ACC-1,2024-05-01,export,4\nACC-1,2024-05-01,export,3\n")
    result = cli("import", "usage", str(write("u.csv", text)), "--json")
    assert (_file(result)["new"], _file(result)["updated"]) == (3, 0)
    assert query("SELECT count(*), sum(events) FROM usage") == [(3, 10)]
    plain = cli("import", "usage", str(write("u2.csv", text.replace("2024-05-01", "2024-05-02"))))
    assert "kept as separate usage rows, whose events add up" in plain.stdout


# -- 4. a status derived from a date is derived after the column's date order is settled ------

def test_an_ended_subscription_is_cancelled_whatever_the_date_style(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    # 8/17/2024 settles the column as month-first only once line 3 is read.
    slash = "id,account_id,started_on,ended_on,mrr\nS1,ACC-1,1/2/2024,2/3/2024,10\nS2,ACC-2,1/2/2024,8/17/2024,20\n"
    assert cli("import", "subscriptions", str(write("s.csv", slash))).exit_code == 0
    assert query("SELECT id, status, started_on, ended_on FROM subscriptions ORDER BY id") == [
        ("S1", "cancelled", "2024-01-02", "2024-02-03"),
        ("S2", "cancelled", "2024-01-02", "2024-08-17")]


# -- 5. stage keys and labels match whatever their case and spacing ----------------------------

def test_stage_names_match_keys_and_labels_in_any_case(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    text = "id,name,stage\nA1,Acme,Churned\nA2,Globex, RETENTION \nA3,Initech,Adoption\n"
    result = cli("import", "accounts", str(write("a.csv", text)))
    assert result.exit_code == 0, result.stderr
    assert query("SELECT id, stage FROM accounts ORDER BY id") == [
        ("A1", "churned"), ("A2", "retention"), ("A3", "adoption")]
    moves = "account_id,to_stage,moved_at\nA3,Expansion,2024-06-01T00:00:00Z\n"
    assert cli("import", "stages", str(write("m.csv", moves))).exit_code == 0
    assert query("SELECT to_stage FROM stage_history WHERE account_id = 'A3' "
                 "AND moved_at LIKE '2024-06%'") == [("expansion",)]


# -- 6. the counts describe the book: a repeated derived key says so --------------------------

def test_a_file_repeating_a_derived_key_says_so_instead_of_updated(cli, write, book_path) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    before = book_bytes(book_path)
    text = "account_id,source,channel\nACC-1,ads,google\nACC-1,referral,partner\n"
    result = cli("import", "acquisition", str(write("acq.csv", text)))
    assert result.exit_code == 2
    assert "acq.csv:3: repeats line 2 (the same account_id)" in result.stderr
    assert book_bytes(book_path) == before


# -- 7. one column may feed two fields ------------------------------------------------------------

def test_one_column_mapped_to_two_fields(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    path = write("names.csv", "account,plan\nAcme,Pro\nGlobex,Free\n")
    result = cli("import", "accounts", str(path), "--map", "account=id", "--map", "account=name")
    assert result.exit_code == 0, result.stderr
    assert query("SELECT id, name, plan FROM accounts ORDER BY id") == [
        ("Acme", "Acme", "Pro"), ("Globex", "Globex", "Free")]


def test_a_saved_mapping_keeps_a_column_that_feeds_two_fields(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    path = write("names.csv", "account,plan\nAcme,Pro\n")
    done = cli("import", "accounts", str(path), "--map", "account=id", "--map", "account=name",
               "--save-mapping", "bare")
    assert done.exit_code == 0, done.stderr
    again = cli("import", "accounts", str(write("more.csv", "account,plan\nGlobex,Pro\n")),
                "--mapping", "bare")
    assert again.exit_code == 0, again.stderr
    assert query("SELECT id, name FROM accounts ORDER BY id") == [("Acme", "Acme"), ("Globex", "Globex")]


# -- 8. a blank account cell is named as blank, and counted ---------------------------------------

def test_a_blank_account_cell_is_called_blank_and_counted(cli, write) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    text = "Customer,kind,occurred_at\nACC-1,call,2024-05-01\n,call,2024-05-02\n ,call,2024-05-03\n"
    result = cli("import", "interactions", str(write("i.csv", text)), "--map", "Customer=account_id")
    assert result.exit_code == 2
    assert "i.csv:3: column 'Customer': is blank; every row needs an account" in result.stderr
    assert "map a column to account_id" not in result.stderr
    assert "2 invalid row(s); nothing was written (2 with a blank account)" in result.stderr
    kept = cli("import", "interactions", str(write("i2.csv", text)), "--map", "Customer=account_id",
               "--skip-invalid")
    assert "1 new, 0 updated, 0 unchanged, 2 rejected (2 with a blank account)" in kept.stdout


# -- 9. text lined up with spaces, and --delimiter ------------------------------------------------

ALIGNED = ("id      name            stage       mrr\n"
           "A1      Acme Corp       adoption     100\n"
           "A2      Globex                      2500\n"
           "A3      Initech         retention     10\n")


def test_whitespace_aligned_text_is_read_column_by_column(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "accounts", str(write("report.txt", ALIGNED)))
    assert result.exit_code == 0, result.stderr
    assert "columns separated by runs of spaces" in result.stderr
    assert query("SELECT id, name, stage, mrr_cents FROM accounts ORDER BY id") == [
        ("A1", "Acme Corp", "adoption", 10000), ("A2", "Globex", "purchase", 250000),
        ("A3", "Initech", "retention", 1000)]


def test_delimiter_option_and_a_one_column_header(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    path = write("odd.txt", "id:name:stage\nA1:Acme:adoption\n")
    refused = cli("import", "accounts", str(path))
    assert refused.exit_code == 2
    assert "its header has one column ('id:name:stage'): the delimiter was not recognised; " \
           "pass --delimiter" in refused.stderr
    done = cli("import", "accounts", str(path), "--delimiter", ":")
    assert done.exit_code == 0, done.stderr
    assert query("SELECT id, name, stage FROM accounts") == [("A1", "Acme", "adoption")]
    tab = cli("import", "accounts", str(write("t.txt", "id\tname\nA2\tGlobex\n")), "--delimiter", "tab")
    assert tab.exit_code == 0, tab.stderr
    bad = cli("import", "accounts", str(path), "--delimiter", "::")
    assert bad.exit_code == 2 and "--delimiter '::': give one character" in bad.stderr


# -- 10. ids a spreadsheet wrote as floats --------------------------------------------------------

def test_integral_float_keys_are_stored_as_integers(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    accounts = write("a.csv", "id,name\n12431.0,Acme\n12432.0,Globex\n")
    assert cli("import", "accounts", str(accounts)).exit_code == 0
    assert query("SELECT id FROM accounts ORDER BY id") == [("12431",), ("12432",)]
    notes = write("n.csv", "account_id,kind,occurred_at\n12431.0,note,2024-05-01\n12432,call,2024-05-02\n")
    assert cli("import", "interactions", str(notes)).exit_code == 0
    assert query("SELECT account_id FROM interactions ORDER BY account_id") == [("12431",), ("12432",)]
    # A column that also holds other ids keeps them as written.
    mixed = write("m.csv", "id,name\n7.0,Seven\nv1.5,Beta\n")
    assert cli("import", "accounts", str(mixed)).exit_code == 0
    assert query("SELECT id FROM accounts WHERE name IN ('Seven', 'Beta') ORDER BY id") == [
        ("7.0",), ("v1.5",)]


# -- 11. --skip-invalid with every row rejected ---------------------------------------------------

def test_skip_invalid_with_every_row_rejected_fails_and_imports_nothing(cli, write, book_path) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    before = book_bytes(book_path)
    path = write("bad.csv", "account_id,kind,occurred_at\nACC-1,telepathy,2024-05-01\nACC-9,call,2024-05-01\n")
    result = cli("import", "interactions", str(path), "--skip-invalid")
    assert result.exit_code == 2
    assert "every row was rejected (2); nothing was imported" in result.stderr
    assert "imported" not in result.stdout
    assert book_bytes(book_path) == before
    assert path.with_name("bad.csv.rejects.csv").exists()
    dry = cli("import", "interactions", str(path), "--skip-invalid", "--dry-run")
    assert dry.exit_code == 2 and "every row would be rejected (2)" in dry.stderr


# -- 12. a preset given the wrong kind of file ----------------------------------------------------

def test_a_preset_refuses_a_file_missing_most_of_its_columns(cli, write, book_path) -> None:  # type: ignore[no-untyped-def]
    opportunities = write("opps.csv", "Record ID,Deal Name,Deal Stage,Amount,Close Date\n"
                                      "1,Big deal,closedwon,5000,2024-05-01\n")
    result = cli("import", "accounts", str(opportunities), "--preset", "hubspot-companies")
    assert result.exit_code == 2
    assert "does not look like a hubspot-companies export" in result.stderr
    assert "'Company name'" in result.stderr and "'Company owner'" in result.stderr
    assert not book_path.exists() or cli("accounts", "--json").stdout.strip() in ("[]", "")


# -- 13. a 0/1 column mapped to stage; the fields of a kind ---------------------------------------

def test_a_churn_flag_mapped_to_stage_points_at_churned(cli, write) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "accounts", str(write("c.csv", "id,name,Churn\nA1,Acme,1\n")),
                 "--map", "Churn=stage")
    assert result.exit_code == 2
    assert "unknown stage '1'" in result.stderr and "--map COLUMN=churned" in result.stderr


def test_import_fields_lists_what_a_kind_takes(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "--fields", "accounts")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.split()[:1] == ["churned"] and "yes/no" in line for line in lines)
    assert any(line.split()[:1] == ["mrr"] and "monthly_charges" in line for line in lines)
    assert "--fields KIND" in cli("import", "--help").stdout


# -- 14. out-of-range values: the file's column, in plain words -----------------------------------

def test_a_negative_mrr_names_the_files_column_in_plain_words(cli, write) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "accounts", str(write("a.csv", "id,name,MRR\nA1,Acme,-5\n")))
    assert result.exit_code == 2
    assert "a.csv:2: column 'MRR': must not be negative (got '-5')" in result.stderr
    assert "Input should" not in result.stderr and "mrr_cents" not in result.stderr


def test_a_cli_survey_out_of_range_has_no_field_value_prefix(cli, write) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    result = cli("survey", "ACC-1", "nps", "11")
    assert result.exit_code == 2
    assert "score 11 is outside 0-10" in result.stderr and "field 'value'" not in result.stderr


# -- 17. rejects files -----------------------------------------------------------------------------

def test_rejects_files_are_one_per_input_private_and_never_overwritten(cli, write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    bad = "ACC-1,note,2024-05-01\nACC-1,telepathy,2024-05-02\n"
    csv_file = write("a.csv", "account_id,kind,occurred_at\n" + bad)
    tsv_file = write("a.tsv", "account_id\tkind\toccurred_at\n" + bad.replace(",", "\t"))
    result = cli("import", "interactions", str(csv_file), str(tsv_file), "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    first, second = tmp_path / "a.csv.rejects.csv", tmp_path / "a.tsv.rejects.csv"
    assert "telepathy" in first.read_text() and "telepathy" in second.read_text()
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    again = cli("import", "interactions", str(csv_file), "--skip-invalid")
    assert again.exit_code == 0
    assert f"written to {tmp_path / 'a.csv.rejects-2.csv'} (an earlier {first} was left" in again.stderr
    assert (tmp_path / "a.csv.rejects-2.csv").exists()


def test_a_rejects_file_never_follows_a_planted_link(cli, write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    target = write("precious.txt", "keep me\n")
    os.symlink(target, tmp_path / "i.csv.rejects.csv")
    path = write("i.csv", "account_id,kind,occurred_at\nACC-1,note,2024-05-01\nACC-1,telepathy,2024-05-02\n")
    result = cli("import", "interactions", str(path), "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    assert target.read_text() == "keep me\n"
    assert "telepathy" in (tmp_path / "i.csv.rejects-2.csv").read_text()


# -- 18. saved mappings are TOML that reads back; a committed import never "fails" --------------

@pytest.mark.parametrize(("name", "column"), [("façade", "Company"), ("plain", "Com\x7fpany"),
                                               ("quotes", 'The "name" \\ col')])
def test_saved_mappings_with_any_name_or_column_read_back(cli, write, tmp_path, name, column) -> None:  # type: ignore[no-untyped-def]
    path = write("a.csv", f'id,"{column.replace(chr(34), chr(34) * 2)}"\nA1,Acme\n')
    first = cli("import", "accounts", str(path), "--map", f"{column}=name", "--save-mapping", name)
    assert first.exit_code == 0, first.stderr
    config = tmp_path / "config" / "mappings.toml"
    assert tomllib.loads(config.read_text("utf-8"))["mapping"][name]["columns"] == {column: "name"}
    second = cli("import", "accounts", str(path), "--mapping", name, "--save-mapping", "other")
    assert second.exit_code == 0, second.stderr
    assert set(tomllib.loads(config.read_text("utf-8"))["mapping"]) == {name, "other"}


def test_a_mapping_that_cannot_be_saved_is_refused_before_the_import(cli, write, tmp_path, book_path) -> None:  # type: ignore[no-untyped-def]
    _accounts(cli, write)
    config = tmp_path / "config" / "mappings.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[mapping.x\nbroken", encoding="utf-8")
    before = book_bytes(book_path)
    result = cli("import", "accounts", str(write("b.csv", "id,name\nB1,Beta\n")), "--save-mapping", "y")
    assert result.exit_code == 2
    assert "cannot read saved mappings" in result.stderr
    assert book_bytes(book_path) == before


# -- 24. the import's own output shows file names literally ---------------------------------------

def test_file_names_in_the_summary_notes_and_dry_run_are_shown_literally(cli, write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    name = "evil\x1b]52;c;cm0gLXJmIH4=\x07\u202e.csv"
    path = write(name, ACCOUNTS_CSV)
    for args in ((), (), ("--dry-run",)):
        result = cli("import", "accounts", str(path), *args)
        assert result.exit_code == 0, result.output
        for text in (result.stdout, result.stderr):
            assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "evil␛]52;c;cm0gLXJmIH4=␇<U+202E>.csv" in result.stdout
    assert "nothing changed" in cli("import", "accounts", str(path)).stderr


def test_a_mapping_save_failing_after_the_commit_is_a_warning_not_a_failure(cli, write, tmp_path, query, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = write("not-a-directory", "x")
    monkeypatch.setenv("RETAIN_CONFIG", str(blocker / "mappings.toml"))
    result = cli("import", "accounts", str(write("b.csv", "id,name\nB1,Beta\n")), "--save-mapping", "y")
    assert result.exit_code == 0, result.output
    assert "the import was written, but mapping 'y' was not saved" in result.stderr
    assert query("SELECT id FROM accounts") == [("B1",)]
