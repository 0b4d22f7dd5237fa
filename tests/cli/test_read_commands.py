"""`retain accounts`, `show` and `export`: filters, JSON/CSV output, literal text."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import time_machine

from store import Store
from store.ids import new_id
from store.models import Interaction, SurveyAnswer
from tests.cli.conftest import NOW


def _answer(store: Store, account: str, score: int) -> None:
    store.add_survey_answers([SurveyAnswer(id=new_id(), account_id=account, kind="nps",
                                           score=score, answered_at=NOW)])


def _keys(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return [row["key"] for row in json.loads(result.stdout)]


def test_accounts_filter_by_stage_owner_and_nps_group(cli, book: Store) -> None:
    _answer(book, "ACC-1", 3)
    _answer(book, "ACC-2", 10)
    assert _keys(cli("accounts", "--json", "--owner", "dana")) == ["ACC-2", "ACC-1"]
    assert _keys(cli("accounts", "--json", "--stage", "churned", "--stage", "activation")) == [
        "ACC-4", "ACC-3"]
    assert _keys(cli("accounts", "--json", "--nps", "detractor")) == ["ACC-1"]
    assert _keys(cli("accounts", "--json", "--sort", "mrr", "--limit", "1")) == ["ACC-1"]


def test_accounts_quiet_and_renewing_soon(cli, book: Store) -> None:
    book.log_interaction(Interaction(id=new_id(), account_id="ACC-1", kind="call",
                                     occurred_at=datetime(2026, 11, 1, tzinfo=UTC)))
    # a support ticket is the customer calling for help, not a touch: ACC-2 is still quiet,
    # as in the triage queue and the health score
    book.log_interaction(Interaction(id=new_id(), account_id="ACC-2", kind="ticket",
                                     occurred_at=datetime(2026, 11, 1, tzinfo=UTC)))
    with time_machine.travel(NOW, tick=False):
        assert _keys(cli("accounts", "--json", "--quiet-for", "30")) == [
            "ACC-2", "ACC-4", "ACC-3"]
        assert _keys(cli("accounts", "--json", "--renewal-within", "30")) == [
            "ACC-2", "ACC-1", "ACC-4", "ACC-3"]
        assert cli("accounts", "--renewal-within", "10").exit_code == 1


def test_accounts_json_has_stable_field_names(cli, book: Store) -> None:
    [row] = json.loads(cli("accounts", "--json", "--stage", "adoption").stdout)
    assert set(row) == {"key", "name", "stage", "owner", "segment", "plan", "mrr_cents",
                        "renewal_on", "last_touch_at", "latest_nps", "health"}
    assert row["mrr_cents"] == 120_000 and row["renewal_on"] == "2026-12-15"


def test_accounts_csv_and_an_uncoloured_table_when_piped(cli, book: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("accounts", "--csv").stdout)))
    assert [row["key"] for row in rows] == ["ACC-2", "ACC-1", "ACC-4", "ACC-3"]
    table = cli("accounts").stdout
    assert "Zürich Rück AG" in table and "$1,200" in table
    assert "\x1b[" not in table


def test_show_merges_the_whole_story_newest_first(cli, book: Store) -> None:
    book.move_stage("ACC-1", "retention", reason="live for 90 days",
                    at=datetime(2026, 4, 1, tzinfo=UTC))
    book.log_interaction(Interaction(id=new_id(), account_id="ACC-1", kind="qbr",
                                     summary="QBR done", occurred_at=datetime(2026, 5, 1, tzinfo=UTC)))
    _answer(book, "ACC-1", 9)
    result = cli("show", "acme corp", "--json")
    assert result.exit_code == 0, result.output
    story = json.loads(result.stdout)
    assert story["account"]["id"] == "ACC-1" and story["account"]["stage"] == "retention"
    assert story["contacts"][0]["email"] == "maya@acme.test"
    assert [entry["kind"] for entry in story["timeline"]] == [
        "survey", "interaction", "stage", "stage", "subscription"]
    assert story["timeline"][2]["title"] == "adoption → retention"
    assert story["timeline"][2]["detail"] == "live for 90 days"
    text = cli("show", "ACC-1").stdout
    assert "Acme Corp  (ACC-1)" in text and "Timeline" in text and "QBR done" in text


def test_hostile_text_is_shown_literally_in_tables(cli, book: Store) -> None:
    book.log_interaction(Interaction(id=new_id(), account_id="ACC-1", kind="note",
                                     summary="[bold]pwn[/] \x1b]52;c;ZXZpbA==\x07 [/oops]",
                                     occurred_at=NOW))
    result = cli("show", "ACC-1")
    assert result.exit_code == 0, result.output
    assert "[bold]pwn[/]" in result.stdout and "[/oops]" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_export_neutralises_formulas_and_refuses_to_overwrite(cli, book: Store, tmp_path: Path) -> None:
    book.log_interaction(Interaction(id=new_id(), account_id="ACC-1", kind="note",
                                     summary="=HYPERLINK(\"http://x\")", occurred_at=NOW))
    out = tmp_path / "notes.csv"
    assert cli("export", "interactions", "--output", str(out)).exit_code == 0
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["summary"] == "'=HYPERLINK(\"http://x\")"
    again = cli("export", "interactions", "--output", str(out))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert cli("export", "interactions", "--output", str(out), "--force").exit_code == 0


def test_export_json_and_jsonl_carry_every_field(cli, book: Store) -> None:
    accounts = json.loads(cli("export", "accounts", "--format", "json").stdout)
    assert [a["id"] for a in accounts] == ["ACC-1", "ACC-2", "ACC-3", "ACC-4"]
    assert accounts[0]["mrr_cents"] == 120_000
    lines = cli("export", "stages", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["to_stage"]
