"""An account's whole story: interactions, stage moves, survey answers and billing, by date.

Each source is read with its own typed columns and formatted here, once, into the entry's
title and detail that both faces show (no value is concatenated in SQL and split again).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from store.clock import parse_timestamp
from store.current_stage import ENTRY_INTO_BOOK
from store.database import Connection
from store.models.views import TimelineEntry
from store.money import format_money

_NEWEST = " ORDER BY 1 DESC, 2 DESC LIMIT :limit"

_INTERACTIONS = """
SELECT occurred_at, id, kind, summary, follow_up_on, author, sentiment
  FROM interactions WHERE account_id = :id"""

_STAGE_MOVES = f"""
SELECT h.moved_at, h.id,
       CASE WHEN h.from_stage IS NOT NULL THEN h.from_stage
            WHEN {ENTRY_INTO_BOOK} THEN '(new)' ELSE '(unknown)' END,
       h.to_stage, h.reason
  FROM stage_history h WHERE h.account_id = :id"""

_ANSWERS = """
SELECT answered_at, id, kind, question, score, comment
  FROM survey_answers WHERE account_id = :id"""

# A subscription gives up to three entries: its start, its cancellation (when before its end)
# and its end.
_BILLING = """
SELECT started_on || 'T00:00:00Z', id, 'started', plan, status, mrr_cents, NULL
  FROM subscriptions WHERE account_id = :id
UNION ALL
SELECT ended_on || 'T00:00:00Z', id, 'ended', plan, status, mrr_cents, NULL
  FROM subscriptions WHERE account_id = :id AND ended_on IS NOT NULL
UNION ALL
SELECT cancelled_on || 'T00:00:00Z', id, 'cancelled', plan, status, mrr_cents, ended_on
  FROM subscriptions WHERE account_id = :id AND cancelled_on IS NOT NULL
   AND (ended_on IS NULL OR cancelled_on < ended_on)"""


def _interaction(at: str, ref: str, kind: str, summary: str, follow_up_on: str | None,
                 author: str | None, sentiment: str | None) -> TimelineEntry:
    extras = ", ".join(part for part in (author, sentiment) if part)
    title = f"{kind} ({extras})" if extras else kind
    detail = f"{summary} (follow up {follow_up_on})" if follow_up_on else summary
    return TimelineEntry(parse_timestamp(at), "interaction", title, detail, ref)


def _stage_move(at: str, ref: str, from_stage: str, to_stage: str,
                reason: str | None) -> TimelineEntry:
    # from_stage: the stage left, `(new)` for the entry into the book, else `(unknown)`
    return TimelineEntry(parse_timestamp(at), "stage", f"{from_stage} → {to_stage}",
                         reason or "", ref)


def _answer(at: str, ref: str, kind: str, question: str | None, score: int,
            comment: str | None) -> TimelineEntry:
    title = " ".join(part for part in (kind.upper(), question, str(score)) if part)
    return TimelineEntry(parse_timestamp(at), "survey", title, comment or "", ref, score=score)


def _billing(at: str, ref: str, event: str, plan: str | None, status: str, mrr_cents: int,
             runs_to: str | None) -> TimelineEntry:
    title = f"{event} {plan or 'subscription'}" + (f" (runs to {runs_to})" if runs_to else "")
    return TimelineEntry(parse_timestamp(at), "subscription", title,
                         f"{format_money(mrr_cents)}/mo, {status}", ref, all_day=True,
                         mrr_cents=mrr_cents)


def plan_change(ended_plan: str, ended_cents: int, started_plan: str,
                started_cents: int) -> tuple[str, str]:
    """The (title, detail) of a subscription replaced by another on the same day: an upgrade
    or a downgrade by MRR (`upgraded Growth → Scale`, `$3,705/mo → $4,100/mo, +$395/mo`)."""
    delta = started_cents - ended_cents
    verb = "upgraded" if delta > 0 else "downgraded" if delta < 0 else "changed"
    plans = ended_plan if ended_plan == started_plan else f"{ended_plan} → {started_plan}"
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    return (f"{verb} {plans}",
            f"{format_money(ended_cents)}/mo → {format_money(started_cents)}/mo, "
            f"{sign}{format_money(abs(delta))}/mo")


def _billing_entries(rows: Iterable[Any]) -> Iterator[tuple[str, str, TimelineEntry]]:
    """Billing entries, newest first; a subscription that ended on the day another started
    reads as one upgrade or downgrade with the MRR delta, not as a cancellation."""
    rows = list(rows)
    ends: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if row[2] == "ended":
            ends.setdefault(row[0], []).append(index)
    replaced: dict[int, int] = {}
    for index, row in enumerate(rows):
        if row[2] == "started" and ends.get(row[0]):
            replaced[index] = ends[row[0]].pop(0)
    gone = set(replaced.values())
    for index, row in enumerate(rows):
        if index in gone:
            continue
        at, ref = row[0], row[1]
        if index in replaced:
            old = rows[replaced[index]]
            title, detail = plan_change(old[3] or "subscription", old[5],
                                        row[3] or "subscription", row[5])
            yield at, ref, TimelineEntry(parse_timestamp(at), "subscription", title, detail,
                                         ref, all_day=True, mrr_cents=row[5])
        else:
            yield at, ref, _billing(*row)


_SOURCES: tuple[tuple[str, Callable[..., TimelineEntry]], ...] = (
    (_INTERACTIONS, _interaction), (_STAGE_MOVES, _stage_move), (_ANSWERS, _answer),
)


def _rows(conn: Connection, sql: str, account_id: str, limit: int | None) -> Iterable[Any]:
    """One source's rows, newest first (at most `limit`)."""
    if limit is None:
        return conn.execute(sql + " ORDER BY 1 DESC, 2 DESC", {"id": account_id})
    return conn.execute(sql + _NEWEST, {"id": account_id, "limit": limit})


def _entries(conn: Connection, sql: str, build: Callable[..., TimelineEntry], account_id: str,
             limit: int | None) -> Iterator[tuple[str, str, TimelineEntry]]:
    """One source's entries, newest first, with the (time, id) they are merged on."""
    for row in _rows(conn, sql, account_id, limit):
        yield row[0], row[1], build(*row)


def account_timeline(conn: Connection, account_id: str, limit: int | None = None) -> list[TimelineEntry]:
    """The account's events, newest first (ties: the newer row id first); a subscription
    replaced by another on the same day reads as one upgrade or downgrade."""
    streams = [_entries(conn, sql, build, account_id, limit) for sql, build in _SOURCES]
    streams.append(_billing_entries(_rows(conn, _BILLING, account_id, limit)))
    merged = heapq.merge(*streams, key=lambda item: (item[0], item[1]), reverse=True)
    entries = [entry for _at, _ref, entry in merged]
    return entries[:limit] if limit is not None else entries
