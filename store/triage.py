"""The triage queue ("Today"): every account that needs its CSM today, one item per reason.

Rules (thresholds in the `triage.rules` setting, see `TriageRules`; `today` is a UTC date and
"the last N days" means today and the N - 1 days before it, as in the health score):
- follow_up: an open task due today or earlier (any stage; one item per task).
- renewal: a customer account (stage at or after `customer_from`, not churned) whose renewal
  date is today or within `renewal_within_days` days.
- detractor: an account not churned whose latest NPS answer is 0-6, was given in the last
  `detractor_window_days` days, and has no interaction (support tickets aside: a ticket is the
  customer writing in, not the CSM following up) logged after it.
- quiet: a paying customer (customer stage, MRR > 0) with no interaction (tickets aside) in the
  last `quiet_days` days — the last one was `quiet_days` or more days ago. One never touched
  counts from its purchase (earliest paid subscription start), else from entering its stage.
- onboarding: an account in the onboarding stages — `customer_from` through the onboarding
  stage (see `onboarding_stages`; classic: purchase and activation) — with no
  `first_value_on` more than `ttfv_target_days` days after its purchase (earliest paid
  subscription start) or, lacking one, after entering its stage.
- health: a paying account in a stage after `customer_from` whose health score is below
  `health_below`. The book stores no past health scores, so "health dropped" cannot be measured
  yet: `health_drop` is validated and kept for when daily scores are stored, and the rule
  approximates "dropped" as "below the threshold now".

Each rule is one set-based query over the whole book (the health rule adds the health score's
own few queries, limited to the accounts it can list); nothing runs per account.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from store.database import Connection
from store.kpis.health import band
from store.lifecycle import LifecycleModel, Phase
from store.settings import REASON_KINDS, TriageRules, load_settings, validate_setting
from store.nps import NpsGroup, latest_answers

RULES_SETTING = "triage.rules"
"""The settings key holding rule overrides (a JSON object; missing keys keep the default)."""

HealthScores = Callable[[Sequence[str]], Mapping[str, float | None]]
"""Health scores of the given account ids (None = no data), e.g. `Store.health_scores`."""


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

    `urgency` is in days: negative is overdue by that many days, 0 is today, positive is that
    many days ahead; a smaller number comes first. `reason` may quote user text (a task
    title): show it as plain text.
    """

    account_id: str
    account_name: str
    reason_kind: str
    reason: str
    urgency: int
    mrr_cents: int
    task_id: str | None = None

    @property
    def sort_key(self) -> tuple[int, int, int, str, str, str]:
        """Most urgent first; then by reason kind, highest MRR, name, and ids for stability."""
        return (self.urgency, REASON_KINDS.index(self.reason_kind), -self.mrr_cents,
                self.account_name.casefold(), self.account_id, self.task_id or "")


# -- stage sets ---------------------------------------------------------------------------

def _customer_stages(lifecycle: LifecycleModel) -> list[str]:
    return [stage.key for stage in lifecycle.main_path if lifecycle.is_customer_stage(stage.key)]


ONBOARDING_KEYS = ("onboarding", "activation")
"""Stage keys that name the onboarding step in the presets (nine has activation after an
engagement-phase purchase; six starts paying in onboarding itself)."""


def onboarding_stages(lifecycle: LifecycleModel) -> list[str]:
    """`customer_from` through the onboarding stage: the first customer stage keyed
    onboarding or activation, else the first engagement-phase one (classic: purchase and
    activation; nine: purchase and activation; six: onboarding; loyalty: purchase, onboarding).
    """
    customer = _customer_stages(lifecycle)
    for index, key in enumerate(customer):
        if key in ONBOARDING_KEYS:
            return customer[:index + 1]
    for index, key in enumerate(customer):
        if lifecycle.stage(key).phase == Phase.ENGAGEMENT:
            return customer[:index + 1]
    return customer[:1]


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


# -- the rules ----------------------------------------------------------------------------

_PURCHASED_ON = (
    "(SELECT s.started_on FROM subscriptions s WHERE s.account_id = a.id "
    "AND s.status != 'trial' AND s.mrr_cents > 0 ORDER BY s.started_on LIMIT 1)"
)
"""An account `a`'s purchase day: the start of its earliest paid subscription."""


def _follow_ups(conn: Connection, today: date, params: dict[str, Any]) -> list[TriageItem]:
    items = []
    for task_id, account_id, name, mrr, title, due_on in conn.execute(
        "SELECT t.id, t.account_id, a.name, a.mrr_cents, t.title, t.due_on "
        "FROM tasks t JOIN accounts a ON a.id = t.account_id "
        "WHERE t.status = 'open' AND t.due_on <= :today",
        params,
    ):
        days = (date.fromisoformat(due_on) - today).days
        when = "due today" if days == 0 else f"overdue by {_days(-days)}"
        first_line = title.splitlines()[0] if title else ""
        items.append(TriageItem(account_id, name, "follow_up", f"follow-up {when}: {first_line}",
                                days, mrr, task_id))
    return items


def _renewals(conn: Connection, today: date, params: dict[str, Any]) -> list[TriageItem]:
    items = []
    for account_id, name, mrr, renewal_on in conn.execute(
        "SELECT a.id, a.name, a.mrr_cents, a.renewal_on FROM accounts a "
        "WHERE a.renewal_on BETWEEN :today AND :renew_by "
        "AND a.stage IN (SELECT value FROM json_each(:customer_stages))",
        params,
    ):
        days = (date.fromisoformat(renewal_on) - today).days
        when = "renews today" if days == 0 else f"renews in {_days(days)}"
        items.append(TriageItem(account_id, name, "renewal", f"{when} ({renewal_on})", days, mrr))
    return items


def _detractors(conn: Connection, today: date, params: dict[str, Any]) -> list[TriageItem]:
    # The latest NPS answer of each account in the window (store.nps), kept when it is a
    # detractor's and no interaction other than a ticket was logged after it.
    items = []
    for account_id, name, mrr, score, answered_at in conn.execute(
        f"""SELECT a.id, a.name, a.mrr_cents, v.score, v.answered_at
        FROM ({latest_answers(" AND answered_at >= :nps_from AND answered_at < :end")}) v
        JOIN accounts a ON a.id = v.account_id
        WHERE {NpsGroup.DETRACTOR.condition("v.score")}
          AND a.stage IN (SELECT value FROM json_each(:active_stages))
          AND NOT EXISTS (SELECT 1 FROM interactions i
                          WHERE i.account_id = v.account_id AND i.occurred_at > v.answered_at
                            AND i.occurred_at < :end AND i.kind != 'ticket')""",
        params,
    ):
        day = answered_at[:10]
        days = (today - date.fromisoformat(day)).days
        items.append(TriageItem(account_id, name, "detractor",
                                f"NPS {score} on {day}, nothing logged since", -days, mrr))
    return items


def _quiet(conn: Connection, today: date, rules: TriageRules,
           params: dict[str, Any]) -> list[TriageItem]:
    # One grouped pass over the interactions finds every account's last touch (cheaper than
    # a lookup per paying account, which needs the row of each interaction to skip tickets).
    items = []
    for account_id, name, mrr, last_touch, never_since in conn.execute(
        f"""SELECT a.id, a.name, a.mrr_cents, l.last_touch,
                   CASE WHEN l.last_touch IS NULL
                        THEN coalesce({_PURCHASED_ON}, substr(a.stage_entered_at, 1, 10)) END
        FROM accounts a
        LEFT JOIN (SELECT account_id, max(occurred_at) AS last_touch FROM interactions
                   WHERE kind != 'ticket' AND occurred_at < :end
                   GROUP BY account_id) l ON l.account_id = a.id
        WHERE a.mrr_cents > 0
          AND a.stage IN (SELECT value FROM json_each(:customer_stages))
          AND (l.last_touch < :quiet_from
               OR (l.last_touch IS NULL AND coalesce({_PURCHASED_ON},
                   substr(a.stage_entered_at, 1, 10)) <= :quiet_by))""",
        params,
    ):
        since = last_touch[:10] if last_touch else never_since
        days = (today - date.fromisoformat(since)).days
        reason = (f"no interaction for {_days(days)}" if last_touch
                  else f"no interaction logged in {_days(days)} as a customer")
        items.append(TriageItem(account_id, name, "quiet", reason,
                                -(days - rules.quiet_days), mrr))
    return items


def _onboarding(conn: Connection, today: date, rules: TriageRules,
                params: dict[str, Any]) -> list[TriageItem]:
    items = []
    for account_id, name, mrr, purchased_on, entered_on, stage in conn.execute(
        f"""SELECT * FROM (
              SELECT a.id, a.name, a.mrr_cents, {_PURCHASED_ON} AS purchased_on,
                     substr(a.stage_entered_at, 1, 10) AS entered_on, a.stage
              FROM accounts a
              WHERE a.first_value_on IS NULL
                AND a.stage IN (SELECT value FROM json_each(:onboarding_stages)))
        WHERE coalesce(purchased_on, entered_on) < :ttfv_by""",
        params,
    ):
        since = purchased_on or entered_on
        days = (today - date.fromisoformat(since)).days
        after = "purchase" if purchased_on else f"entering {stage}"
        items.append(TriageItem(
            account_id, name, "onboarding",
            f"no first value {_days(days)} after {after} (target {rules.ttfv_target_days})",
            -(days - rules.ttfv_target_days), mrr,
        ))
    return items


def _health(conn: Connection, rules: TriageRules, params: dict[str, Any],
            health_scores_fn: HealthScores) -> list[TriageItem]:
    candidates = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            "SELECT a.id, a.name, a.mrr_cents FROM accounts a WHERE a.mrr_cents > 0 "
            "AND a.stage IN (SELECT value FROM json_each(:health_stages))",
            params,
        )
    }
    if not candidates:
        return []
    items = []
    for account_id, score in health_scores_fn(list(candidates)).items():
        if score is None or score >= rules.health_below or account_id not in candidates:
            continue
        name, mrr = candidates[account_id]
        shown = f"{score:g}"
        items.append(TriageItem(account_id, name, "health", f"health {shown} ({band(score)})",
                                0, mrr))
    return items


def triage(conn: Connection, today: date, rules: TriageRules, lifecycle: LifecycleModel,
           health_scores_fn: HealthScores | None) -> list[TriageItem]:
    """Every reason any account needs its CSM on `today`, most urgent first.

    `health_scores_fn` None skips the health rule (as does disabling it in `rules`).
    """
    customer = _customer_stages(lifecycle)
    after_customer = customer[1:]
    end = today + timedelta(days=1)
    params: dict[str, Any] = {
        "today": today.isoformat(),
        "end": f"{end.isoformat()}T00:00:00Z",
        "renew_by": (today + timedelta(days=rules.renewal_within_days)).isoformat(),
        "nps_from": f"{(today - timedelta(days=rules.detractor_window_days - 1)).isoformat()}"
                    "T00:00:00Z",
        "quiet_by": (today - timedelta(days=rules.quiet_days)).isoformat(),
        "quiet_from": f"{(today - timedelta(days=rules.quiet_days - 1)).isoformat()}T00:00:00Z",
        "ttfv_by": (today - timedelta(days=rules.ttfv_target_days)).isoformat(),
        "customer_stages": json.dumps(customer),
        "active_stages": json.dumps([stage.key for stage in lifecycle.main_path]),
        "onboarding_stages": json.dumps(onboarding_stages(lifecycle)),
        "health_stages": json.dumps(after_customer),
    }
    off = rules.disabled
    items: list[TriageItem] = []
    if "follow_up" not in off:
        items += _follow_ups(conn, today, params)
    if "renewal" not in off:
        items += _renewals(conn, today, params)
    if "detractor" not in off:
        items += _detractors(conn, today, params)
    if "quiet" not in off:
        items += _quiet(conn, today, rules, params)
    if "onboarding" not in off:
        items += _onboarding(conn, today, rules, params)
    if "health" not in off and health_scores_fn is not None:
        items += _health(conn, rules, params, health_scores_fn)
    items.sort(key=lambda item: item.sort_key)
    return items


def book_triage(conn: Connection, today: date, rules: TriageRules, lifecycle: LifecycleModel,
                health_scores_fn: HealthScores | None,
                kinds: Collection[str] = REASON_KINDS) -> list[TriageItem]:
    """The queue under a book's `rules`, limited to the reason kinds `kinds`.

    The health rule costs more than all the others together (it scores every paying account),
    so a screen can ask for the other kinds first and for ["health"] afterwards.
    """
    rules = rules.model_copy(
        update={"disabled": rules.disabled | (frozenset(REASON_KINDS) - set(kinds))})
    return triage(conn, today, rules, lifecycle, health_scores_fn)


def counts_by_kind(items: Sequence[TriageItem]) -> dict[str, int]:
    """How many items of each reason kind, in REASON_KINDS order (kinds with none left out)."""
    counts = {kind: 0 for kind in REASON_KINDS}
    for item in items:
        counts[item.reason_kind] += 1
    return {kind: count for kind, count in counts.items() if count}
