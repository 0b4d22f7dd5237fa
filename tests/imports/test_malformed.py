"""A corpus of broken inputs: each gets a clear one-line reason and exit code 2, no traceback."""

from __future__ import annotations

import pytest

from tests.imports.conftest import ACCOUNTS_CSV, summary

CASES = {
    "ragged": ("a.csv", "id,name,stage\nACC-1,Acme,adoption,extra\nACC-2,Globex\n",
               ":2: has 4 cells but the header has 3"),
    "empty": ("a.csv", "", "is empty (no header row)"),
    "header only": ("a.csv", "id,name,stage\n", None),
    "duplicate headers": ("a.csv", "id,name,name,stage\nACC-1,A,B,adoption\n",
                          "duplicate header 'name' (columns 2 and 3)"),
    "wrong encoding": ("a.csv", "id,name,stage\nACC-1,Café,adoption\n".encode("latin-1"),
                       ":2: not valid utf-8 text; pass --encoding"),
    "NUL byte": ("a.csv", b"id,name,stage\nACC-1,Ac\x00me,adoption\n",
                 ":2: contains a NUL byte"),
    "invalid JSON": ("a.json", '[{"id": "ACC-1",', "not valid JSON"),
    "JSON scalar": ("a.json", "42", "JSON must be an array of records"),
    "unknown stage": ("a.csv", "id,name,stage\nACC-1,Acme,limbo\n",
                      ":2: column 'stage': unknown stage 'limbo'"),
    "missing key column": ("a.csv", "name,stage\nAcme,adoption\n", "no column for 'id'"),
    "bad date": ("d.csv", "id,name,stage,renewal_on\nACC-1,A,adoption,2024-02-30\n",
                 "column 'renewal_on': '2024-02-30' is not a valid date"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_broken_input_gets_a_clear_message(cli, write, case: str) -> None:  # type: ignore[no-untyped-def]
    name, content, expected = CASES[case]
    extra = ["--encoding", "utf-8"] if case == "wrong encoding" else []
    result = cli("import", "accounts", str(write(name, content)), *extra)
    assert "Traceback" not in result.output
    if expected is None:  # header only: nothing to do is not an error
        assert result.exit_code == 0, result.output
        assert "0 rows" in result.stdout
        return
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("retain: ")


def test_a_ten_megabyte_field_is_refused_with_its_line(cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    huge = "x" * (10 * 1024 * 1024)
    path = write("i.csv", f"account_id,kind,occurred_at,summary\nACC-1,note,2024-01-01,{huge}\n")
    result = cli("import", "interactions", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: column 'summary': is longer than 1,000,000 characters" in result.stderr


def test_dates_in_three_formats_in_one_column(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    # ISO and slash dates read fine together; 13/25/2024 fits neither slash order.
    text = ("account_id,kind,occurred_at\nACC-1,note,2024-01-05\nACC-1,note,01/05/2024\n"
            "ACC-1,note,13/25/2024\n")
    result = cli("import", "interactions", str(write("i.csv", text)))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert ":4: column 'occurred_at': '13/25/2024' is not a valid date as M/D/YYYY or as D/M/YYYY" in result.stderr
    # Each value is a valid date, but no single order fits the whole column.
    mixed = "account_id,kind,occurred_at\nACC-1,note,2024-01-05\nACC-1,note,01/13/2024\nACC-1,note,13/01/2024\n"
    result = cli("import", "interactions", str(write("m.csv", mixed)))
    assert result.exit_code == 2
    assert "column 'occurred_at': its dates fit neither M/D/YYYY (line 4) nor D/M/YYYY (line 3)" in result.stderr
    words = cli("import", "interactions", str(write("j.csv", "account_id,kind,occurred_at\nACC-1,note,5 Jan 2024\n")))
    assert words.exit_code == 2 and "'5 Jan 2024' is not a date or time" in words.stderr


def test_day_first_column_is_decided_once(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    text = "account_id,kind,occurred_at\nACC-1,note,03/04/2024\nACC-1,call,25/04/2024\n"
    assert cli("import", "interactions", str(write("i.csv", text))).exit_code == 0
    assert query("SELECT occurred_at FROM interactions ORDER BY occurred_at") == [
        ("2024-04-03T00:00:00Z",), ("2024-04-25T00:00:00Z",)]


def test_a_subscription_ending_before_it_starts_once_its_dates_are_decided(cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    text = ("id,account_id,mrr,start_date,end_date\nS1,ACC-1,10,03/02/2024,04/01/2024\n"
            "S2,ACC-1,10,25/01/2024,28/02/2024\n")  # both columns day first: S1 runs 3 Feb -> 4 Jan
    result = cli("import", "subscriptions", str(write("s.csv", text)))
    assert result.exit_code == 2
    assert ":2: column 'end_date': ended_on 2024-01-04 is before started_on 2024-02-03" in result.stderr
    skipped = cli("import", "subscriptions", str(write("s.csv", text)), "--skip-invalid", "--json")
    assert skipped.exit_code == 0, skipped.output
    file = summary(skipped)["files"][0]
    assert (file["new"], file["rejected"]) == (1, 1)
