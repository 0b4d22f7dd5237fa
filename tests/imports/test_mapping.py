"""Headers meet fields: synonyms, --map, saved mappings, and the model's rules kept by the import."""

from __future__ import annotations

import pytest

from store.imports.mapping import normalise
from store.imports.values import cents, integer
from tests.imports.conftest import ACCOUNTS_CSV, summary


@pytest.mark.parametrize(("header", "expected"), [
    ("Company name", "company_name"), ("Customer ID", "customer_id"), ("MRR", "mrr"),
    ("Monthly Charges", "monthly_charges"), ("subscription.customer_id", "subscription_customer_id"),
])
def test_headers_are_normalised(header: str, expected: str) -> None:
    assert normalise(header) == expected


def test_synonyms_map_common_headers(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    text = "Customer ID,Company name,Monthly Charges,Lifecycle Stage\nC1,Acme,\"1,024.50\",adoption\n"
    result = cli("import", "accounts", str(write("a.csv", text)), "--dry-run")
    assert "'Customer ID' -> id" in result.stdout
    assert "'Company name' -> name" in result.stdout
    assert "'Monthly Charges' -> mrr" in result.stdout
    assert cli("import", "accounts", str(write("a.csv", text))).exit_code == 0
    assert query("SELECT id, name, mrr_cents, stage FROM accounts") == [("C1", "Acme", 102450, "adoption")]


def test_map_overrides_and_ignores(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    text = "key,Label,Owner\nK1,Acme,Zed\n"
    result = cli("import", "accounts", str(write("a.csv", text)), "--map", "Label=name",
                 "--map", "Owner=-")
    assert result.exit_code == 0, result.output
    assert query("SELECT id, name, owner FROM accounts") == [("K1", "Acme", None)]


@pytest.mark.parametrize(("pair", "message"), [
    ("Nope=name", "has no column 'Nope'"),
    ("Label=nonsense", "accounts have no field 'nonsense'"),
    ("Label", "write SOURCE_COLUMN=FIELD"),
    ("Label=drop table", "is not a field name"),
])
def test_bad_map_is_refused(cli, write, pair: str, message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "accounts", str(write("a.csv", "key,Label\nK1,Acme\n")), "--map", pair)
    assert result.exit_code == 2 and message in result.stderr


def test_saved_mapping_is_reused_by_name(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    path = write("a.csv", "key,Label\nK1,Acme\n")
    first = cli("import", "accounts", str(path), "--map", "Label=name", "--save-mapping", "crm")
    assert first.exit_code == 0 and "saved mapping 'crm'" in first.stderr
    again = cli("import", "accounts", str(write("b.csv", "key,Label\nK2,Globex\n")), "--mapping", "crm")
    assert again.exit_code == 0, again.output
    assert query("SELECT id, name FROM accounts ORDER BY id") == [("K1", "Acme"), ("K2", "Globex")]
    missing = cli("import", "accounts", str(path), "--mapping", "nope")
    assert missing.exit_code == 1 and "no saved mapping 'nope'" in missing.stderr


def test_values_parse_like_exports_write_them() -> None:
    assert cents("$1,234.50") == 123450 and cents("29.85 USD") == 2985 and cents(" ") is None
    assert integer("4.0") == 4
    with pytest.raises(ValueError):
        integer("4.5")


@pytest.mark.parametrize(("column", "value", "message"), [
    ("score", "11", "score 11 is outside 0-10"),
    ("score", "-1", "outside 0-10"),
    ("kind", "smoke-signal", "must be one of 'nps', 'csat' or 'cli'"),
    ("comment", "x" * 1_000_001, "is longer than 1,000,000 characters"),
])
def test_what_the_model_rejects_the_import_rejects(cli, write, column, value, message) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", str(write("a.csv", ACCOUNTS_CSV)))
    row = {"account_id": "ACC-1", "kind": "nps", "score": "7", "answered_at": "2024-01-01",
           "comment": "ok"} | {column: value}
    text = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    result = cli("import", "surveys", str(write("s.csv", text)), "--json")
    assert result.exit_code == 2
    assert message in summary(result)["errors"][0]
