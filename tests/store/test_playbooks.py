"""Playbooks on hand-built books: each trigger opens its steps as tasks, once per event."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from store import Store
from store.errors import InvalidInput
from store.lifecycle import PRESETS
from store.models import (
    Account,
    Interaction,
    Subscription,
    SurveyAnswer,
    Task,
    TaskStatus,
    UsageRecord,
)
from store.playbooks import load_playbooks, playbooks_path

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    """Every test runs at noon UTC on 2026-06-15."""
    with time_machine.travel(NOW, tick=False):
        yield


def _account(store: Store, key: str, stage: str, **fields: object) -> None:
    store.add_account(Account(id=key, name=key.title(), stage=stage,
                              stage_entered_at=datetime(2026, 1, 5, tzinfo=UTC), **fields))


def _pay(store: Store, key: str, cents: int = 100_000, since: date = date(2026, 1, 5)) -> None:
    store.add(Subscription(id=f"sub-{key}", account_id=key, mrr_cents=cents, started_on=since))


def _open(store: Store, key: str, playbook: str | None = None) -> list[Task]:
    return [task for task in store.tasks(key)
            if playbook is None or task.playbook == playbook]


def _write_playbooks(text: str) -> Path:
    path = playbooks_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- the shipped set ----------------------------------------------------------------------

def test_every_stage_of_every_preset_has_a_shipped_playbook() -> None:
    stages = {stage.key for model in PRESETS.values() for stage in model.stages}
    shipped = load_playbooks()
    assert {p.stage for p in shipped.playbooks if p.stage} == stages  # churned included
    triggers = {p.trigger.value for p in shipped.playbooks}
    assert triggers == {"stage", "detractor", "renewal", "onboarding_late", "health_red"}
    assert all(p.description and p.steps for p in shipped.playbooks)


# -- entering a stage ---------------------------------------------------------------------

def test_entering_a_stage_opens_its_steps_as_tasks_due_after_the_move(store: Store) -> None:
    _account(store, "acme", "consideration")
    move = store.move_stage("acme", "purchase", reason="signed")
    tasks = store.playbook_tasks("acme", f"move:{move.id}")
    assert [(t.due_on, t.kind.value if t.kind else None) for t in tasks] == [
        (TODAY, "email"), (TODAY + timedelta(days=1), "call"),
        (TODAY + timedelta(days=2), "note"), (TODAY + timedelta(days=3), "meeting")]
    assert {t.playbook for t in tasks} == {"purchase-welcome"}
    assert "Thank the customer" in tasks[0].title and "why they chose us" in tasks[1].title
    assert len({t.playbook_run for t in tasks}) == 1
    assert _open(store, "acme") == tasks


def test_a_move_away_and_back_starts_a_new_run(store: Store) -> None:
    _account(store, "acme", "consideration")
    store.move_stage("acme", "purchase")
    store.move_stage("acme", "activation")
    store.move_stage("acme", "purchase", reason="contract re-signed")
    welcome = _open(store, "acme", "purchase-welcome")
    assert len(welcome) == 8
    assert len({t.playbook_run for t in welcome}) == 2
    assert len(_open(store, "acme", "activation-kickoff")) == 4


def test_undoing_a_move_takes_back_the_tasks_it_opened(store: Store) -> None:
    _account(store, "acme", "consideration")
    move = store.move_stage("acme", "purchase")
    first = _open(store, "acme")[0]
    store.complete_task(first.id)
    store.undo_move(move)
    assert _open(store, "acme") == []
    assert [t.id for t in store.tasks("acme", status=TaskStatus.DONE)] == [first.id]


def test_churn_starts_the_win_back(store: Store) -> None:
    _account(store, "acme", "retention")
    store.move_stage("acme", "churned", reason="budget cut")
    titles = [t.title for t in _open(store, "acme", "churned-win-back")]
    assert titles[0].startswith("Exit conversation") and "Win-back" in titles[-1]


def test_a_move_dated_long_ago_is_history_not_work(store: Store) -> None:
    _account(store, "acme", "consideration")
    store.move_stage("acme", "purchase", at=NOW - timedelta(days=45))
    assert _open(store, "acme") == []


def test_a_custom_stage_gets_the_playbook_the_user_wrote(store: Store, tmp_path: Path) -> None:
    stages = tmp_path / "stages.toml"
    stages.write_text('name = "ours"\ncustomer_from = "signed"\n'
                      '[[stage]]\nkey = "lead"\nphase = "acquisition"\n'
                      '[[stage]]\nkey = "signed"\nphase = "engagement"\n', encoding="utf-8")
    from store.lifecycle import load_custom_model
    store.set_lifecycle(load_custom_model(stages))
    _write_playbooks('[[playbook]]\nname = "signed-welcome"\ntrigger = "stage"\n'
                     'stage = "signed"\n\n[[playbook.step]]\ntitle = "Say thanks"\n'
                     'kind = "email"\n')
    _account(store, "acme", "lead")
    store.move_stage("acme", "signed")
    assert [(t.title, t.playbook) for t in _open(store, "acme")] == [
        ("Say thanks", "signed-welcome")]


# -- an NPS detractor answer --------------------------------------------------------------

def _nps(key: str, score: int, days_ago: int = 0, answer: str = "n1") -> SurveyAnswer:
    return SurveyAnswer(id=answer, account_id=key, kind="nps", score=score,
                        answered_at=NOW - timedelta(days=days_ago))


def test_a_detractor_answer_starts_the_call_back_once(store: Store) -> None:
    _account(store, "sad", "retention")
    _account(store, "fan", "retention")
    _account(store, "old", "retention")
    _account(store, "gone", "churned")
    store.add_survey_answers([_nps("sad", 3, days_ago=1)])
    store.add_survey_answers([_nps("fan", 9, answer="n2")])
    store.add_survey_answers([_nps("old", 2, days_ago=90, answer="n3")])
    store.add_survey_answers([_nps("gone", 0, answer="n4")])
    tasks = _open(store, "sad")
    assert {t.playbook for t in tasks} == {"detractor-call-back"}
    assert tasks[0].due_on == TODAY  # due the day after the answer
    assert _open(store, "fan") == _open(store, "old") == _open(store, "gone") == []
    store.add_survey_answers([_nps("sad", 4, answer="n5")])  # a second answer: its own run
    assert len({t.playbook_run for t in _open(store, "sad")}) == 2


# -- the day passing ----------------------------------------------------------------------

def test_a_renewal_ahead_starts_its_run_once_per_renewal_date(store: Store) -> None:
    _account(store, "acme", "retention", renewal_on=date(2026, 8, 14))  # 60 days ahead
    _account(store, "later", "retention", renewal_on=date(2026, 12, 1))
    _account(store, "lead", "consideration", renewal_on=date(2026, 7, 1))
    fired = store.evaluate_playbooks()
    assert fired.runs == {"renewal-prep": 1}
    tasks = _open(store, "acme", "renewal-prep")
    # Steps count from 90 days before the renewal (2026-05-16), never before today.
    assert [t.due_on for t in tasks] == [TODAY, TODAY, date(2026, 6, 30), date(2026, 7, 15)]
    assert store.evaluate_playbooks().run_count == 0
    assert _open(store, "later") == _open(store, "lead") == []
    with store.transaction() as conn:
        conn.execute("UPDATE accounts SET renewal_on = '2026-09-01' WHERE id = 'acme'")
    assert store.evaluate_playbooks().runs == {"renewal-prep": 1}


def test_onboarding_past_its_target_starts_the_rescue_and_rearms(store: Store) -> None:
    _account(store, "slow", "activation")
    _pay(store, "slow", since=TODAY - timedelta(days=60))
    _account(store, "quick", "activation")
    _pay(store, "quick", since=TODAY - timedelta(days=5))
    assert store.evaluate_playbooks().runs == {"onboarding-rescue": 1}
    assert [t.playbook for t in _open(store, "slow")] == ["onboarding-rescue"] * 3
    assert store.evaluate_playbooks().run_count == 0
    with store.transaction() as conn:
        conn.execute("UPDATE accounts SET first_value_on = ? WHERE id = 'slow'",
                     (TODAY.isoformat(),))
    assert store.evaluate_playbooks().ended == 1
    with store.transaction() as conn:
        conn.execute("UPDATE accounts SET first_value_on = NULL WHERE id = 'slow'")
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert store.evaluate_playbooks().runs == {"onboarding-rescue": 1}


def _red_account(store: Store) -> None:
    """A paying customer whose health is in the red band by its own data."""
    _account(store, "red", "retention", renewal_on=date(2026, 6, 30))
    store.add(Subscription(id="s1", account_id="red", mrr_cents=100_000,
                           started_on=date(2025, 1, 1), ended_on=date(2026, 4, 1)))
    store.add(Subscription(id="s2", account_id="red", mrr_cents=40_000,
                           started_on=date(2026, 4, 1)))
    store.add_survey_answers([_nps("red", 1, days_ago=45)])
    for day in range(8):
        store.log_interaction(Interaction(id=f"t{day}", account_id="red", kind="ticket",
                                          occurred_at=datetime(2026, 6, 1 + day, tzinfo=UTC)))
    for days in range(0, 120, 7):
        store.add(UsageRecord(id=f"u{days}", account_id="red", used_on=TODAY - timedelta(days=days + 1),
                              events=max(1, days * 10), active_users=max(1, days // 10)))


def test_health_falling_into_the_red_band_starts_the_recovery(store: Store) -> None:
    _red_account(store)
    _account(store, "fine", "retention")
    _pay(store, "fine")
    assert store.health("red").band == "at risk"
    fired = store.evaluate_playbooks()
    assert fired.runs.get("health-recovery") == 1
    assert len(_open(store, "red", "health-recovery")) == 4
    assert _open(store, "fine", "health-recovery") == []
    assert store.evaluate_playbooks().run_count == 0  # still red: the same run


def test_health_leaving_and_falling_again_into_red_starts_a_new_run(store: Store) -> None:
    _account(store, "acme", "retention")
    _pay(store, "acme")
    assert store.evaluate_playbooks(health={"acme": 30.0}).runs == {"health-recovery": 1}
    assert store.evaluate_playbooks(health={"acme": 35.0}).run_count == 0
    assert store.evaluate_playbooks(health={"acme": 55.0}).ended == 1
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        assert store.evaluate_playbooks(health={"acme": 20.0}).runs == {"health-recovery": 1}
    assert len({t.playbook_run for t in _open(store, "acme", "health-recovery")}) == 2


def test_nothing_to_do_takes_no_write(store: Store) -> None:
    _account(store, "acme", "awareness")
    before = store.data_version(), store.count(Task)
    assert store.evaluate_playbooks().run_count == 0
    assert store.count(Task) == before[1]


# -- the user's playbooks.toml ------------------------------------------------------------

def test_the_file_replaces_disables_and_adds(store: Store) -> None:
    _write_playbooks(
        'disable = ["churned-win-back"]\n\n'
        '[[playbook]]\nname = "purchase-welcome"\ntrigger = "stage"\nstage = "purchase"\n\n'
        '[[playbook.step]]\ntitle = "Send the welcome pack"\ndue = 2\nkind = "email"\n')
    playbooks = store.playbooks()
    assert playbooks.origins["purchase-welcome"] == "playbooks.toml (replaces shipped)"
    assert "churned-win-back" not in playbooks.origins
    _account(store, "acme", "consideration")
    store.move_stage("acme", "purchase")
    assert [(t.title, t.due_on) for t in _open(store, "acme")] == [
        ("Send the welcome pack", TODAY + timedelta(days=2))]
    store.move_stage("acme", "churned")
    assert _open(store, "acme", "churned-win-back") == []


@pytest.mark.parametrize(("text", "expected"), [
    ('[[playbook]]\nname = "x"\ntrigger = "stage"\nstage = "purchase"\n\n'
     '[[playbook.step]]\ntitle = "a"\n\n[[playbook.step]]\ntitle = "b"\ndue = "soon"\n',
     ':11: playbook "x" step 2 due: input should be a valid integer'),
    ('[[playbook]]\nname = "x"\ntrigger = "someday"\n',
     ':3: playbook "x" trigger: must be'),
    ('[[playbook]]\nname = "x"\ntrigger = "renewal"\n\n[[playbook.step]]\ntitle = "a"\n',
     ':1: playbook "x": days_before is needed with trigger "renewal"'),
    ('[[playbook]]\nname = "x"\ntrigger = "detractor"\n\n[[playbook.step]]\ntitle = "a"\n'
     'kind = "fax"\n', ':7: playbook "x" step 1 kind: must be'),
    ('[[playbook]]\nname = "x"\ntrigger = "detractor"\n',
     ':1: playbook "x" step: field required'),
    ('[[playbook]]\nname = "x"\ntrigger = "detractor"\n\n[[playbook.step]]\ntitle = "a"\n'
     '[[playbook]]\nname = "x"\ntrigger = "detractor"\n\n[[playbook.step]]\ntitle = "a"\n',
     ':8: playbook "x" is defined twice'),
    ('disable = ["no-such"]\n', ':1: disable [1]: no shipped playbook'),
    ('[[playbook]\nname = "x"\n', ':1:11: not valid TOML: Expected'),
    ('[[playbook]]\nname = "Win Back"\n', ':2: playbook "Win Back" name: must be 1-60 lowercase'),
    ('colour = "red"\n', ':1: colour: extra inputs are not permitted'),
])
def test_a_bad_file_is_refused_with_its_line_and_key(store: Store, text: str,
                                                     expected: str) -> None:
    path = _write_playbooks(text)
    with pytest.raises(InvalidInput) as raised:
        store.playbooks()
    message = str(raised.value)
    assert message.startswith(str(path)) and expected in message, message
    assert "\n" not in message


def test_a_bad_file_refuses_the_move_and_writes_nothing(store: Store) -> None:
    _account(store, "acme", "consideration")
    _write_playbooks('[[playbook]]\nname = "Bad Name"\ntrigger = "detractor"\n')
    with pytest.raises(InvalidInput, match="playbooks.toml:2"):
        store.move_stage("acme", "purchase")
    assert store.get_account("acme").stage == "consideration"
    assert len(store.stage_history("acme")) == 1


def test_a_book_from_before_playbooks_keeps_its_tasks_and_gains_runs(book_path: Path) -> None:
    from store.database import connect
    from store.migrations import MIGRATIONS, migrate

    before = [step.__name__ for step in MIGRATIONS].index("_006_playbooks")
    conn = connect(book_path)
    migrate(conn, book_path, MIGRATIONS[:before])
    now = "2026-01-01T00:00:00Z"
    conn.execute("INSERT INTO stages (key, label, phase, position, terminal, updated_at) "
                 "VALUES ('purchase', 'Purchase', 'acquisition', 1, 0, ?)", (now,))
    conn.execute("INSERT INTO accounts (id, name, stage, stage_entered_at, created_at, "
                 "updated_at) VALUES ('a1', 'Acme', 'purchase', ?, ?, ?)", (now, now, now))
    conn.execute("INSERT INTO tasks (id, account_id, title, due_on, status, created_at, "
                 "updated_at) VALUES ('task-1', 'a1', 'Call', '2026-07-01', 'open', ?, ?)",
                 (now, now))
    conn.close()
    with Store.open(book_path) as store:
        task = store.find_task("task-1")
        assert (task.title, task.playbook, task.kind, task.playbook_run) == ("Call", None, None,
                                                                              None)
        assert store.conn.execute("SELECT count(*) FROM playbook_runs").fetchone()[0] == 0
