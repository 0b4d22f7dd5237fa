"""Filter and sort the account list (the CLI's `accounts` and the TUI's lists)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from store.clock import parse_date, parse_timestamp
from store.database import Connection
from store.models.views import AccountRow, NpsGroup
from store.nps import latest_answers

SORTS = {
    "name": "a.name COLLATE NOCASE, a.id",
    "mrr": "a.mrr_cents DESC, a.id",
    "renewal": "a.renewal_on IS NULL, a.renewal_on, a.id",
    "stage": "s.position, a.mrr_cents DESC, a.id",
    "quiet": "last_touch_at IS NOT NULL, last_touch_at, a.id",
    "days-in-stage": "a.stage_entered_at, a.id",
}
"""Sort orders by name; `quiet` puts the longest-silent accounts first."""


@dataclass(frozen=True)
class AccountFilter:
    """Which accounts to list; every field left as None does not filter."""

    stages: list[str] = field(default_factory=list)
    owner: str | None = None
    segment: str | None = None
    plan: str | None = None
    nps_group: NpsGroup | None = None
    renewal_within_days: int | None = None
    quiet_for_days: int | None = None
    sort: str = "name"
    limit: int | None = None


def list_accounts(conn: Connection, wanted: AccountFilter, today: date) -> list[AccountRow]:
    """The accounts matching `wanted`, sorted as asked; all values are bound parameters."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if wanted.stages:
        marks = ", ".join(f":stage{n}" for n in range(len(wanted.stages)))
        where.append(f"a.stage IN ({marks})")
        params.update({f"stage{n}": stage for n, stage in enumerate(wanted.stages)})
    for column in ("owner", "segment", "plan"):
        value = getattr(wanted, column)
        if value is not None:
            where.append(f"a.{column} = :{column} COLLATE NOCASE")
            params[column] = value
    if wanted.renewal_within_days is not None:
        where.append("a.renewal_on BETWEEN :today AND :renewal_by")
        params["renewal_by"] = (today + timedelta(days=wanted.renewal_within_days)).isoformat()
    if wanted.quiet_for_days is not None:
        where.append("(last_touch_at IS NULL OR last_touch_at < :quiet_since)")
        params["quiet_since"] = (today - timedelta(days=wanted.quiet_for_days)).isoformat()
    if wanted.nps_group is not None:
        where.append(wanted.nps_group.condition("n.score"))
    params["today"] = today.isoformat()
    sql = f"""
        SELECT a.id, a.name, a.stage, a.owner, a.segment, a.plan, a.mrr_cents, a.renewal_on,
               a.stage_entered_at,
               (SELECT max(i.occurred_at) FROM interactions i
                 WHERE i.account_id = a.id AND i.kind != 'ticket') AS last_touch_at,
               n.score AS latest_nps
        FROM accounts a JOIN stages s ON s.key = a.stage
        LEFT JOIN ({latest_answers()}) n ON n.account_id = a.id
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY {SORTS[wanted.sort]}
        {"LIMIT :limit" if wanted.limit else ""}
    """
    if wanted.limit:
        params["limit"] = wanted.limit
    return [
        AccountRow(
            key=row[0], name=row[1], stage=row[2], owner=row[3], segment=row[4], plan=row[5],
            mrr_cents=row[6], renewal_on=parse_date(row[7]),
            stage_entered_at=parse_timestamp(row[8]),
            last_touch_at=parse_timestamp(row[9]) if row[9] else None, latest_nps=row[10],
        )
        for row in conn.execute(sql, params)
    ]
