"""The derived table behind every revenue KPI: each account's month-end MRR and its movement.

A month's MRR is what the account's paying subscriptions carry on the month's last day
(subscriptions are active from `started_on` up to, not including, `ended_on`, or `cancelled_on`
when the setting `kpi.churn_at` is `cancellation`; trials and zero-MRR subscriptions never
count). Comparing consecutive months classifies the change per
customer, as subscription-metrics tools do: new, expansion, contraction, churned, reactivation.
The rows are rewritten for the accounts a write touches, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from store.database import Connection
from store.freshness import MONTHS_THROUGH
from store.kpis.periods import add_months, last_of_month, month_key

HORIZON_MONTHS = 12
"""Months after the current one that are derived too, from subscriptions' known end dates."""

_INSERT = (
    "INSERT INTO account_months (account_id, month, mrr_cents, movement, delta_cents) "
    "VALUES (?, ?, ?, ?, ?)"
)
CHURN_AT_SETTING = "kpi.churn_at"
CHURN_AT = ("period_end", "cancellation")
"""When churn counts (setting `kpi.churn_at`): at the end of the paid period (the default), or
on the day the customer cancelled."""

_SUBSCRIPTIONS = (
    "SELECT account_id, started_on, "
    "CASE WHEN :at_cancellation AND cancelled_on IS NOT NULL "
    "     AND (ended_on IS NULL OR cancelled_on < ended_on) THEN cancelled_on ELSE ended_on END, "
    "mrr_cents FROM subscriptions WHERE status != 'trial' AND mrr_cents > 0 "
    "AND NOT (status = 'cancelled' AND ended_on IS NULL)"
)

Interval = tuple[str, str | None, int]
"""(started_on, ended_on or None, mrr_cents) of one paying subscription."""
MonthRow = tuple[str, int, str | None, int]
"""(month, mrr_cents, movement or None, delta_cents)."""


def classify(previous: int, current: int, has_paid_before: bool) -> str | None:
    """The movement from one month-end MRR to the next, per customer."""
    if previous == 0 and current > 0:
        return "reactivation" if has_paid_before else "new"
    if previous > 0 and current == 0:
        return "churned"
    if current > previous:
        return "expansion"
    if current < previous:
        return "contraction"
    return None


def derive_months(intervals: Sequence[Interval], through: str) -> list[MonthRow]:
    """One account's month rows from its paying subscriptions, through month `through`.

    Rows are kept for months with MRR and for the month of a churn; months of silence
    between a churn and a reactivation have none.
    """
    if not intervals:
        return []
    first = min(start for start, _, _ in intervals)
    cursor = date.fromisoformat(first).replace(day=1)
    rows: list[MonthRow] = []
    previous, has_paid = 0, False
    while (month := month_key(cursor)) <= through:
        day = last_of_month(month).isoformat()
        current = sum(mrr for start, end, mrr in intervals
                      if start <= day and (end is None or end > day))
        movement = classify(previous, current, has_paid)
        if current or movement:
            rows.append((month, current, movement, current - previous))
        has_paid = has_paid or current > 0
        previous = current
        cursor = add_months(cursor, 1)
    return rows


def horizon(today: date) -> str:
    """The last month the table is derived through."""
    return month_key(add_months(today, HORIZON_MONTHS))


def refresh(conn: Connection, today: date, account_ids: Iterable[str] | None = None) -> int:
    """Re-derive the rows of some accounts (all when None); call inside the write transaction.

    Only a full refresh moves the horizon, so that every account is derived through the same
    month; a partial one keeps the horizon already recorded.
    """
    recorded = conn.execute(
        "SELECT value FROM settings WHERE key = ?", (MONTHS_THROUGH,)
    ).fetchone()
    churn_at = conn.execute("SELECT value FROM settings WHERE key = ?",
                            (CHURN_AT_SETTING,)).fetchone()
    params = {"at_cancellation": churn_at is not None and churn_at[0] == '"cancellation"'}
    through = horizon(today)
    if account_ids is not None and recorded:
        through = recorded[0].strip('"')
    if account_ids is None:
        conn.execute("DELETE FROM account_months")
        cursor = conn.execute(_SUBSCRIPTIONS + " ORDER BY account_id", params)
    else:
        ids = list(dict.fromkeys(account_ids))
        if not ids:
            return 0
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched_accounts (id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM touched_accounts")
        conn.executemany("INSERT OR IGNORE INTO touched_accounts VALUES (?)", ((i,) for i in ids))
        conn.execute("DELETE FROM account_months WHERE account_id IN "
                     "(SELECT id FROM touched_accounts)")
        cursor = conn.execute(
            _SUBSCRIPTIONS + " AND account_id IN (SELECT id FROM touched_accounts) "
            "ORDER BY account_id", params
        )
    by_account: dict[str, list[Interval]] = {}
    for account_id, started_on, ended_on, mrr in cursor.fetchall():
        by_account.setdefault(account_id, []).append((started_on, ended_on, mrr))
    written = 0
    batch: list[tuple[str, str, int, str | None, int]] = []
    for account_id, intervals in by_account.items():
        batch.extend((account_id, *row) for row in derive_months(intervals, through))
        if len(batch) >= 20_000:
            conn.executemany(_INSERT, batch)
            written += len(batch)
            batch.clear()
    conn.executemany(_INSERT, batch)
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (MONTHS_THROUGH, f'"{through}"', f"{today.isoformat()}T00:00:00Z"),
    )
    return written + len(batch)
