"""The backtest: replay Today and health at past weeks and measure how well they foresaw churn.

At each replay day D (weekly), the book is rebuilt as it stood at the end of D in temporary
tables that shadow `accounts` and `health_history` on a connection of its own: each account's
stage from its stage history, its MRR from its subscriptions on D, its first value only if
reached by D, its renewal date rolled back by whole years to the first one on or after D (the
book keeps only the next renewal; contracts are taken to renew yearly). Interactions, answers
and tasks dated after D are ignored by the rules themselves; a task counts as open at D if it
was created by then and not done by then. Health is scored as of D by the same code as live,
and its history holds the weekly replayed scores (so "health dropped" is measured between
weeks). Then Today is ranked by the same functions as live (no snoozes).

Outcome: an account paying on D whose MRR `horizon` days later is lower (churned or
contracted). Per replay: recall of those in Today's top 10 / top 50 and in the red health band
(< 40), precision of the top 10 / top 50, and over all replays the ROC AUC of the health score
(lower = riskier) and of Today's score (higher = riskier; accounts not in Today score 0) among
the accounts paying on D. Figures are pooled over the replays (sums of hits over sums of
positives), not averaged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from store.current_stage import move_order
from store.errors import InvalidInput
from store.kpis import health as health_kpis
from store.today import rank
from store.triage import prospect_stages, triage

if TYPE_CHECKING:
    from store.store import Store

RED_BAND = health_kpis.WATCH_FROM
"""Health below this is the red ('at risk') band (store.kpis.health.HEALTH_BANDS)."""

_PAYING = (
    "s.status != 'trial' AND s.mrr_cents > 0 AND s.started_on <= {day} "
    "AND (s.ended_on IS NULL OR s.ended_on > {day}) "
    "AND NOT (s.status = 'cancelled' AND s.ended_on IS NULL)"
)
"""A subscription `s` pays on the day named by the SQL expression `{day}` (as Store's)."""


def _mrr_on(day: str) -> str:
    return (f"(SELECT coalesce(sum(s.mrr_cents), 0) FROM main.subscriptions s "
            f"WHERE s.account_id = a.id AND {_PAYING.format(day=day)})")


_ACCOUNTS_THEN = f"""
CREATE TEMP TABLE accounts AS
SELECT a.id, a.name, a.domain, a.segment, a.plan, a.owner,
    coalesce((SELECT h.to_stage FROM main.stage_history h WHERE h.account_id = a.id
                AND h.moved_at < :end ORDER BY {move_order("h", latest_first=True)} LIMIT 1),
             (SELECT h.from_stage FROM main.stage_history h WHERE h.account_id = a.id
                AND h.moved_at >= :end ORDER BY {move_order("h")} LIMIT 1),
             a.stage) AS stage,
    coalesce((SELECT h.moved_at FROM main.stage_history h WHERE h.account_id = a.id
                AND h.moved_at < :end ORDER BY {move_order("h", latest_first=True)} LIMIT 1),
             a.stage_entered_at) AS stage_entered_at,
    CASE WHEN a.renewal_on > :day THEN date(a.renewal_on, '-' ||
         CAST((julianday(a.renewal_on) - julianday(:day)) / 365.25 AS INTEGER) || ' years')
         ELSE a.renewal_on END AS renewal_on,
    a.tags,
    CASE WHEN EXISTS (SELECT 1 FROM main.subscriptions s WHERE s.account_id = a.id)
         THEN {_mrr_on(':day')} ELSE 0 END AS mrr_cents,
    CASE WHEN a.first_value_on <= :day THEN a.first_value_on END AS first_value_on,
    a.created_at, a.updated_at
FROM main.accounts a
WHERE a.created_at < :end
   OR EXISTS (SELECT 1 FROM main.subscriptions s WHERE s.account_id = a.id
              AND s.started_on <= :day)
   OR EXISTS (SELECT 1 FROM main.stage_history h WHERE h.account_id = a.id
              AND h.moved_at < :end)
"""


@dataclass(frozen=True)
class Replay:
    """One replay day: how many paid, how many of those lost MRR, and the hits."""

    day: date
    paying: int
    lost: int
    in_top10: int
    in_top50: int
    in_red: int
    top10: int
    top50: int
    """How many rows Today's top 10 / 50 held (fewer on a small book)."""


@dataclass(frozen=True)
class BacktestResult:
    """Pooled figures over every replay (None where nothing could be measured)."""

    start: date
    end: date
    horizon: int
    replays: list[Replay]
    recall_top10: float | None
    recall_top50: float | None
    recall_red: float | None
    precision_top10: float | None
    precision_top50: float | None
    base_rate: float | None
    """Share of paying accounts that lost MRR: the precision of a random pick."""
    auc_health: float | None
    auc_today: float | None

    def as_json(self) -> dict[str, Any]:
        """The result with ISO dates (for `--json`)."""
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        data["replays"] = [{**asdict(replay), "day": replay.day.isoformat()}
                           for replay in self.replays]
        return data


def default_window(today: date, horizon: int) -> tuple[date, date]:
    """The replay days used when none are given: a year up to `horizon` days before today."""
    last = today - timedelta(days=horizon)
    return last - timedelta(days=364), last


def auc(scored: Sequence[tuple[float, bool]]) -> float | None:
    """ROC AUC: the chance a positive scores above a negative (ties count half)."""
    ordered = sorted(scored, key=lambda pair: pair[0])
    positives = sum(1 for _, positive in ordered if positive)
    negatives = len(ordered) - positives
    if not positives or not negatives:
        return None
    rank_sum, index = 0.0, 0
    while index < len(ordered):
        end = index
        while end < len(ordered) and ordered[end][0] == ordered[index][0]:
            end += 1
        mid_rank = (index + 1 + end) / 2  # ranks are 1-based; ties share their mean rank
        rank_sum += mid_rank * sum(1 for _, positive in ordered[index:end] if positive)
        index = end
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def _score_or_healthy(score: float | None) -> float:
    """A health score, an account with no data counting as healthy (never in the red band)."""
    return 100.0 if score is None else score


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def backtest(store: Store, start: date, end: date, horizon: int = 90, step_days: int = 7,
             progress: Callable[[date], None] | None = None) -> BacktestResult:
    """Replay the book weekly from `start` to `end` (see the module docstring).

    Reads only: the replay tables are temporary, on a connection of its own, dropped after.
    """
    if start > end:
        raise InvalidInput(f"--from {start} is after --to {end}")
    if horizon < 1:
        raise InvalidInput(f"--horizon must be at least 1 day, got {horizon}")
    from store.store import Store

    replica = Store(store.path, store.busy_timeout)
    try:
        return _replay_all(store, replica, start, end, horizon, step_days, progress)
    finally:
        replica.close()


def _replay_all(store: Store, replica: Store, start: date, end: date, horizon: int,
                step_days: int, progress: Callable[[date], None] | None) -> BacktestResult:
    conn = replica.conn
    settings = store.settings()
    lifecycle = store.lifecycle()
    weights = settings.health.weights.model_dump()
    prospects = prospect_stages(lifecycle)
    warm_up = -(-settings.triage.rules.health_drop_days // step_days) + 1
    days = [start - timedelta(days=step_days * n) for n in range(warm_up, 0, -1)]
    day = start
    while day <= end:
        days.append(day)
        day += timedelta(days=step_days)
    conn.execute("CREATE TEMP TABLE health_history (account_id TEXT NOT NULL, day TEXT NOT NULL,"
                 " score REAL, PRIMARY KEY (account_id, day)) WITHOUT ROWID")
    replays: list[Replay] = []
    health_pairs: list[tuple[float, bool]] = []
    today_pairs: list[tuple[float, bool]] = []
    try:
        for day in days:
            if progress:
                progress(day)
            params = {"day": day.isoformat(), "end": f"{(day + timedelta(days=1)).isoformat()}"
                                                       "T00:00:00Z"}
            conn.execute("DROP TABLE IF EXISTS temp.accounts")
            conn.execute(_ACCOUNTS_THEN, params)
            scores = health_kpis.health_scores(conn, day, weights, None, prospects)
            conn.executemany("INSERT INTO temp.health_history VALUES (?, ?, ?)",
                             [(key, day.isoformat(), score) for key, score in scores.items()
                              if score is not None])
            if day < start:
                continue
            later = (day + timedelta(days=horizon)).isoformat()
            outcome = {key: lost for key, lost in conn.execute(
                f"SELECT a.id, {_mrr_on(':later')} < a.mrr_cents FROM temp.accounts a "
                "WHERE a.mrr_cents > 0", {**params, "later": later})}
            items = triage(conn, day, settings.triage, lifecycle, replay=True)
            rows = rank(items, settings.triage, {})
            top10 = [row.account_id for row in rows[:10]]
            top50 = [row.account_id for row in rows[:50]]
            lost = {key for key, gone in outcome.items() if gone}
            red = {key for key in lost if _score_or_healthy(scores.get(key)) < RED_BAND}
            replays.append(Replay(day, len(outcome), len(lost), len(lost & set(top10)),
                                  len(lost & set(top50)), len(red), len(top10), len(top50)))
            today_score = {row.account_id: row.score for row in rows}
            for key, gone in outcome.items():
                score = scores.get(key)
                if score is not None:
                    health_pairs.append((-score, bool(gone)))
                today_pairs.append((today_score.get(key, 0.0), bool(gone)))
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.accounts")
        conn.execute("DROP TABLE IF EXISTS temp.health_history")
    lost_total = sum(replay.lost for replay in replays)
    return BacktestResult(
        start=start, end=end, horizon=horizon, replays=replays,
        recall_top10=_ratio(sum(r.in_top10 for r in replays), lost_total),
        recall_top50=_ratio(sum(r.in_top50 for r in replays), lost_total),
        recall_red=_ratio(sum(r.in_red for r in replays), lost_total),
        precision_top10=_ratio(sum(r.in_top10 for r in replays), sum(r.top10 for r in replays)),
        precision_top50=_ratio(sum(r.in_top50 for r in replays), sum(r.top50 for r in replays)),
        base_rate=_ratio(lost_total, sum(r.paying for r in replays)),
        auc_health=auc(health_pairs), auc_today=auc(today_pairs),
    )
