"""Board queries: per-stage counts and totals, and pages of cards, sorted and filtered in SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from store.account_lookup import fold
from store.clock import parse_timestamp
from store.database import Connection
from store.kpis.health import HEALTH_BANDS
from store.lifecycle import LifecycleModel
from store.models import BoardCard, BoardColumn
from store.nps import NpsGroup, latest_answers

SORTS = {
    "mrr": "a.mrr_cents DESC, a.id",
    "health": "h.value IS NULL, h.value, a.mrr_cents DESC, a.id",
    "days": "a.stage_entered_at, a.id",
    "renewal": "a.renewal_on IS NULL, a.renewal_on, a.id",
    "name": "a.name COLLATE NOCASE, a.id",
}
"""Card orders: highest MRR, worst health, longest in stage, soonest renewal, or by name."""

NPS_GROUPS = tuple(group.value for group in NpsGroup)
"""The NPS groups the board filters by (store.nps defines them)."""


@dataclass(frozen=True, slots=True)
class BoardView:
    """How the board is sorted and which accounts it shows (None fields do not filter)."""

    sort: str = "mrr"
    search: str | None = None
    """Words that must all appear in the name, key or domain (case and accents ignored)."""
    segment: str | None = None
    owner: str | None = None
    plan: str | None = None
    nps_group: str | None = None
    """promoter, passive or detractor, by the latest NPS answer."""
    health_band: str | None = None
    """healthy, watch or at risk."""

    @property
    def needs_health(self) -> bool:
        """True when the view sorts or filters by health (scores must be bound in)."""
        return self.sort == "health" or self.health_band is not None

    @property
    def is_filtered(self) -> bool:
        """True when some accounts are hidden."""
        return any((self.search, self.segment, self.owner, self.plan, self.nps_group,
                    self.health_band))

    def where(self, health_json: str | None = None) -> tuple[str, dict[str, Any]]:
        """SQL conditions on accounts `a` and their bound parameters.

        A view that needs health is read with the scores bound as a JSON object
        (`health_json`) and joined as `h` (see `source`).
        """
        clauses: list[str] = []
        params: dict[str, Any] = {}
        for n, word in enumerate(fold(self.search or "").split()):
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append(f"retain_fold(a.name || ' ' || a.id || ' ' || coalesce(a.domain, '')) "
                           f"LIKE :w{n} ESCAPE '\\'")
            params[f"w{n}"] = f"%{escaped}%"
        for column in ("segment", "owner", "plan"):
            value = getattr(self, column)
            if value is not None:
                clauses.append(f"a.{column} = :{column} COLLATE NOCASE")
                params[column] = value
        if self.nps_group is not None:
            clauses.append(f"a.id IN (SELECT account_id FROM ({latest_answers()}) "
                           f"WHERE {NpsGroup(self.nps_group).condition('score')})")
        if self.health_band is not None:
            low_score, high_score = HEALTH_BANDS[self.health_band]
            clauses.append("h.value >= :health_low AND h.value < :health_high")
            params.update(health_low=low_score, health_high=high_score)
        if self.needs_health:
            params["health"] = health_json or "{}"
        return " AND ".join(clauses) or "1", params

    def source(self) -> str:
        """The FROM clause: accounts `a`, joined to the bound health scores `h` when needed."""
        if self.needs_health:
            # CROSS JOIN fixes the order: drive from the scores, look accounts up by key
            # (linear); the other order reads the whole JSON once per account.
            return "json_each(:health) h CROSS JOIN accounts a ON a.id = h.key"
        return "accounts a"


def register_functions(conn: Connection) -> None:
    """Give a connection the SQL functions board filters use."""
    conn.create_function("retain_fold", 1, lambda text: fold(text or ""), deterministic=True)


def mrr_lost_sql(paying_on_day: str) -> str:
    """The MRR account `a` had the day before it entered its stage (what a churned account
    took away): its subscriptions paying that day, or the MRR it came with if it has none."""
    paying = paying_on_day.replace(":day", "date(a.stage_entered_at, '-1 day')")
    return ("CASE WHEN EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = a.id) "
            "THEN (SELECT coalesce(sum(s.mrr_cents), 0) FROM subscriptions s "
            f"WHERE s.account_id = a.id AND {paying}) ELSE a.mrr_cents END")


def board_columns(conn: Connection, lifecycle: LifecycleModel, view: BoardView,
                  health_json: str | None = None, *, paying_on_day: str) -> list[BoardColumn]:
    """One column per stage, in order, with the count and MRR total of the accounts shown; a
    terminal stage's total is the MRR its accounts had before they entered it (MRR lost)."""
    condition, params = view.where(health_json)
    terminal = json.dumps([stage.key for stage in lifecycle.stages if stage.terminal])
    totals = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            "SELECT a.stage, count(*), coalesce(sum(CASE WHEN a.stage IN "
            f"(SELECT value FROM json_each(:terminal)) THEN {mrr_lost_sql(paying_on_day)} "
            f"ELSE a.mrr_cents END), 0) FROM {view.source()} "
            f"WHERE {condition} GROUP BY a.stage",
            {**params, "terminal": terminal},
        )
    }
    return [BoardColumn(stage, *totals.get(stage.key, (0, 0))) for stage in lifecycle.stages]


def board_cards(
    conn: Connection, stage: str, offset: int, limit: int, view: BoardView, today: date,
    health_json: str | None = None,
) -> list[BoardCard]:
    """A page of a stage's cards in the view's order, with the overdue follow-up flag."""
    condition, params = view.where(health_json)
    rows = conn.execute(
        f"""SELECT a.id, a.name, a.mrr_cents, a.stage_entered_at, a.renewal_on
            FROM {view.source()} WHERE a.stage = :stage AND {condition}
            ORDER BY {SORTS[view.sort]} LIMIT :limit OFFSET :offset""",
        {**params, "stage": stage, "limit": limit, "offset": offset},
    ).fetchall()
    # A second query for the page only: inside the sorted one it ran for every row.
    overdue = {
        row[0] for row in conn.execute(
            "SELECT DISTINCT account_id FROM tasks "
            "WHERE account_id IN (SELECT value FROM json_each(?)) "
            "AND +status = 'open' AND +due_on < ?",  # + : look tasks up by account
            (json.dumps([row[0] for row in rows]), today.isoformat()),
        )
    }
    open_deals = dict(conn.execute(
        "SELECT account_id, sum(amount_cents) FROM deals "
        "WHERE account_id IN (SELECT value FROM json_each(?)) AND status = 'open' "
        "AND amount_cents IS NOT NULL GROUP BY account_id",
        (json.dumps([row[0] for row in rows]),)).fetchall())
    return [
        BoardCard(
            account_id=row[0], name=row[1], mrr_cents=row[2],
            stage_entered_at=parse_timestamp(row[3]),
            renewal_on=date.fromisoformat(row[4]) if row[4] else None,
            overdue_follow_up=row[0] in overdue,
            open_deal_cents=open_deals.get(row[0], 0),
        )
        for row in rows
    ]


def card_position(conn: Connection, stage: str, account_id: str, view: BoardView,
                  health_json: str | None = None) -> int | None:
    """Where an account sits in its column under the view (for keeping a selection)."""
    condition, params = view.where(health_json)
    ids = conn.execute(
        f"SELECT a.id FROM {view.source()} WHERE a.stage = :stage AND {condition} "
        f"ORDER BY {SORTS[view.sort]}",
        {**params, "stage": stage},
    ).fetchall()
    for index, (found,) in enumerate(ids):
        if found == account_id:
            return index
    return None
