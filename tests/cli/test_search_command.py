"""`retain search TEXT`: one table or JSON of where the words are; literal text; exit codes."""

from __future__ import annotations

import json

from store import Store
from store.models import Interaction
from tests.cli.conftest import NOW


def test_search_lists_account_kind_date_and_snippet_as_json(cli, book: Store) -> None:
    book.log_interaction(Interaction(id="I-1", account_id="ACC-3", kind="call", occurred_at=NOW,
                                     summary="Discussed the SSO rollout with Maya"))
    result = cli("search", "sso", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{
        "account": "Zürich Rück AG", "kind": "interaction", "date": "2026-11-20",
        "snippet": "Discussed the SSO rollout with Maya", "account_id": "ACC-3",
    }]
    table = cli("search", "zurich")
    assert table.exit_code == 0 and "Zürich Rück AG" in table.stdout and "account" in table.stdout


def test_search_shows_user_text_literally(cli, book: Store) -> None:
    book.log_interaction(Interaction(id="I-2", account_id="ACC-1", kind="note", occurred_at=NOW,
                                     summary="[bold]escalation[/] \x1b[2J done"))
    result = cli("search", "escalation")
    assert result.exit_code == 0
    assert "[bold]escalation[/]" in result.stdout and "\x1b" not in result.stdout


def test_nothing_found_is_exit_1_and_no_words_is_exit_2(cli, book: Store) -> None:
    assert cli("search", "xylophone").exit_code == 1
    result = cli("search", "**")
    assert result.exit_code == 2
    assert result.stderr.strip() == "retain: search '**': give at least one word (letters or digits)"
