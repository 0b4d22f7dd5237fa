"""Turning a fired trigger into tasks, once per trigger event (a playbook run).

A run is keyed by what fired it, so firing again for the same event adds nothing:
- stage: the stage move (`move:<id>`); moving away and back is a new move, so a new run;
- detractor: the NPS answer (`answer:<id>`);
- renewal: the renewal date (`renewal:<date>`); a new renewal date is a new run;
- onboarding_late, health_red: conditions. A run starts when the condition holds and no run of
  the playbook is open on the account; it ends (`ended_at`) on the first evaluation where the
  condition no longer holds, so falling into the red band again starts a new run.

Each step becomes an open task due `due` days after the trigger day (the move, the answer, the
renewal date minus `days_before`, the day a condition was found), never before the day the run
starts. Events dated more than `STALE_DAYS` days before today start nothing: an imported stage
history or a year-old survey export is history, not work.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from store.clock import format_timestamp, parse_timestamp, utc_now
from store.database import Connection
from store.ids import new_id
from store.kpis.health import band
from store.lifecycle import CHURNED, LifecycleModel
from store.playbooks.definitions import Playbook, PlaybookSet, Trigger
from store.triage import customer_stages

__all__ = ["Fired", "Trigger", "STALE_DAYS", "RED_BAND"]

STALE_DAYS = 30
"""An event (stage move, detractor answer) older than this many days starts no playbook."""

RED_BAND = band(0.0)
"""The health band that fires `health_red`: the lowest one ('at risk')."""


@dataclass
class Fired:
    """What one firing did: runs started and tasks opened, per playbook name."""

    runs: dict[str, int] = field(default_factory=dict)
    tasks: int = 0
    ended: int = 0

    def add(self, other: Fired) -> None:
        """Fold another firing's counts into this one."""
        for name, count in other.runs.items():
            self.runs[name] = self.runs.get(name, 0) + count
        self.tasks += other.tasks
        self.ended += other.ended

    @property
    def run_count(self) -> int:
        """How many runs started."""
        return sum(self.runs.values())


def start_run(conn: Connection, playbook: Playbook, account_id: str, run_key: str,
              trigger_day: date, today: date, fired: Fired) -> None:
    """Start one run of `playbook` on an account (nothing if this run key already ran)."""
    now = format_timestamp(utc_now())
    run_id = new_id()
    before = conn.total_changes
    conn.execute(
        "INSERT OR IGNORE INTO playbook_runs (id, account_id, playbook, trigger, run_key, "
        "started_at) VALUES (?, ?, ?, ?, ?, ?)",
        (run_id, account_id, playbook.name, playbook.trigger.value, run_key, now))
    if conn.total_changes == before:
        return
    conn.executemany(
        "INSERT INTO tasks (id, account_id, title, due_on, status, created_at, updated_at, "
        "kind, playbook, playbook_run) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)",
        [(new_id(), account_id, step.title,
          max(trigger_day + timedelta(days=step.due), today).isoformat(), now, now,
          step.kind.value if step.kind else None, playbook.name, run_id)
         for step in playbook.steps])
    fired.runs[playbook.name] = fired.runs.get(playbook.name, 0) + 1
    fired.tasks += len(playbook.steps)


def _fresh(day: date, today: date) -> bool:
    return day >= today - timedelta(days=STALE_DAYS)


def on_stage_entry(conn: Connection, playbooks: PlaybookSet, account_id: str, stage: str,
                   move_id: str, moved_at: datetime, today: date) -> Fired:
    """Start the playbooks of entering `stage` (inside the move's transaction)."""
    fired = Fired()
    if _fresh(moved_at.date(), today):
        for playbook in playbooks.for_trigger(Trigger.STAGE, stage):
            start_run(conn, playbook, account_id, f"move:{move_id}", moved_at.date(), today,
                      fired)
    return fired


def on_nps_answers(conn: Connection, playbooks: PlaybookSet,
                   answers: Iterable[tuple[str, str, int, datetime]], today: date) -> Fired:
    """Start the detractor playbooks for (answer id, account id, score, answered at) rows."""
    fired = Fired()
    chosen = playbooks.for_trigger(Trigger.DETRACTOR)
    if not chosen:
        return fired
    for answer_id, account_id, score, answered_at in answers:
        if score > 6 or not _fresh(answered_at.date(), today):
            continue
        stage = conn.execute("SELECT stage FROM accounts WHERE id = ?", (account_id,)).fetchone()
        if stage is None or stage[0] == CHURNED:
            continue
        for playbook in chosen:
            start_run(conn, playbook, account_id, f"answer:{answer_id}", answered_at.date(),
                      today, fired)
    return fired


def after_import(conn: Connection, playbooks: PlaybookSet, kind: str, stamp: str,
                 today: date) -> Fired:
    """Fire for what an import wrote at `stamp`: stage changes, detractor answers."""
    fired = Fired()
    if kind in ("accounts", "stages"):
        for move_id, account_id, stage, moved_at in conn.execute(
            "SELECT h.id, h.account_id, h.to_stage, h.moved_at FROM stage_history h "
            "JOIN accounts a ON a.id = h.account_id AND a.stage = h.to_stage "
            "WHERE h.updated_at = ? AND h.from_stage IS NOT NULL AND NOT EXISTS ("
            "  SELECT 1 FROM stage_history later WHERE later.account_id = h.account_id "
            "  AND (later.moved_at > h.moved_at OR later.moved_at = h.moved_at AND later.id > h.id))",
            (stamp,)).fetchall():
            fired.add(on_stage_entry(conn, playbooks, account_id, stage, move_id,
                                     parse_timestamp(moved_at), today))
    if kind == "surveys":
        rows = conn.execute(
            "SELECT id, account_id, score, answered_at FROM survey_answers "
            "WHERE updated_at = ? AND kind = 'nps' AND score <= 6", (stamp,)).fetchall()
        fired.add(on_nps_answers(
            conn, playbooks,
            [(row[0], row[1], row[2], parse_timestamp(row[3])) for row in rows], today))
    return fired


# -- the day passing ------------------------------------------------------------------------

@dataclass(frozen=True)
class DatePlan:
    """What an evaluation found to do: runs to start and condition runs to end."""

    starts: list[tuple[Playbook, str, str, date]]
    """(playbook, account id, run key, trigger day)."""
    ends: list[tuple[str, str]]
    """(playbook name, account id) whose open condition run ends."""


def _renewal_starts(conn: Connection, playbook: Playbook, customer: list[str],
                    today: date) -> list[tuple[Playbook, str, str, date]]:
    assert playbook.days_before is not None
    by = today + timedelta(days=playbook.days_before)
    starts = []
    # `+a.stage`: read by the renewal-date index, not the stage one (most accounts are customers).
    for account_id, renewal_on in conn.execute(
        "SELECT a.id, a.renewal_on FROM accounts a WHERE a.renewal_on BETWEEN ? AND ? "
        "AND +a.stage IN (SELECT value FROM json_each(?)) AND NOT EXISTS ("
        "  SELECT 1 FROM playbook_runs r WHERE r.account_id = a.id AND r.playbook = ? "
        "  AND r.run_key = 'renewal:' || a.renewal_on)",
        (today.isoformat(), by.isoformat(), json.dumps(customer), playbook.name)):
        day = date.fromisoformat(renewal_on) - timedelta(days=playbook.days_before)
        starts.append((playbook, account_id, f"renewal:{renewal_on}", day))
    return starts


def _condition_plan(conn: Connection, playbook: Playbook, holding: Collection[str],
                    today: date) -> DatePlan:
    open_runs = {row[0] for row in conn.execute(
        "SELECT account_id FROM playbook_runs WHERE playbook = ? AND ended_at IS NULL",
        (playbook.name,))}
    starts = [(playbook, account_id, f"{playbook.trigger.value}:{today.isoformat()}", today)
              for account_id in sorted(set(holding) - open_runs)]
    ends = [(playbook.name, account_id) for account_id in sorted(open_runs - set(holding))]
    return DatePlan(starts, ends)


def in_red(health: Mapping[str, float | None]) -> list[str]:
    """The accounts whose score is in the red band (`band` asked once per distinct score)."""
    red = {score for score in set(health.values()) if band(score) == RED_BAND}
    return [key for key, score in health.items() if score in red]


def plan_date_triggers(conn: Connection, playbooks: PlaybookSet, lifecycle: LifecycleModel,
                       today: date, late_onboarding: Collection[str] | None,
                       health_red: Collection[str] | None) -> DatePlan:
    """Read what the date-based triggers call for today (no write).

    `late_onboarding` are the accounts past their time-to-value target; `health_red` the paying
    customers whose health is in the red band (see `in_red`). None skips that trigger (its runs
    neither start nor end).
    """
    customer = customer_stages(lifecycle)
    starts: list[tuple[Playbook, str, str, date]] = []
    ends: list[tuple[str, str]] = []
    for playbook in playbooks.for_trigger(Trigger.RENEWAL):
        starts += _renewal_starts(conn, playbook, customer, today)
    conditions: list[tuple[Trigger, Collection[str] | None]] = [
        (Trigger.ONBOARDING_LATE, late_onboarding),
        (Trigger.HEALTH_RED, health_red),
    ]
    for trigger, holding in conditions:
        if holding is None:
            continue
        for playbook in playbooks.for_trigger(trigger):
            plan = _condition_plan(conn, playbook, holding, today)
            starts += plan.starts
            ends += plan.ends
    return DatePlan(starts, ends)


def apply_plan(conn: Connection, plan: DatePlan, today: date) -> Fired:
    """Write a plan inside the caller's transaction (run keys make it safe to repeat)."""
    fired = Fired()
    now = format_timestamp(utc_now())
    for name, account_id in plan.ends:
        cursor = conn.execute(
            "UPDATE playbook_runs SET ended_at = ? WHERE playbook = ? AND account_id = ? "
            "AND ended_at IS NULL", (now, name, account_id))
        fired.ended += max(cursor.rowcount, 0)
    for playbook, account_id, key, day in plan.starts:
        if playbook.trigger in (Trigger.ONBOARDING_LATE, Trigger.HEALTH_RED) and conn.execute(
                "SELECT 1 FROM playbook_runs WHERE playbook = ? AND account_id = ? "
                "AND ended_at IS NULL", (playbook.name, account_id)).fetchone():
            continue  # another process started it meanwhile
        start_run(conn, playbook, account_id, key, day, today, fired)
    return fired


def forget_move(conn: Connection, account_id: str, move_id: str) -> int:
    """Take back the runs a stage move started (its undo) and their tasks still open."""
    runs = [row[0] for row in conn.execute(
        "SELECT id FROM playbook_runs WHERE account_id = ? AND run_key = ?",
        (account_id, f"move:{move_id}"))]
    removed = 0
    for run_id in runs:
        removed += conn.execute(
            "DELETE FROM tasks WHERE playbook_run = ? AND status = 'open'", (run_id,)).rowcount
        conn.execute("DELETE FROM playbook_runs WHERE id = ?", (run_id,))
    return removed


def describe(fired: Fired) -> str:
    """'2 playbooks started (purchase-welcome, ...): 7 tasks' or ''."""
    if not fired.run_count:
        return ""
    names = ", ".join(sorted(fired.runs))
    runs = fired.run_count
    return (f"{runs} playbook run{'' if runs == 1 else 's'} started ({names}): "
            f"{fired.tasks} task{'' if fired.tasks == 1 else 's'}")


