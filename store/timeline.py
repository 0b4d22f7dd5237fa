"""An account's whole story: interactions, stage moves, survey answers and billing, by date."""

from __future__ import annotations

from store.clock import parse_timestamp
from store.current_stage import ENTRY_INTO_BOOK
from store.database import Connection
from store.models.views import TimelineEntry
from store.money import format_money
# Every source yields (at, kind, title, detail, ref); subscriptions yield a start and an end.
_TIMELINE_SQL = f"""
SELECT occurred_at, 'interaction', kind,
       summary || CASE WHEN follow_up_on IS NOT NULL
                       THEN ' (follow up ' || follow_up_on || ')' ELSE '' END,
       id, sentiment, author
  FROM interactions WHERE account_id = :id
UNION ALL
SELECT h.moved_at, 'stage',
       CASE WHEN h.from_stage IS NOT NULL THEN h.from_stage
            WHEN {ENTRY_INTO_BOOK} THEN '(new)' ELSE '(unknown)' END || ' → ' || h.to_stage,
       coalesce(h.reason, ''), h.id, NULL, h.source
  FROM stage_history h WHERE h.account_id = :id
UNION ALL
SELECT answered_at, 'survey', kind || coalesce(' ' || question, '') || ' ' || score,
       coalesce(comment, ''), id, NULL, NULL
  FROM survey_answers WHERE account_id = :id
UNION ALL
SELECT started_on || 'T00:00:00Z', 'subscription', 'started ' || coalesce(plan, 'subscription'),
       status || ' ' || mrr_cents, id, NULL, NULL
  FROM subscriptions WHERE account_id = :id
UNION ALL
SELECT ended_on || 'T00:00:00Z', 'subscription', 'ended ' || coalesce(plan, 'subscription'),
       status || ' ' || mrr_cents, id, NULL, NULL
  FROM subscriptions WHERE account_id = :id AND ended_on IS NOT NULL
UNION ALL
SELECT cancelled_on || 'T00:00:00Z', 'subscription',
       'cancelled ' || coalesce(plan, 'subscription')
           || coalesce(' (runs to ' || ended_on || ')', ''),
       status || ' ' || mrr_cents, id, NULL, NULL
  FROM subscriptions WHERE account_id = :id AND cancelled_on IS NOT NULL
   AND (ended_on IS NULL OR cancelled_on < ended_on)
ORDER BY 1 DESC, 5 DESC
"""


def _subscription_detail(detail: str) -> str:
    status, cents = detail.rsplit(" ", 1)
    return f"{format_money(int(cents))}/mo, {status}"


def account_timeline(conn: Connection, account_id: str, limit: int | None = None) -> list[TimelineEntry]:
    """The account's events, newest first."""
    sql = _TIMELINE_SQL + (" LIMIT :limit" if limit else "")
    entries = []
    for at, kind, title, detail, ref, sentiment, who in conn.execute(
        sql, {"id": account_id, "limit": limit}
    ):
        if kind == "subscription":
            detail = _subscription_detail(detail)
        elif kind == "interaction":
            extras = ", ".join(part for part in (who, sentiment) if part)
            title = f"{title} ({extras})" if extras else title
        entries.append(TimelineEntry(parse_timestamp(at), kind, title, detail, ref))
    return entries
