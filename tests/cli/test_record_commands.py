"""`retain log`, `stage`, `survey` and `task`, through typer's CliRunner."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import time_machine

from store import Store
from store.models import Interaction, SurveyAnswer, Task
from tests.cli.conftest import NOW


def test_log_records_an_interaction_found_by_partial_name(cli, book: Store) -> None:
    result = cli("log", "zurich", "call", "Renewal talk, all good", "--sentiment", "positive",
                 "--json")
    assert result.exit_code == 0, result.output
    logged = json.loads(result.stdout)
    assert logged["account_id"] == "ACC-3" and logged["kind"] == "call"
    [stored] = [i for i in book.export_rows(Interaction)]
    assert stored.summary == "Renewal talk, all good" and stored.sentiment == "positive"


def test_log_reads_the_summary_from_stdin_and_opens_a_follow_up(cli, book: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        result = cli("log", "ACC-1", "meeting", "-", "--follow-up", "+7d", "--contact",
                     "maya@acme.test", "--at", "2026-11-20T10:00:00+01:00",
                     input="QBR with the new VP\nThey want SSO\n")
    assert result.exit_code == 0, result.output
    assert "Follow-up task" in result.output and "due 2026-11-27" in result.output
    [note] = list(book.export_rows(Interaction))
    assert note.summary == "QBR with the new VP\nThey want SSO"
    assert note.occurred_at == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert note.contact_id == "C-1"
    [task] = book.tasks("ACC-1")
    assert task.due_on == date(2026, 11, 27) and task.interaction_id == note.id
    assert task.title == "Follow up: QBR with the new VP"


def test_an_ambiguous_account_lists_the_candidates_and_writes_nothing(cli, book: Store) -> None:
    result = cli("log", "acme", "note", "hello")
    assert result.exit_code == 2
    assert "ACC-1 (Acme Corp)" in result.stderr and "ACC-2 (Acme Analytics)" in result.stderr
    assert book.count(Interaction) == 0


def test_an_unknown_account_is_exit_code_1(cli, book: Store) -> None:
    result = cli("log", "Globex", "note", "hello")
    assert result.exit_code == 1
    assert result.stderr == "retain: no account matches 'Globex' (by key, name or part of a name)\n"


def test_a_fuzzy_name_with_a_typo_still_finds_the_one_account(cli, book: Store) -> None:
    result = cli("log", "Old Custmer Ltd", "email", "win-back offer")
    assert result.exit_code == 0, result.output
    assert "(ACC-4)" in result.output


def test_an_unknown_kind_is_a_usage_error(cli, book: Store) -> None:
    result = cli("log", "ACC-1", "telegram", "hi")
    assert result.exit_code == 2 and "telegram" in result.output
    assert book.count(Interaction) == 0


def test_stage_moves_in_any_direction_with_a_reason(cli, book: Store) -> None:
    result = cli("stage", "Acme Corp", "activation", "--reason", "re-onboarding after v2")
    assert result.exit_code == 0, result.output
    assert "adoption → activation (re-onboarding after v2)" in result.output
    result = cli("stage", "ACC-4", "onboarding")
    assert result.exit_code == 2 and "unknown stage 'onboarding'" in result.stderr
    assert cli("stage", "ACC-4", "Retention", "--reason", "came back").exit_code == 0
    assert [m.to_stage for m in book.stage_history("ACC-4")] == ["churned", "retention"]
    assert book.stage_history("ACC-1")[-1].reason == "re-onboarding after v2"


def test_survey_takes_one_nps_score_or_one_score_per_cli_question(cli, book: Store) -> None:
    assert cli("survey", "ACC-1", "nps", "9", "--comment", "great support").exit_code == 0
    result = cli("survey", "ACC-1", "cli", "8", "9", "7", "10", "--json")
    assert result.exit_code == 0, result.output
    assert [(a["question"], a["score"]) for a in json.loads(result.stdout)] == [
        ("quality", 8), ("service", 9), ("experience", 7), ("recommend", 10)]
    assert book.count(SurveyAnswer) == 5


def test_survey_scores_out_of_range_or_miscounted_are_refused(cli, book: Store) -> None:
    result = cli("survey", "ACC-1", "csat", "6")
    assert result.exit_code == 2 and "outside 1-5" in result.stderr
    result = cli("survey", "ACC-1", "cli", "8", "9")
    assert result.exit_code == 2 and "cli takes 4 scores, got 2" in result.stderr
    assert book.count(SurveyAnswer) == 0


def test_tasks_are_added_listed_snoozed_and_done(cli, book: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        assert cli("task", "add", "ACC-2", "Send the renewal quote", "--due", "2026-11-25").exit_code == 0
        cli("log", "ACC-1", "call", "Check adoption", "--follow-up", "tomorrow")
        listed = json.loads(cli("task", "list", "--json").stdout)
        assert [t["title"] for t in listed] == ["Follow up: Check adoption", "Send the renewal quote"]
        assert listed[1]["account_name"] == "Acme Analytics"
        short = listed[1]["id"][-8:]
        result = cli("task", "snooze", short, "--days", "3")
        assert result.exit_code == 0 and "2026-11-28" in result.output
        assert cli("task", "done", listed[0]["id"]).exit_code == 0
        remaining = json.loads(cli("task", "list", "--json").stdout)
    assert [t["title"] for t in remaining] == ["Send the renewal quote"]
    assert remaining[0]["due_on"] == "2026-11-28"
    assert [t.status for t in book.tasks(status=None)] == ["done", "open"]


def test_an_empty_task_list_is_exit_code_1(cli, book: Store) -> None:
    result = cli("task", "list")
    assert result.exit_code == 1


def test_a_wrong_task_id_is_not_found(cli, book: Store) -> None:
    result = cli("task", "done", "deadbeef")
    assert result.exit_code == 1 and "no task with id 'deadbeef'" in result.stderr
    assert book.count(Task) == 0
