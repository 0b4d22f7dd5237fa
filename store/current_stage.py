"""An account's current stage is its latest move: the one order of moves, and keeping to it."""

from __future__ import annotations

import json
from collections.abc import Collection

from store.database import Connection


def move_order(alias: str = "", *, latest_first: bool = False) -> str:
    """The ORDER BY terms that sort an account's moves: by `moved_at`, ties by id.

    Every reader of the history (the funnel, time in stage, undo, the timeline, the current
    stage) sorts with these, so two moves in the same second are in the same order everywhere.
    """
    prefix = f"{alias}." if alias else ""
    direction = " DESC" if latest_first else ""
    return f"{prefix}moved_at{direction}, {prefix}id{direction}"


ENTRY_INTO_BOOK = """(h.from_stage IS NULL
  AND h.to_stage NOT IN (SELECT key FROM stages WHERE terminal)
  AND NOT EXISTS (SELECT 1 FROM stage_history e WHERE e.account_id = h.account_id
                  AND (e.moved_at, e.id) < (h.moved_at, h.id)))"""
"""SQL: the move `h` is its account's entry into the book: its first move (in move_order),
from no stage, into a stage that is not terminal. Any other move with no from-stage (an
imported churn event, a history that names only where accounts went) is a move from an
unknown stage."""


def latest_moves(where: str = "") -> str:
    """SQL: each account's latest move as (account_id, to_stage, moved_at); `where` narrows
    the history read (a condition on stage_history, e.g. a scope of accounts)."""
    return (
        "SELECT account_id, to_stage, moved_at FROM ("
        "SELECT account_id, to_stage, moved_at, row_number() OVER ("
        f"PARTITION BY account_id ORDER BY {move_order(latest_first=True)}) AS n "
        f"FROM stage_history WHERE 1{where}) WHERE n = 1"
    )


def keep_to_latest_move(conn: Connection, now: str,
                        account_ids: Collection[str] | None = None) -> int:
    """Set each account's stage and stage_entered_at to its latest move (inside the caller's
    write); all accounts with a history when `account_ids` is None. A latest move into a stage
    the book no longer has is left alone. Returns how many accounts changed."""
    where, params = "", {"now": now}
    if account_ids is not None:
        if not account_ids:
            return 0
        where = " AND account_id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = json.dumps(sorted(account_ids))
    cursor = conn.execute(
        "UPDATE accounts SET stage = m.to_stage, stage_entered_at = m.moved_at, "
        f"updated_at = :now FROM ({latest_moves(where)}) m "
        "WHERE m.account_id = accounts.id AND m.to_stage IN (SELECT key FROM stages) "
        "AND (accounts.stage IS NOT m.to_stage OR accounts.stage_entered_at IS NOT m.moved_at)",
        params,
    )
    return int(cursor.rowcount)
