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


_SOURCES: tuple[tuple[str, Callable[..., TimelineEntry]], ...] = (
    (_INTERACTIONS, _interaction), (_STAGE_MOVES, _stage_move), (_ANSWERS, _answer),
    (_BILLING, _billing),
)


def _entries(conn: Connection, sql: str, build: Callable[..., TimelineEntry], account_id: str,
             limit: int | None) -> Iterator[tuple[str, str, TimelineEntry]]:
    """One source's entries, newest first, with the (time, id) they are merged on."""
    rows: Iterable[Any] = (
        conn.execute(sql + " ORDER BY 1 DESC, 2 DESC", {"id": account_id}) if limit is None
        else conn.execute(sql + _NEWEST, {"id": account_id, "limit": limit}))
    for row in rows:
        yield row[0], row[1], build(*row)


def account_timeline(conn: Connection, account_id: str, limit: int | None = None) -> list[TimelineEntry]:
    """The account's events, newest first (ties: the newer row id first)."""
    streams = [_entries(conn, sql, build, account_id, limit) for sql, build in _SOURCES]
    merged = heapq.merge(*streams, key=lambda item: (item[0], item[1]), reverse=True)
    entries = [entry for _at, _ref, entry in merged]
    return entries[:limit] if limit is not None else entries
