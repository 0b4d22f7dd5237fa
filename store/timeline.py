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


def _cents(detail: str) -> int:
    return int(detail.rsplit(" ", 1)[1])


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


def _merge_plan_changes(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Replace each `ended A` + `started B` pair of the same day by one plan change."""
    started = {(row[0], i) for i, row in enumerate(rows)
               if row[1] == "subscription" and row[2].startswith("started ")}
    ended_by_day = {}
    for i, row in enumerate(rows):
        if row[1] == "subscription" and row[2].startswith("ended "):
            ended_by_day.setdefault(row[0], []).append(i)
    merged, dropped = {}, set()
    for day, i in sorted(started, key=lambda pair: pair[1]):
        candidates = [j for j in ended_by_day.get(day, []) if j not in dropped]
        if not candidates:
            continue
        j = candidates[0]
        dropped.add(j)
        start, end = rows[i], rows[j]
        title, detail = plan_change(end[2].removeprefix("ended "), _cents(end[3]),
                                    start[2].removeprefix("started "), _cents(start[3]))
        merged[i] = (start[0], "plan", title, detail, *start[4:])
    return [merged.get(i, row) for i, row in enumerate(rows) if i not in dropped]


def account_timeline(conn: Connection, account_id: str, limit: int | None = None) -> list[TimelineEntry]:
    """The account's events, newest first; a subscription replaced by another on the same
    day reads as one upgrade or downgrade."""
    sql = _TIMELINE_SQL + (" LIMIT :limit" if limit else "")
    rows = _merge_plan_changes(list(conn.execute(sql, {"id": account_id, "limit": limit})))
    entries = []
    for at, kind, title, detail, ref, sentiment, who in rows:
        if kind == "plan":
            kind = "subscription"
        elif kind == "subscription":
            detail = _subscription_detail(detail)
        elif kind == "interaction":
            extras = ", ".join(part for part in (who, sentiment) if part)
            title = f"{title} ({extras})" if extras else title
        entries.append(TimelineEntry(parse_timestamp(at), kind, title, detail, ref))
    return entries
