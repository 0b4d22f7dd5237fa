"""The explainable account health score: seven components, each with its weight, score and reason.

Each component scores 0-100, or None when there is nothing to score it from ("no data"):
- usage_trend: product events in the last complete calendar month vs the month before (usage
  is often one row per month dated the 1st, so calendar months compare like with like); flat
  or up → 100, each % of decline costs 2 points (−25% → 50, −50% or worse → 0); none the month
  before but some now → 100; no events in either month → no data.
- sentiment: the latest NPS answer of the last 365 days × 10 (0-10 → 0-100), averaged with
  the share of CSAT answers scoring 4-5 in the last 180 days when there are any; neither → no data.
- engagement: days since the last interaction that is not a ticket: 0-14 → 100, then linear
  down to 0 at 90 days or more; no such interaction → no data.
- support_load: tickets in the last 90 days: 100 − 15 per ticket, floor 0; no data when the
  account has no interaction of any kind logged (there is no ticket history to judge by).
- renewal: renewal date more than 90 days away → 100; 31-90 days → 75; 0-30 days → 50;
  already passed → 25; no renewal date → no data.
- mrr_trend: month-end MRR of the current month (from account_months) vs three months
  earlier: flat or up → 100, each % of decline costs 2 points; paying now but not then → 100;
  not paying now after having paid → 0 (churned); never paid → no data.
- billing: payments attempted up to today: a failed payment no collected payment has followed
  (the KPI unrecovered_failed_payments' condition, the Today list's "billing" reason) → 0;
  else a failed payment in the last 90 days, since recovered → 70; else 100 ("in good
  standing"); no payments at all → no data.

Prospects (accounts in a stage before the first paying one) get no score at all: there is
nothing yet to be healthy about, and 100 would rank them with the best customers.

The overall score is the weighted mean of the component scores that have data (weights
renormalised over them), computed from the component scores as shown (rounded to one
decimal) and rounded to one decimal; None when no component has data. Bands: healthy ≥ 70,
watch 40-69.9, at risk < 40, "no data".

One account and a whole book go through the same queries and the same scoring, so a score is
the same wherever it is shown. Time windows are relative to `today` (a UTC date): "the last
N days" is today and the N − 1 days before it, up to the end of today; nothing dated after
today counts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from store.database import Connection
from store.errors import NotFound
from store.kpis.payments import UNRECOVERED
from store.kpis.periods import add_months, month_key
from store.money import format_money
from store.nps import NpsGroup, latest_answers
from store.settings import HealthWeights, load_settings, validate_setting

DEFAULT_WEIGHTS: dict[str, float] = HealthWeights().model_dump()
"""Each component's weight until the `health.weights` setting says otherwise (the meaning of
each component is documented on `store.settings.HealthWeights`)."""
"""Default weight of each component (relative: they need not sum to 100)."""

LABELS = {
    "usage_trend": "Usage trend",
    "sentiment": "NPS / CSAT",
    "engagement": "Engagement recency",
    "support_load": "Support load",
    "renewal": "Renewal proximity",
    "mrr_trend": "MRR trend",
    "billing": "Billing",
}

WEIGHTS_SETTING = "health.weights"
"""The settings key holding the weights (a JSON object; missing components keep the default)."""

HEALTHY_FROM = 70.0
WATCH_FROM = 40.0
HEALTH_BANDS: dict[str, tuple[float, float]] = {
    "at risk": (0.0, WATCH_FROM), "watch": (WATCH_FROM, HEALTHY_FROM),
    "healthy": (HEALTHY_FROM, 101.0),
}
"""Each band's half-open score range [low, high): the one definition the score's band, the
board's filter and the pane's colours read."""
NO_DATA_BAND = "no data"
NPS_DAYS = 365
"""An NPS answer older than this many days is ignored."""
CSAT_DAYS = 180
TICKET_DAYS = 90
TICKET_PENALTY = 15
"""Each ticket in the last TICKET_DAYS days costs this many points (floor 0)."""
ENGAGED_DAYS = 14
"""An interaction at most this many days ago scores 100 ..."""
SILENT_DAYS = 90
"""... falling linearly to 0 at this many days."""
MRR_TREND_MONTHS = 3
RENEWAL_FAR_DAYS = 90
RENEWAL_NEAR_DAYS = 30
BILLING_RECENT_DAYS = 90
"""A failed payment recovered within this many days still costs the billing component ..."""
RECOVERED_SCORE = 70.0
"""... which then scores this (the lowest "healthy" score) instead of 100."""


@dataclass(frozen=True)
class HealthComponent:
    """One part of the health score: its weight, its 0-100 score (None = no data), and why."""

    name: str
    label: str
    weight: float
    score: float | None
    reason: str


@dataclass(frozen=True)
class Health:
    """An account's health: the overall score, its band, and the components behind it."""

    account_id: str
    score: float | None
    band: str
    """'healthy' (>= 70), 'watch' (40-69.9), 'at risk' (< 40) or 'no data'."""
    components: list[HealthComponent]


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the queries found for one account; everything the components are scored from."""

    renewal_on: str | None
    mrr_now: int
    mrr_before: int
    last_paid_month: str | None
    last_touch: str | None
    has_interactions: int
    tickets: int
    usage_last: int
    usage_previous: int
    nps_score: int | None
    nps_at: str | None
    nps_key: str | None
    csat_answers: int
    csat_good: int
    payments: int
    failed_recently: int
    unrecovered_at: str | None
    unrecovered_cents: int | None


@dataclass(frozen=True)
class _Windows:
    """The bounds every query and reason uses, derived once from `today`."""

    today: date
    end: str
    usage_last_from: str
    usage_previous_from: str
    usage_until: str
    nps_from: str
    csat_from: str
    tickets_from: str
    failures_from: str
    month_now: str
    month_before: str

    @classmethod
    def of(cls, today: date) -> _Windows:
        this_month = today.replace(day=1)

        def since(days: int) -> str:
            return f"{(today - timedelta(days=days - 1)).isoformat()}T00:00:00Z"

        return cls(
            today=today,
            end=f"{(today + timedelta(days=1)).isoformat()}T00:00:00Z",
            usage_last_from=add_months(this_month, -1).isoformat(),
            usage_previous_from=add_months(this_month, -2).isoformat(),
            usage_until=this_month.isoformat(),
            nps_from=since(NPS_DAYS),
            csat_from=since(CSAT_DAYS),
            tickets_from=since(TICKET_DAYS),
            failures_from=since(BILLING_RECENT_DAYS),
            month_now=month_key(today),
            month_before=month_key(add_months(this_month, -MRR_TREND_MONTHS)),
        )


# -- weights ------------------------------------------------------------------------------

def score_text(score: float | None, missing: str = "—") -> str:
    """A health score as people read it everywhere (board, pane, CLI): a whole number, halves
    rounded up (80.5 → 81, where Python's format would give 80)."""
    return missing if score is None else str(math.floor(score + 0.5))


def load_weights(raw: object) -> dict[str, float]:
    """Validate a `health.weights` setting; None gives the defaults.

    An object mapping component names to non-negative numbers; components it leaves out keep
    their default weight (see `store.settings.HealthWeights`). Raises InvalidInput naming the key.
    """
    if raw is None:
        return dict(DEFAULT_WEIGHTS)
    validate_setting(WEIGHTS_SETTING, raw)
    return load_settings({WEIGHTS_SETTING: raw}).health.weights.model_dump()


# -- queries ------------------------------------------------------------------------------

def _scope(column: str, ids: Sequence[str] | None) -> str:
    return "" if ids is None else f" AND {column} IN (SELECT value FROM json_each(:ids))"


def _facts(conn: Connection, windows: _Windows, ids: Sequence[str] | None) -> dict[str, _Facts]:
    """The facts of every account (ids None) or of the given ones, in six queries.

    One pass over the accounts looks up each account's own rows through the per-account
    indexes (correlated subqueries: index seeks, not a query per account); the usage and
    survey windows are aggregated with GROUP BY.
    """
    params: dict[str, Any] = {
        "end": windows.end,
        "usage_last_from": windows.usage_last_from,
        "usage_previous_from": windows.usage_previous_from,
        "usage_until": windows.usage_until,
        "nps_from": windows.nps_from,
        "csat_from": windows.csat_from,
        "tickets_from": windows.tickets_from,
        "failures_from": windows.failures_from,
        "month_now": windows.month_now,
        "month_before": windows.month_before,
    }
    if ids is not None:
        params["ids"] = json.dumps(list(ids))
    # Fields in _Facts order: renewal_on, mrr_now, mrr_before, last_paid_month, last_touch,
    # has_interactions, tickets, then the ones the grouped queries below fill in.
    facts: dict[str, list[Any]] = {
        row[0]: [*row[1:], 0, 0, None, None, None, 0, 0, 0, 0, None, None]
        for row in conn.execute(
            f"""SELECT a.id, a.renewal_on,
                coalesce((SELECT m.mrr_cents FROM account_months m
                          WHERE m.account_id = a.id AND m.month = :month_now), 0),
                coalesce((SELECT m.mrr_cents FROM account_months m
                          WHERE m.account_id = a.id AND m.month = :month_before), 0),
                (SELECT m.month FROM account_months m
                 WHERE m.account_id = a.id AND m.month <= :month_now AND m.mrr_cents > 0
                 ORDER BY m.month DESC LIMIT 1),
                (SELECT i.occurred_at FROM interactions i
                 WHERE i.account_id = a.id AND i.occurred_at < :end AND i.kind != 'ticket'
                 ORDER BY i.occurred_at DESC LIMIT 1),
                EXISTS (SELECT 1 FROM interactions i
                        WHERE i.account_id = a.id AND i.occurred_at < :end),
                (SELECT count(*) FROM interactions i
                 WHERE i.account_id = a.id AND i.occurred_at >= :tickets_from
                   AND i.occurred_at < :end AND i.kind = 'ticket')
            FROM accounts a WHERE 1 = 1{_scope('a.id', ids)}""",
            params,
        )
    }

    def merge(sql: str, first: int) -> None:
        for account_id, *values in conn.execute(sql, params):
            found = facts.get(account_id)
            if found is not None:
                found[first:first + len(values)] = values

    merge(
        "SELECT account_id, coalesce(sum(CASE WHEN used_on >= :usage_last_from "
        "THEN events END), 0), coalesce(sum(CASE WHEN used_on < :usage_last_from "
        "THEN events END), 0) FROM usage "
        "WHERE used_on >= :usage_previous_from AND used_on < :usage_until"
        f"{_scope('account_id', ids)} GROUP BY account_id",
        7,
    )
    merge(
        "SELECT account_id, score, answered_at FROM (" + latest_answers(
            f" AND answered_at >= :nps_from AND answered_at < :end{_scope('account_id', ids)}")
        + ")",
        9,
    )
    merge(
        "SELECT account_id, count(*), sum(score >= 4) FROM survey_answers "
        "WHERE +kind = 'csat' AND answered_at >= :csat_from AND answered_at < :end"
        f"{_scope('account_id', ids)} GROUP BY account_id",
        12,
    )
    merge(
        "SELECT p.account_id, count(*), count(*) FILTER (WHERE p.status = 'failed' "
        "AND p.amount_cents > 0 AND p.attempted_at >= :failures_from) FROM payments p "
        f"WHERE p.attempted_at < :end{_scope('p.account_id', ids)} GROUP BY p.account_id",
        14,
    )
    # The newest unrecovered failure of each account, as the Today list's billing reason.
    merge(
        "SELECT account_id, attempted_at, amount_cents FROM ("
        "  SELECT p.account_id, p.attempted_at, p.amount_cents, row_number() OVER ("
        "    PARTITION BY p.account_id ORDER BY p.attempted_at DESC, p.id) AS newest "
        f"  FROM payments p WHERE p.attempted_at < :end AND {UNRECOVERED}"
        f"{_scope('p.account_id', ids)}) WHERE newest = 1",
        16,
    )
    return {account_id: _Facts(*values) for account_id, values in facts.items()}


# -- scoring ------------------------------------------------------------------------------

Scored = tuple[float | None, str]
"""A component's score (None = no data) and its reason ("" when not asked to explain)."""


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def _trend_score(change_percent: float) -> float:
    """Flat or growing → 100; every point of decline costs 2 (−25% → 50, −50% or worse → 0)."""
    return _clamp(100 + 2 * change_percent)


def _direction(change_percent: float) -> str:
    shown = round(abs(change_percent))
    if shown == 0:
        return "flat"
    return f"{'up' if change_percent > 0 else 'down'} {shown}%"


def _month_name(iso_day: str) -> str:
    return date.fromisoformat(iso_day).strftime("%b %Y")


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _usage_trend(facts: _Facts, windows: _Windows, explain: bool) -> Scored:
    last, previous = facts.usage_last, facts.usage_previous
    if not last and not previous:
        score = None
    elif not previous:
        score = 100.0
    else:
        change = (last - previous) / previous * 100
        score = _trend_score(change)
    if not explain:
        return score, ""
    last_month = _month_name(windows.usage_last_from)
    previous_month = _month_name(windows.usage_previous_from)
    if score is None:
        return None, f"no usage recorded in {previous_month} or {last_month}"
    if not previous:
        return score, f"usage started: {last:,} events in {last_month}, none in {previous_month}"
    return score, (f"usage {_direction(change)} ({last:,} events in {last_month} "
                   f"vs {previous:,} in {previous_month})")


def _sentiment(facts: _Facts, windows: _Windows, explain: bool) -> Scored:
    nps = facts.nps_score
    csat = facts.csat_good / facts.csat_answers * 100 if facts.csat_answers else None
    if nps is None:
        score = csat
    elif csat is None:
        score = nps * 10.0
    else:
        score = (nps * 10.0 + csat) / 2
    if not explain:
        return score, ""
    if score is None:
        return None, f"no NPS answer in {NPS_DAYS} days and no CSAT answer in {CSAT_DAYS} days"
    reasons = []
    if nps is not None:
        reasons.append(f"latest NPS {nps} ({NpsGroup.of(nps)}) on {str(facts.nps_at)[:10]}")
    if csat is not None:
        reasons.append(f"CSAT 4-5 in {facts.csat_good} of {facts.csat_answers} answers "
                       f"in {CSAT_DAYS} days ({round(csat)}%)")
    return score, "; ".join(reasons)


def _engagement(facts: _Facts, windows: _Windows, explain: bool) -> Scored:
    if facts.last_touch is None:
        return None, "no interaction logged (tickets aside)" if explain else ""
    last = facts.last_touch[:10]
    days = (windows.today - date.fromisoformat(last)).days
    if days <= ENGAGED_DAYS:
        score = 100.0
    elif days >= SILENT_DAYS:
        score = 0.0
    else:
        score = 100 * (SILENT_DAYS - days) / (SILENT_DAYS - ENGAGED_DAYS)
    if not explain:
        return score, ""
    if days <= ENGAGED_DAYS:
        return score, f"last interaction {'today' if days == 0 else _days(days) + ' ago'} ({last})"
    return score, f"no interaction for {_days(days)} (last on {last})"


def _support_load(facts: _Facts, windows: _Windows, explain: bool) -> Scored:
    if not facts.has_interactions:
        return None, "no interactions logged, so no ticket history" if explain else ""
    count = facts.tickets
    score = float(max(0, 100 - TICKET_PENALTY * count))
    if not explain:
        return score, ""
    tickets = "no tickets" if count == 0 else f"{count} ticket{'' if count == 1 else 's'}"
    return score, f"{tickets} in {TICKET_DAYS} days"


def _renewal(facts: _Facts, windows: _Windows, explain: bool) -> Scored:
    if facts.renewal_on is None:
        return None, "no renewal date" if explain else ""
    on = facts.renewal_on
    days = (date.fromisoformat(on) - windows.today).days
    if days < 0:
        score = 25.0
    elif days <= RENEWAL_NEAR_DAYS:
        score = 50.0
    elif days <= RENEWAL_FAR_DAYS:
        score = 75.0
    else:
        score = 100.0
    if not explain:
        return score, ""
    if days < 0:
        return score, f"renewal date passed {_days(-days)} ago ({on})"
    return score, f"{'renews today' if days == 0 else 'renews in ' + _days(days)} ({on})"


def _mrr_trend(facts: _Facts, windows: _Windows, explain: bool) -> Scored:
    now, before = facts.mrr_now, facts.mrr_before
    if now and before:
        change = (now - before) / before * 100
        score: float | None = _trend_score(change)
    elif now:
        score = 100.0
    elif facts.last_paid_month is not None:
        score = 0.0
    else:
        score = None
    if not explain:
        return score, ""
    months = f"{MRR_TREND_MONTHS} months"
    if now and before:
        return score, (f"MRR {_direction(change)} over {months} "
                       f"({format_money(before)} → {format_money(now)})")
    if now:
        return score, f"MRR {format_money(now)}, none {months} ago (new or reactivated)"
    if score is not None:
        return score, (f"churned: no MRR at the end of {windows.month_now} "
                       f"(last paid in {facts.last_paid_month})")
    return None, "never paying"


def _billing(facts: _Facts, windows: _Windows, explain: bool) -> Scored:
    if not facts.payments:
        return None, "no payments recorded" if explain else ""
    if facts.unrecovered_at is not None:
        score = 0.0
    elif facts.failed_recently:
        score = RECOVERED_SCORE
    else:
        score = 100.0
    if not explain:
        return score, ""
    if facts.unrecovered_at is not None:
        return score, (f"payment of {format_money(facts.unrecovered_cents or 0)} failed on "
                       f"{facts.unrecovered_at[:10]}, not recovered")
    if facts.failed_recently:
        failed = facts.failed_recently
        return score, (f"{failed} failed payment{'' if failed == 1 else 's'} in "
                       f"{BILLING_RECENT_DAYS} days, since recovered")
    return score, "payments in good standing"


_RULES = {
    "usage_trend": _usage_trend,
    "sentiment": _sentiment,
    "engagement": _engagement,
    "support_load": _support_load,
    "renewal": _renewal,
    "mrr_trend": _mrr_trend,
    "billing": _billing,
}


def band(score: float | None) -> str:
    """'healthy' (>= 70), 'watch' (40 up to 70), 'at risk' (< 40) or 'no data' (HEALTH_BANDS)."""
    if score is None:
        return NO_DATA_BAND
    return next((name for name, (low, high) in HEALTH_BANDS.items() if low <= score < high),
                "healthy" if score >= HEALTHY_FROM else "at risk")


def _overall(scored: list[tuple[float, float | None]]) -> float | None:
    """The weighted mean of the scores that exist, rounded to one decimal."""
    total = sum(weight for weight, score in scored if score is not None)
    if not total:
        return None
    return round(sum(weight * score for weight, score in scored if score is not None) / total, 1)


def _assess(account_id: str, facts: _Facts, windows: _Windows,
            weights: Mapping[str, float]) -> Health:
    components = []
    for name, rule in _RULES.items():
        score, reason = rule(facts, windows, True)
        components.append(HealthComponent(name, LABELS[name], weights.get(name, 0.0),
                                          None if score is None else round(score, 1), reason))
    overall = _overall([(component.weight, component.score) for component in components])
    return Health(account_id, overall, band(overall), components)


# -- entry points -------------------------------------------------------------------------

PROSPECT = "prospect"
"""The band of an account in a stage before the first paying one: it has no health score."""


def _prospects(conn: Connection, prospect_stages: Collection[str],
               ids: Sequence[str] | None) -> set[str]:
    """The accounts (of `ids`, or all) in a prospect stage."""
    if not prospect_stages:
        return set()
    params: dict[str, Any] = {"stages": json.dumps(list(prospect_stages))}
    if ids is not None:
        params["ids"] = json.dumps(list(ids))
    return {row[0] for row in conn.execute(
        "SELECT a.id FROM accounts a WHERE a.stage IN (SELECT value FROM json_each(:stages))"
        f"{_scope('a.id', ids)}", params)}


def _as_prospect(health: Health) -> Health:
    return Health(health.account_id, None, PROSPECT, health.components)


def account_health(conn: Connection, account_id: str, today: date,
                   weights: Mapping[str, float], prospect_stages: Collection[str] = ()) -> Health:
    """One account's health on `today`, with every component's weight, score and reason.

    `weights` is what `load_weights` returns; a component missing from it weighs 0. An
    account in one of `prospect_stages` has no overall score (band "prospect").
    """
    windows = _Windows.of(today)
    found = _facts(conn, windows, [account_id])
    if account_id not in found:
        raise NotFound(f"no account with key {account_id!r}")
    health = _assess(account_id, found[account_id], windows, weights)
    if _prospects(conn, prospect_stages, [account_id]):
        return _as_prospect(health)
    return health


def health_many(conn: Connection, today: date, weights: Mapping[str, float],
                account_ids: Sequence[str] | None = None,
                prospect_stages: Collection[str] = ()) -> dict[str, Health]:
    """The full health (with reasons) of many accounts (all when None); unknown ids are absent."""
    windows = _Windows.of(today)
    prospects = _prospects(conn, prospect_stages, account_ids)
    result = {}
    for account_id, facts in _facts(conn, windows, account_ids).items():
        health = _assess(account_id, facts, windows, weights)
        result[account_id] = _as_prospect(health) if account_id in prospects else health
    return result


def health_scores(conn: Connection, today: date, weights: Mapping[str, float],
                  account_ids: Sequence[str] | None = None,
                  prospect_stages: Collection[str] = ()) -> dict[str, float | None]:
    """The overall score of many accounts (all when None), equal to `account_health`'s."""
    windows = _Windows.of(today)
    names = list(_RULES.items())
    prospects = _prospects(conn, prospect_stages, account_ids)
    result: dict[str, float | None] = {}
    for account_id, facts in _facts(conn, windows, account_ids).items():
        if account_id in prospects:
            result[account_id] = None
            continue
        scored = []
        for name, rule in names:
            score, _ = rule(facts, windows, False)
            scored.append((weights.get(name, 0.0), None if score is None else round(score, 1)))
        result[account_id] = _overall(scored)
    return result
