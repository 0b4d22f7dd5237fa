"""Today's rules: every reason any account needs its CSM on a day, one item per reason.

Rules (thresholds in the `triage.rules` setting, see `store.settings.TriageRules`; `today` is
a UTC date and "the last N days" means today and the N - 1 days before it):
- follow_up / playbook: an open task due today or earlier (any stage; one item per task; a
  task that came from a playbook is a `playbook` item, labelled with the playbook).
- renewal: a customer account (stage at or after `customer_from`, not churned) whose renewal
  date is today or within `renewal_within_days` days.
- detractor: an account not churned whose latest NPS answer is 0-6, was given in the last
  `detractor_window_days` days, and has no interaction (support tickets aside: a ticket is the
  customer writing in, not the CSM following up) logged after it.
- quiet (cadence due): a paying customer whose last interaction (tickets aside) is as old as
  its stay-in-touch cadence or older: the shortest `triage.cadences` rule naming its segment,
  a tag or its stage, else `quiet_days`. One never touched counts from its purchase (earliest
  paid subscription start), else from entering its stage. Logging an interaction resets it.
- onboarding: an account in the onboarding stages (`customer_from` through the onboarding
  stage, see `onboarding_stages`) with no `first_value_on` more than `ttfv_target_days` days
  after its purchase or, lacking one, after entering its stage.
- health: a paying account past `customer_from` whose recorded health (the `health_history`
  table, see `store.health_history`) fell by `health_drop` points or more within
  `health_drop_days` days, or stands below `health_below`.
- billing: an account not churned whose newest failed payment no collected payment has
  followed (the condition of the KPI `unrecovered_failed_payments`); urgency 0.5 on the day of
  the failure, 1 two weeks later.

Each item carries an `urgency` from 0 to 1 (how pressing the reason is, before what is at
stake); `store.today` turns the items into one ranked row per account. Each rule is one
set-based query over the whole book; nothing runs per account.

The rules read `accounts` and `health_history` unqualified, so the backtest can replay them
over temporary tables of the same names holding the book as it stood on a past day.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from store.database import Connection
from store.kpis.payments import UNRECOVERED
from store.lifecycle import LifecycleModel, Phase
from store.money import format_money, format_money_short
from store.nps import NpsGroup, latest_answers
from store.settings import (
    REASON_KINDS,
    TriageRules,
    TriageSettings,
    load_settings,
    validate_setting,
)

RULES_SETTING = "triage.rules"
"""The settings key holding rule overrides (a JSON object; missing keys keep the default)."""


def load_rules(raw: object) -> TriageRules:
    """Validate a `triage.rules` setting (see `store.settings.TriageRules`); None gives the
    defaults. Raises InvalidInput naming the key that is wrong."""
    if raw is None:
        return TriageRules()
    validate_setting(RULES_SETTING, raw)
    return load_settings({RULES_SETTING: raw}).triage.rules


@dataclass(frozen=True)
class TriageItem:
    """One reason one account needs its CSM today.

    `days` is the reason's timing: negative is overdue (or past) by that many days, 0 is
    today, positive is that many days ahead. `urgency` (0-1) is how pressing the reason is.
    `reason` may quote user text (a task title): show it as plain text.
    """

    account_id: str
    account_name: str
    reason_kind: str
    reason: str
    days: int
    urgency: float
    mrr_cents: int
    task_id: str | None = None
    playbook: str | None = None


# -- stage sets ---------------------------------------------------------------------------

def customer_stages(lifecycle: LifecycleModel) -> list[str]:
    """The main-path stages from `customer_from` on (churned aside)."""
    return [stage.key for stage in lifecycle.main_path if lifecycle.is_customer_stage(stage.key)]


def prospect_stages(lifecycle: LifecycleModel) -> list[str]:
    """The main-path stages before `customer_from`: their accounts have no health score."""
    return [stage.key for stage in lifecycle.main_path
            if not lifecycle.is_customer_stage(stage.key)]


ONBOARDING_KEYS = ("onboarding", "activation")
"""Stage keys that name the onboarding step in the presets (nine has activation after an
engagement-phase purchase; six starts paying in onboarding itself)."""


def onboarding_stages(lifecycle: LifecycleModel) -> list[str]:
    """`customer_from` through the onboarding stage: the first customer stage keyed
    onboarding or activation, else the first engagement-phase one (classic: purchase and
    activation; nine: purchase and activation; six: onboarding; loyalty: purchase, onboarding).
    """
    customer = customer_stages(lifecycle)
    for index, key in enumerate(customer):
        if key in ONBOARDING_KEYS:
            return customer[:index + 1]
    for index, key in enumerate(customer):
        if lifecycle.stage(key).phase == Phase.ENGAGEMENT:
            return customer[:index + 1]
    return customer[:1]


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _ramp(start: float, overdue: int, full: int) -> float:
    """`start` when `overdue` is 0, rising linearly to 1 at `full` days, and staying there."""
    return min(1.0, start + (1 - start) * max(0, overdue) / max(1, full))


def _owner_clause() -> str:
    """Only the accounts of one owner when the params name one (case and spaces aside)."""
    return " AND (:owner IS NULL OR a.owner = :owner COLLATE NOCASE)"


# -- the rules ----------------------------------------------------------------------------

_PURCHASED_ON = (
    "(SELECT s.started_on FROM subscriptions s WHERE s.account_id = a.id "
    "AND s.status != 'trial' AND s.mrr_cents > 0 AND s.started_on <= :today "
    "ORDER BY s.started_on LIMIT 1)"
)
"""An account `a`'s purchase day: the start of its earliest paid subscription."""


def _has_playbook_column(conn: Connection) -> bool:
    return any(row[1] == "playbook" for row in conn.execute("PRAGMA table_info(tasks)"))


def _tasks(conn: Connection, today: date, rules: TriageRules,
           params: dict[str, Any]) -> list[TriageItem]:
    playbook = "t.playbook" if _has_playbook_column(conn) else "NULL"
    # Live: the open tasks. Replayed: the tasks opened by then and not yet done by then.
    open_then = ("t.status = 'open'" if not params["replay"] else
                 "t.created_at < :end AND (t.done_at IS NULL OR t.done_at >= :end)")
    items = []
    for task_id, account_id, name, mrr, title, due_on, book in conn.execute(
        f"SELECT t.id, t.account_id, a.name, a.mrr_cents, t.title, t.due_on, {playbook} "
        "FROM tasks t JOIN accounts a ON a.id = t.account_id "
        f"WHERE {open_then} AND t.due_on <= :today{_owner_clause()}",
        params,
    ):
        days = (date.fromisoformat(due_on) - today).days
        when = "due today" if days == 0 else f"overdue by {_days(-days)}"
        first_line = title.splitlines()[0] if title else ""
        kind, what = ("playbook", f"{book} step") if book else ("follow_up", "follow-up")
        items.append(TriageItem(account_id, name, kind, f"{what} {when}: {first_line}", days,
                                _ramp(0.5, -days, rules.overdue_full_days), mrr, task_id,
                                book or None))
    return items


def _renewals(conn: Connection, today: date, rules: TriageRules,
              params: dict[str, Any]) -> list[TriageItem]:
    items = []
    window = rules.renewal_within_days
    for account_id, name, mrr, renewal_on in conn.execute(
        "SELECT a.id, a.name, a.mrr_cents, a.renewal_on FROM accounts a "
        "WHERE a.renewal_on BETWEEN :today AND :renew_by "
        f"AND a.stage IN (SELECT value FROM json_each(:customer_stages)){_owner_clause()}",
        params,
    ):
        days = (date.fromisoformat(renewal_on) - today).days
        when = "renews today" if days == 0 else f"renews in {_days(days)}"
        stake = f", ARR {format_money_short(mrr * 12)} at stake" if mrr else ""
        items.append(TriageItem(account_id, name, "renewal", f"{when} ({renewal_on}){stake}",
                                days, 1 - days / (window + 1), mrr))
    return items


def _detractors(conn: Connection, today: date, rules: TriageRules,
                params: dict[str, Any]) -> list[TriageItem]:
    # The latest NPS answer of each account in the window (store.nps), kept when it is a
    # detractor's and no interaction other than a ticket was logged after it.
    items = []
    window = rules.detractor_window_days
    for account_id, name, mrr, score, answered_at in conn.execute(
        f"""SELECT a.id, a.name, a.mrr_cents, v.score, v.answered_at
        FROM ({latest_answers(" AND answered_at >= :nps_from AND answered_at < :end")}) v
        JOIN accounts a ON a.id = v.account_id
        WHERE {NpsGroup.DETRACTOR.condition("v.score")}
          AND a.stage IN (SELECT value FROM json_each(:active_stages)){_owner_clause()}
          AND NOT EXISTS (SELECT 1 FROM interactions i
                          WHERE i.account_id = v.account_id AND i.occurred_at > v.answered_at
                            AND i.occurred_at < :end AND i.kind != 'ticket')""",
        params,
    ):
        day = answered_at[:10]
        days = (today - date.fromisoformat(day)).days
        urgency = (1 - days / window) * (1 - score / 12)
        items.append(TriageItem(account_id, name, "detractor",
                                f"NPS {score} on {day}, nothing logged since", -days,
                                urgency, mrr))
    return items


_CADENCE = """(SELECT json_array(r.value ->> 2, r.value ->> 0 || ':' || (r.value ->> 1))
    FROM json_each(:cadences) r
    WHERE (r.value ->> 0 = 'segment' AND a.segment = r.value ->> 1 COLLATE NOCASE)
       OR (r.value ->> 0 = 'stage' AND a.stage = r.value ->> 1)
       OR (r.value ->> 0 = 'tag' AND EXISTS (SELECT 1 FROM json_each(a.tags) g
                                           WHERE g.value = r.value ->> 1 COLLATE NOCASE))
    ORDER BY r.value ->> 2, r.key LIMIT 1)"""
"""The shortest cadence rule naming an account `a`: [days, "kind:value"], or NULL."""


def _quiet(conn: Connection, today: date, rules: TriageRules,
           params: dict[str, Any]) -> list[TriageItem]:
    # Each account's last touch, tickets aside, is kept at write time in account_last_touch
    # (triggers on interactions); only an account whose latest touch is after `today` (a
    # future-dated interaction, or a replayed past day) is read from the interactions index.
    items = []
    for account_id, name, mrr, last_touch, since, cadence in conn.execute(
        f"""SELECT * FROM (
              SELECT a.id, a.name, a.mrr_cents, l.last_touch,
                     coalesce(substr(l.last_touch, 1, 10), {_PURCHASED_ON},
                              substr(a.stage_entered_at, 1, 10)) AS since,
                     {_CADENCE if params["cadences"] != "[]" else "NULL"} AS cadence
              FROM accounts a
              LEFT JOIN (SELECT t.account_id, CASE WHEN t.last_touch < :end THEN t.last_touch
                           ELSE (SELECT max(i.occurred_at) FROM interactions i
                                 WHERE i.account_id = t.account_id AND i.kind != 'ticket'
                                   AND i.occurred_at < :end) END AS last_touch
                         FROM account_last_touch t) l ON l.account_id = a.id
              WHERE a.mrr_cents > 0{_owner_clause()}
                AND a.stage IN (SELECT value FROM json_each(:customer_stages)))
        WHERE julianday(:today) - julianday(since)
              >= coalesce(cadence ->> 0, :quiet_days)""",
        params,
    ):
        days = (today - date.fromisoformat(since)).days
        every, rule = json.loads(cadence) if cadence else (rules.quiet_days, "")
        of = f" ({rule})" if rule else ""
        reason = (f"no interaction for {_days(days)}" if last_touch
                  else f"no interaction logged in {_days(days)} as a customer")
        reason += f"; cadence {_days(int(every))}{of}"
        items.append(TriageItem(account_id, name, "quiet", reason, -(days - int(every)),
                                _ramp(0.5, days - int(every), int(every)), mrr))
    return items


def _onboarding(conn: Connection, today: date, rules: TriageRules,
                params: dict[str, Any]) -> list[TriageItem]:
    items = []
    target = rules.ttfv_target_days
    for account_id, name, mrr, purchased_on, entered_on, stage in conn.execute(
        f"""SELECT * FROM (
              SELECT a.id, a.name, a.mrr_cents, {_PURCHASED_ON} AS purchased_on,
                     substr(a.stage_entered_at, 1, 10) AS entered_on, a.stage
              FROM accounts a
              WHERE (a.first_value_on IS NULL OR a.first_value_on > :today){_owner_clause()}
                AND a.stage IN (SELECT value FROM json_each(:onboarding_stages)))
        WHERE coalesce(purchased_on, entered_on) < :ttfv_by""",
        params,
    ):
        since = purchased_on or entered_on
        days = (today - date.fromisoformat(since)).days
        after = "purchase" if purchased_on else f"entering {stage}"
        items.append(TriageItem(
            account_id, name, "onboarding",
            f"no first value {_days(days)} after {after} (target {target})",
            -(days - target), _ramp(0.5, days - target, target), mrr,
        ))
    return items


def _health(conn: Connection, rules: TriageRules, params: dict[str, Any]) -> list[TriageItem]:
    # Today's score is the latest recorded on or before today; the peak is the highest in
    # effect at any time in the window: the one recorded last on or before its first day, or
    # any inside it (one range seek from that row on). Each is an index seek per account.
    items = []
    for account_id, name, mrr, score, peak in conn.execute(
        f"""SELECT a.id, a.name, a.mrr_cents,
                   (SELECT h.score FROM health_history h WHERE h.account_id = a.id
                      AND h.day <= :today ORDER BY h.day DESC LIMIT 1),
                   (SELECT max(coalesce(h.score, -1)) FROM health_history h
                    WHERE h.account_id = a.id AND h.day <= :today
                      AND h.day >= coalesce((SELECT max(b.day) FROM health_history b
                                             WHERE b.account_id = a.id
                                               AND b.day <= :drop_from), ''))
            FROM accounts a WHERE a.mrr_cents > 0{_owner_clause()}
              AND a.stage IN (SELECT value FROM json_each(:health_stages))""",
        params,
    ):
        if score is None:
            continue
        drop = peak - score if peak >= 0 else 0.0
        fell = drop >= rules.health_drop
        low = score < rules.health_below
        if not (fell or low):
            continue
        shown = f"{score:.0f}"
        if fell:
            reason = (f"health dropped {drop:.0f} points in {_days(rules.health_drop_days)} "
                      f"({peak:.0f} → {shown})")
            urgency = min(1.0, drop / (2 * rules.health_drop))
        else:
            reason = f"health {shown} (below {rules.health_below:g})"
            urgency = 0.0
        if low:
            urgency = max(urgency, 0.25 + 0.25 * (rules.health_below - score) / rules.health_below)
            if fell:
                reason += ", at risk"
        items.append(TriageItem(account_id, name, "health", reason, 0, urgency, mrr))
    return items


def _cadence_rules(settings: TriageSettings) -> str:
    """The cadence setting as a JSON array of [kind, value, days] rules (in setting order)."""
    rules = []
    for rule, days in settings.cadences.items():
        kind, _, value = rule.partition(":")
        rules.append([kind, value.strip(), days])
    return json.dumps(rules)


BILLING_FULL_DAYS = 14
"""Days after a failed payment at which its urgency reaches 1 (0.5 on the day itself)."""


def _billing(conn: Connection, today: date, rules: TriageRules,
             params: dict[str, Any]) -> list[TriageItem]:
    # The newest failed payment of each account not churned that no collected payment has
    # followed by the end of `today` (the KPI unrecovered_failed_payments' condition). Read
    # from the failed payments (CROSS JOIN keeps them the outer loop: the index
    # payments_failed holds only those), not from every account's payments.
    items = []
    for account_id, name, mrr, failed_at, amount in conn.execute(
        f"""SELECT a.id, a.name, a.mrr_cents, max(p.attempted_at), p.amount_cents
        FROM payments p CROSS JOIN accounts a ON a.id = p.account_id
        WHERE p.attempted_at < :end AND {UNRECOVERED}
          AND a.stage IN (SELECT value FROM json_each(:active_stages)){_owner_clause()}
        GROUP BY a.id""",
        params,
    ):
        day = failed_at[:10]
        days = (today - date.fromisoformat(day)).days
        items.append(TriageItem(account_id, name, "billing",
                                f"payment of {format_money(amount)} failed on {day}, "
                                "not recovered", -days, _ramp(0.5, days, BILLING_FULL_DAYS),
                                mrr))
    return items


def triage(conn: Connection, today: date, settings: TriageSettings, lifecycle: LifecycleModel,
           *, owner: str | None = None, kinds: Collection[str] = REASON_KINDS,
           replay: bool = False) -> list[TriageItem]:
    """Every reason any account (of `owner`, when given) needs its CSM on `today`.

    `kinds` limits the rules run (a disabled kind in the settings never runs). `replay` reads
    tasks as they stood at the end of `today` (done ones reopened) for the backtest.
    """
    rules = settings.rules
    customer = customer_stages(lifecycle)
    end = today + timedelta(days=1)
    params: dict[str, Any] = {
        "today": today.isoformat(),
        "end": f"{end.isoformat()}T00:00:00Z",
        "renew_by": (today + timedelta(days=rules.renewal_within_days)).isoformat(),
        "nps_from": f"{(today - timedelta(days=rules.detractor_window_days - 1)).isoformat()}"
                    "T00:00:00Z",
        "quiet_days": rules.quiet_days,
        "ttfv_by": (today - timedelta(days=rules.ttfv_target_days)).isoformat(),
        "drop_from": (today - timedelta(days=rules.health_drop_days)).isoformat(),
        "customer_stages": json.dumps(customer),
        "active_stages": json.dumps([stage.key for stage in lifecycle.main_path]),
        "onboarding_stages": json.dumps(onboarding_stages(lifecycle)),
        "health_stages": json.dumps(customer[1:]),
        "cadences": _cadence_rules(settings),
        "owner": " ".join(owner.split()) if owner else None,
        "replay": replay,
    }
    wanted = set(kinds) - rules.disabled
    items: list[TriageItem] = []
    if wanted & {"follow_up", "playbook"}:
        items += [item for item in _tasks(conn, today, rules, params)
                  if item.reason_kind in wanted]
    rules_by_kind = {
        "renewal": _renewals, "detractor": _detractors, "quiet": _quiet,
        "onboarding": _onboarding, "billing": _billing,
    }
    for kind, rule in rules_by_kind.items():
        if kind in wanted:
            items += rule(conn, today, rules, params)
    if "health" in wanted:
        items += _health(conn, rules, params)
    return items


def counts_by_kind(kinds: Sequence[str]) -> dict[str, int]:
    """How many of each reason kind, in REASON_KINDS order (kinds with none left out)."""
    counts = dict.fromkeys(REASON_KINDS, 0)
    for kind in kinds:
        counts[kind] += 1
    return {kind: count for kind, count in counts.items() if count}
