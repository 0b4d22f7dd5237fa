"""Board queries: per-stage counts and totals, and pages of cards, sorted and filtered in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from store.account_lookup import fold
from store.clock import parse_timestamp
from store.database import Connection
from store.lifecycle import LifecycleModel
from store.models import BoardCard, BoardColumn

SORTS = {
    "mrr": "a.mrr_cents DESC, a.id",
    "days": "a.stage_entered_at, a.id",
    "renewal": "a.renewal_on IS NULL, a.renewal_on, a.id",
    "name": "a.name COLLATE NOCASE, a.id",
}
"""Card orders: highest MRR, longest in stage, soonest renewal, or by name."""


@dataclass(frozen=True, slots=True)
class BoardView:
    """How the board is sorted and which accounts it shows (None fields do not filter)."""

    sort: str = "mrr"
    search: str | None = None
    """Words that must all appear in the name, key or domain (case and accents ignored)."""
    segment: str | None = None
    owner: str | None = None

    def where(self) -> tuple[str, dict[str, Any]]:
        """SQL conditions on accounts `a` and their bound parameters."""
        clauses, params = [], {}
        for n, word in enumerate(fold(self.search or "").split()):
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append(f"retain_fold(a.name || ' ' || a.id || ' ' || coalesce(a.domain, '')) "
                           f"LIKE :w{n} ESCAPE '\\'")
            params[f"w{n}"] = f"%{escaped}%"
        for column in ("segment", "owner"):
            value = getattr(self, column)
            if value is not None:
                clauses.append(f"a.{column} = :{column} COLLATE NOCASE")
                params[column] = value
        return " AND ".join(clauses) or "1", params


def register_functions(conn: Connection) -> None:
    """Give a connection the SQL functions board filters use."""
    conn.create_function("retain_fold", 1, lambda text: fold(text or ""), deterministic=True)


def board_columns(conn: Connection, lifecycle: LifecycleModel, view: BoardView) -> list[BoardColumn]:
    """One column per stage, in order, with the count and MRR total of the accounts shown."""
    condition, params = view.where()
    totals = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            f"SELECT a.stage, count(*), coalesce(sum(a.mrr_cents), 0) FROM accounts a "
            f"WHERE {condition} GROUP BY a.stage",
            params,
        )
    }
    return [BoardColumn(stage, *totals.get(stage.key, (0, 0))) for stage in lifecycle.stages]


def board_cards(
    conn: Connection, stage: str, offset: int, limit: int, view: BoardView, today: date
) -> list[BoardCard]:
    """A page of a stage's cards in the view's order, with the overdue follow-up flag."""
    condition, params = view.where()
    rows = conn.execute(
        f"""SELECT a.id, a.name, a.mrr_cents, a.stage_entered_at, a.renewal_on,
                   EXISTS (SELECT 1 FROM tasks t WHERE t.account_id = a.id
                           AND t.status = 'open' AND t.due_on < :today)
            FROM accounts a WHERE a.stage = :stage AND {condition}
            ORDER BY {SORTS[view.sort]} LIMIT :limit OFFSET :offset""",
        {**params, "stage": stage, "limit": limit, "offset": offset,
         "today": today.isoformat()},
    ).fetchall()
    return [
        BoardCard(
            account_id=row[0], name=row[1], mrr_cents=row[2],
            stage_entered_at=parse_timestamp(row[3]),
            renewal_on=date.fromisoformat(row[4]) if row[4] else None,
            overdue_follow_up=bool(row[5]),
        )
        for row in rows
    ]


def card_position(conn: Connection, stage: str, account_id: str, view: BoardView) -> int | None:
    """Where an account sits in its column under the view (for keeping a selection)."""
    condition, params = view.where()
    ids = conn.execute(
        f"SELECT a.id FROM accounts a WHERE a.stage = :stage AND {condition} "
        f"ORDER BY {SORTS[view.sort]}",
        {**params, "stage": stage},
    ).fetchall()
    for index, (found,) in enumerate(ids):
        if found == account_id:
            return index
    return None
