"""Health history: each account's health score on every day it changes, for drops and sparklines.

`record` scores the whole book once a day and writes a row only for accounts whose score
differs from the one last recorded (None included: a prospect, or no data), so the table grows
with changes, not with days. The score in effect on a day is the latest row on or before it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

from store.database import Connection

RECORDED_ON = "derived.health_recorded_on"
"""The last day `record` wrote the book's health scores (a settings key)."""


def record(conn: Connection, day: date, scores: Mapping[str, float | None]) -> int:
    """Write `scores` as of `day` where they differ from the latest earlier row; return how
    many rows were written (inside the caller's write transaction)."""
    latest = dict(conn.execute(
        "SELECT account_id, score FROM (SELECT account_id, score, max(day) FROM health_history "
        "WHERE day <= ? GROUP BY account_id)", (day.isoformat(),)).fetchall())
    changed = [(account_id, day.isoformat(), score) for account_id, score in scores.items()
               if account_id not in latest and score is not None
               or account_id in latest and latest[account_id] != score]
    conn.executemany(
        "INSERT INTO health_history (account_id, day, score) VALUES (?, ?, ?) "
        "ON CONFLICT(account_id, day) DO UPDATE SET score = excluded.score", changed)
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) "
        "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (RECORDED_ON, json.dumps(day.isoformat()), f"{day.isoformat()}T00:00:00Z"))
    return len(changed)


def recorded_on(conn: Connection) -> date | None:
    """The last day the book's health was recorded, if ever."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (RECORDED_ON,)).fetchone()
    return date.fromisoformat(json.loads(row[0])) if row else None


def history(conn: Connection, account_id: str, since: date, until: date) -> list[
        tuple[date, float | None]]:
    """(day, score) of each change from the score in effect on `since` through `until`."""
    rows = conn.execute(
        "SELECT day, score FROM health_history WHERE account_id = :id AND day <= :until "
        "AND day >= coalesce((SELECT max(day) FROM health_history WHERE account_id = :id "
        "AND day <= :since), :since) ORDER BY day",
        {"id": account_id, "since": since.isoformat(), "until": until.isoformat()})
    return [(date.fromisoformat(day), score) for day, score in rows]


def daily(changes: list[tuple[date, float | None]], since: date, until: date) -> list[
        float | None]:
    """The score in effect on each day from `since` to `until` (None before any record)."""
    values: list[float | None] = []
    index, current = 0, None
    day = since
    while day <= until:
        while index < len(changes) and changes[index][0] <= day:
            current = changes[index][1]
            index += 1
        values.append(current)
        day = date.fromordinal(day.toordinal() + 1)
    return values
