"""Each input format: CSV with any delimiter and BOM, JSON, JSON Lines, stdin, gzip, encodings."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.imports.conftest import ACCOUNTS_CSV, summary

EXPECTED = [("ACC-1", "Acme", "adoption"), ("ACC-2", "Globex", "retention")]
RECORDS = [{"id": "ACC-1", "name": "Acme", "stage": "adoption"},
           {"id": "ACC-2", "name": "Globex", "stage": "retention"}]


def _imported(query):  # type: ignore[no-untyped-def]
    return query("SELECT id, name, stage FROM accounts ORDER BY id")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiter_is_sniffed(cli, write, query, delimiter: str) -> None:  # type: ignore[no-untyped-def]
    text = ACCOUNTS_CSV.replace(",", delimiter)
    result = cli("import", "accounts", str(write("a.csv", text)))
    assert result.exit_code == 0, result.output
    assert _imported(query) == EXPECTED


def test_csv_with_bom_and_crlf(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    data = b"\xef\xbb\xbf" + ACCOUNTS_CSV.replace("\n", "\r\n").encode()
    assert cli("import", "accounts", str(write("a.csv", data))).exit_code == 0
    assert _imported(query) == EXPECTED


def test_json_array(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    assert cli("import", "accounts", str(write("a.json", json.dumps(RECORDS)))).exit_code == 0
    assert _imported(query) == EXPECTED


def test_json_object_of_arrays_picks_the_kind(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    data = json.dumps({"meta": [], "accounts": RECORDS})
    assert cli("import", "accounts", str(write("book.json", data))).exit_code == 0
    assert _imported(query) == EXPECTED


def test_json_errors_name_the_record_index(cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.json", json.dumps([*RECORDS, {"id": "ACC-3", "name": "", "stage": "adoption"}]))
    result = cli("import", "accounts", str(path))
    assert result.exit_code == 2
    assert f"{path}:[2]: column 'name'" in result.stderr


def test_json_lines(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    text = "".join(json.dumps(record) + "\n" for record in RECORDS)
    assert cli("import", "accounts", str(write("a.jsonl", text))).exit_code == 0
    assert _imported(query) == EXPECTED


def test_json_lines_sniffed_from_stdin(cli, query) -> None:  # type: ignore[no-untyped-def]
    text = "".join(json.dumps(record) + "\n" for record in RECORDS)
    result = cli("import", "accounts", "-", input=text)
    assert result.exit_code == 0, result.output
    assert _imported(query) == EXPECTED


def test_csv_from_stdin(cli, query) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "accounts", "-", "--json", input=ACCOUNTS_CSV)
    assert result.exit_code == 0, result.output
    assert summary(result)["files"][0]["file"] == "-"
    assert _imported(query) == EXPECTED


def test_gzip_is_read_transparently_whatever_the_name(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    path = write("accounts.csv.gz", gzip.compress(ACCOUNTS_CSV.encode()))
    assert cli("import", "accounts", str(path)).exit_code == 0
    assert _imported(query) == EXPECTED
    odd = write("export.bin", gzip.compress(json.dumps(RECORDS).encode()))
    again = cli("import", "accounts", str(odd), "--json")
    assert summary(again)["files"][0]["unchanged"] == 2


def test_latin1_with_encoding_option_and_by_guess(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    text = "id,name,stage\nACC-1,Crédit Agricole Société Générale Française,adoption\n"
    path = write("a.csv", text.encode("latin-1"))
    result = cli("import", "accounts", str(path), "--encoding", "latin-1")
    assert result.exit_code == 0, result.output
    assert query("SELECT name FROM accounts") == [("Crédit Agricole Société Générale Française",)]
    guessed = cli("import", "accounts", str(path))
    assert guessed.exit_code == 0 and "not UTF-8; read as" in guessed.stderr


def test_utf16_with_bom(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    path = write("a.csv", ACCOUNTS_CSV.encode("utf-16"))
    assert cli("import", "accounts", str(path)).exit_code == 0
    assert _imported(query) == EXPECTED


def test_unknown_encoding_is_refused(cli, write) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)), "--encoding", "klingon")
    assert result.exit_code == 2 and "unknown encoding 'klingon'" in result.stderr
