"""Stage analytics from the stage history: accounts per stage, days in stage, transitions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from store.current_stage import ENTRY_INTO_BOOK, move_order
from store.database import Connection
from store.kpis.filters import BookFilter
from store.kpis.periods import Period
from store.kpis.results import median
from store.lifecycle import LifecycleModel


class Direction(StrEnum):
    """Which way a stage move goes along the lifecycle's main path."""

    FORWARD = "forward"
    BACKWARD = "backward"
    CHURN = "churn"
    """Into a terminal state (`churned`), from anywhere."""
    REACTIVATION = "reactivation"
    """Out of a terminal state, to anywhere."""
    OTHER = "other"
    """From or to a stage the lifecycle model does not know (a stage since removed)."""


@dataclass(frozen=True, slots=True)
class StageCount:
    """How many accounts were in a stage at the end of a day, and their share of the book."""

    stage: str
    accounts: int
    share: float | None = None
    """Percent (0-100) of the accounts in the book that day; None when the book was empty."""


@dataclass(frozen=True, slots=True)
class StageDwell:
    """How long finished stints in a stage lasted: their number and median length in days."""

    stage: str
    stints: int
    median_days: float | None
    """None when no stint in the stage finished (no data)."""


@dataclass(frozen=True, slots=True)
class Transition:
    """The moves from one stage to another in a period, and their share of the moves out."""

    from_stage: str | None
    """None for an imported move that did not say where the account came from."""
    to_stage: str
    moves: int
    share: float
    """Percent (0-100) of the period's moves out of `from_stage` that went to `to_stage`."""
    direction: Direction


@dataclass(frozen=True, slots=True)
class MoveSummary:
    """The period's moves between stages by direction (entries into the book excluded)."""

    moves: int
    forward: int
    backward: int
    churns: int
    reactivations: int
    other: int
    backward_transitions: tuple[Transition, ...]
    """The backward moves, by from/to pair."""



@dataclass(frozen=True, slots=True)
class StageAnalytics:
    """Everything the stage report shows, computed together."""

    per_stage: tuple[StageCount, ...]
    dwell: tuple[StageDwell, ...]
    transitions: tuple[Transition, ...]
    moves: MoveSummary


def _instant(day: date) -> str:
    """The stored timestamp of midnight UTC starting `day`."""
    return f"{day.isoformat()}T00:00:00Z"


def _order(lifecycle: LifecycleModel, stages: set[str]) -> list[str]:
    """The model's stage keys in order, then any other stage met in the history, by name."""
    known = list(lifecycle.keys)
    return known + sorted(stages - set(known))


def direction(lifecycle: LifecycleModel, from_stage: str | None, to_stage: str) -> Direction:
    """Classify one move: into/out of a terminal state first, then by main-path position
    (a move from an unknown stage into a non-terminal one is OTHER)."""
    terminal = {stage.key for stage in lifecycle.stages if stage.terminal}
    if to_stage in terminal:
        return Direction.CHURN
    if from_stage in terminal:
        return Direction.REACTIVATION
    path = [stage.key for stage in lifecycle.main_path]
    if from_stage not in path or to_stage not in path:
        return Direction.OTHER
    if path.index(to_stage) < path.index(from_stage):
        return Direction.BACKWARD
    return Direction.FORWARD


_STINTS = """
WITH moves AS (
  SELECT h.account_id, h.from_stage, h.to_stage, h.moved_at,
         lead(h.moved_at) OVER (PARTITION BY h.account_id ORDER BY {order}) AS left_at,
         row_number() OVER (PARTITION BY h.account_id ORDER BY {order}) AS n
  FROM stage_history h WHERE 1 {history_scope}
),
stints AS MATERIALIZED (
  SELECT to_stage AS stage, moved_at AS entered_at, left_at FROM moves
  UNION ALL
  -- before the first recorded move of an account whose entry into the book is not recorded
  -- (imported accounts): in that move's from-stage since the account was created
  SELECT m.from_stage, min(a.created_at, m.moved_at), m.moved_at
  FROM moves m JOIN accounts a ON a.id = m.account_id
  WHERE m.n = 1 AND m.from_stage IS NOT NULL
  UNION ALL
  -- accounts without any recorded move: in their stage since they entered it
  SELECT a.stage, a.stage_entered_at, NULL FROM accounts a
  WHERE NOT EXISTS (SELECT 1 FROM stage_history h WHERE h.account_id = a.id) {account_scope}
)
SELECT bucket, stage, sum(delta) FROM (
  SELECT {bucket_of_entered} AS bucket, stage, 1 AS delta FROM stints
  UNION ALL
  SELECT {bucket_of_left}, stage, -1 FROM stints WHERE left_at IS NOT NULL
) WHERE bucket IS NOT NULL GROUP BY bucket, stage
"""
"""Each stint of an account in a stage as +1 on the day it began and -1 on the day it ended,
summed per stage into buckets (the first asked-for day at or after the event's day): the
accounts in a stage at the end of a day are the running total up to that day's bucket."""


def _bucket(column: str, days: int) -> str:
    """`CASE` mapping a timestamp column to the index of the first of the (ascending) days
    whose end it falls before (`:before_N` is the next day's date: a stored timestamp sorts
    before it exactly when it is on that day or earlier); NULL after the last day."""
    tests = " ".join(f"WHEN {column} < :before_{n} THEN {n}" for n in range(days))
    return f"CASE {tests} END"


def accounts_per_stage_on(conn: Connection, days: list[date], book: BookFilter,
                          lifecycle: LifecycleModel) -> list[tuple[StageCount, ...]]:
    """Accounts per stage at the end of each of `days` (UTC), in one pass over the history.

    An account is in the stage of its last move at or before 23:59:59 that day. An account
    with no move recorded (imported) is in its stage since it entered it; one whose entry is
    not recorded but a later move is, in that move's from-stage since it was created. An
    account not yet in the book is not counted. Every stage of the model is listed, 0 if empty.
    """
    if not days:
        return []
    history_scope, params = book.scope("h.account_id")
    account_scope, _ = book.scope("a.id")
    ordered = sorted(set(days))
    sql = _STINTS.format(history_scope=history_scope, account_scope=account_scope,
                         order=move_order("h"),
                         bucket_of_entered=_bucket("entered_at", len(ordered)),
                         bucket_of_left=_bucket("left_at", len(ordered)))
    params.update({f"before_{n}": (day + timedelta(days=1)).isoformat()
                   for n, day in enumerate(ordered)})
    per_stage: dict[str, list[int]] = {}
    for bucket, stage, delta in conn.execute(sql, params):
        per_stage.setdefault(stage, [0] * len(ordered))[bucket] += int(delta)
    totals: dict[str, list[int]] = {}
    for stage, changes in per_stage.items():
        running, total = [], 0
        for change in changes:
            total += change
            running.append(total)
        totals[stage] = running
    stages = _order(lifecycle, {stage for stage, counts in totals.items() if any(counts)})
    position = {day: n for n, day in enumerate(ordered)}
    result = []
    for day in days:
        counts = [(stage, totals.get(stage, [0] * len(ordered))[position[day]])
                  for stage in stages]
        total = sum(count for _, count in counts)
        result.append(tuple(StageCount(stage, count, count / total * 100 if total else None)
                            for stage, count in counts))
    return result


def accounts_per_stage(conn: Connection, on: date, book: BookFilter,
                       lifecycle: LifecycleModel) -> tuple[StageCount, ...]:
    """Accounts per stage at the end of day `on` (see `accounts_per_stage_on`)."""
    return accounts_per_stage_on(conn, [on], book, lifecycle)[0]


def days_in_stage(conn: Connection, period: Period | None, book: BookFilter,
                  lifecycle: LifecycleModel) -> tuple[StageDwell, ...]:
    """Median days in each stage, from consecutive moves of the same account.

    A stint runs from the move into a stage to the account's next move; its length is the
    exact elapsed time in days (fractional). The current, unfinished stint is not counted.
    With a period, only stints that ended in [start, end) count; None takes the whole history.
    """
    scope, params = book.scope("h.account_id")
    window = ""
    if period is not None:
        window = " AND left_at >= :start AND left_at < :end"
        params = {**params, "start": _instant(period.start), "end": _instant(period.end)}
    rows = conn.execute(
        "SELECT stage, (unixepoch(left_at) - unixepoch(entered_at)) / 86400.0 FROM ("
        "  SELECT h.to_stage AS stage, h.moved_at AS entered_at,"
        "         lead(h.moved_at) OVER ("
        f"           PARTITION BY h.account_id ORDER BY {move_order('h')}) AS left_at"
        f"  FROM stage_history h WHERE 1{scope}"
        f") WHERE left_at IS NOT NULL{window}",
        params,
    ).fetchall()
    by_stage: dict[str, list[float]] = {}
    for stage, days in rows:
        by_stage.setdefault(stage, []).append(float(days))
    result = []
    for stage in _order(lifecycle, set(by_stage)):
        stints = sorted(by_stage.get(stage, []))
        result.append(StageDwell(stage, len(stints), median(stints)))
    return tuple(result)


def stage_transitions(conn: Connection, period: Period, book: BookFilter,
                      lifecycle: LifecycleModel) -> tuple[Transition, ...]:
    """Moves with `moved_at` in [start, end) counted per from->to pair, with each pair's share
    (percent) of all the period's moves out of its from-stage.

    Entries into the book (ENTRY_INTO_BOOK) are not transitions and are left out; moves from an
    unknown stage have `from_stage` None (a move into churned is a churn whatever its source).
    Ordered by the model's stage order (from, unknown first, then to); empty when nothing moved.
    """
    scope, params = book.scope("h.account_id")
    rows = conn.execute(
        "SELECT h.from_stage, h.to_stage, count(*) FROM stage_history h "
        f"WHERE h.moved_at >= :start AND h.moved_at < :end AND NOT {ENTRY_INTO_BOOK}"
        f"{scope} GROUP BY h.from_stage, h.to_stage",
        {"start": _instant(period.start), "end": _instant(period.end), **params},
    ).fetchall()
    out_of: dict[str | None, int] = {}
    for from_stage, _, count in rows:
        out_of[from_stage] = out_of.get(from_stage, 0) + int(count)
    order: list[str | None] = [None, *_order(
        lifecycle, {row[0] for row in rows if row[0] is not None} | {row[1] for row in rows})]
    rows.sort(key=lambda row: (order.index(row[0]), order.index(row[1])))
    return tuple(
        Transition(from_stage, to_stage, int(count),
                   int(count) / out_of[from_stage] * 100,
                   direction(lifecycle, from_stage, to_stage))
        for from_stage, to_stage, count in rows
    )


def move_directions(conn: Connection, period: Period, book: BookFilter,
                    lifecycle: LifecycleModel) -> MoveSummary:
    """The period's moves (`moved_at` in [start, end)) by direction along the main path.

    Backward = the to-stage comes earlier on the main path than the from-stage. Moves into
    `churned` are churns and moves out of it reactivations, whatever the other stage (known or
    not); they are neither forward nor backward. Entries into the book are not moves.
    """
    transitions = stage_transitions(conn, period, book, lifecycle)
    totals = {kind: 0 for kind in Direction}
    for transition in transitions:
        totals[transition.direction] += transition.moves
    return MoveSummary(
        moves=sum(totals.values()),
        forward=totals[Direction.FORWARD],
        backward=totals[Direction.BACKWARD],
        churns=totals[Direction.CHURN],
        reactivations=totals[Direction.REACTIVATION],
        other=totals[Direction.OTHER],
        backward_transitions=tuple(t for t in transitions if t.direction == Direction.BACKWARD),
    )
