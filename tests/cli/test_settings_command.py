"""`retain setting`: every setting listed with its doc and default; `me` is the author of logs."""

from __future__ import annotations

import json

from store import Store
from store.settings import SETTING_KEYS
from store.user_config import PERSONAL_KEYS, config_path


def test_json_lists_every_setting_with_doc_default_and_value(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(cli("setting", "--json").stdout)
    assert [row["key"] for row in rows] == [*SETTING_KEYS, *PERSONAL_KEYS]
    for row in rows:
        assert row["doc"] and "default" in row and "value" in row, row["key"]
    margin = next(row for row in rows if row["key"] == "kpi.gross_margin")
    assert (margin["scope"], margin["default"], margin["value"], margin["is_set"]) == (
        "book", 0.8, 0.8, False)
    cli("setting", "kpi.gross_margin", "0.6")
    rows = json.loads(cli("setting", "--json").stdout)
    margin = next(row for row in rows if row["key"] == "kpi.gross_margin")
    assert (margin["value"], margin["is_set"]) == (0.6, True)


def test_unset_goes_back_to_the_default(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    cli("setting", "kpi.gross_margin", "0.6")
    assert cli("setting", "kpi.gross_margin", "--unset").stdout.strip() == "kpi.gross_margin = 0.8"
    assert book.gross_margin() == 0.8


def test_me_is_the_author_of_what_is_logged(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    result = cli("setting", "me", "Maya Chen")
    assert result.exit_code == 0 and "Maya Chen" in result.stdout
    assert config_path().exists()
    assert book.get_setting("me") is None  # a person's name is not written into the shared book
    assert cli("setting", "me").stdout.strip() == "Maya Chen"
    logged = json.loads(cli("log", "Zürich", "call", "Went over the roadmap", "--json").stdout)
    assert logged["author"] == "Maya Chen"


def test_a_bad_value_is_one_line_and_changes_nothing(cli, book: Store) -> None:  # type: ignore[no-untyped-def]
    result = cli("setting", "triage.rules", '{"quiet_days": 0}')
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "triage.rules.quiet_days" in result.stderr
    assert book.get_setting("triage.rules") is None
