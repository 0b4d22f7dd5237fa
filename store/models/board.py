"""Read models for the stage board: column totals and the cards in a column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from store.clock import days_since
from store.lifecycle import Stage


@dataclass(frozen=True, slots=True)
class BoardColumn:
    """A stage with how many accounts it holds and their total MRR (for a terminal stage, the
    MRR they had before they entered it: MRR lost)."""

    stage: Stage
    count: int
    mrr_cents: int


@dataclass(frozen=True, slots=True)
class BoardCard:
    """What a board card shows of one account."""

    account_id: str
    name: str
    mrr_cents: int
    stage_entered_at: datetime
    renewal_on: date | None
    overdue_follow_up: bool = False
    """An open task of the account is past its due date."""
    health: float | None = None
    """The health score (0-100), when the page was scored."""
    open_deal_cents: int = 0
    """The amounts of the account's open CRM deals (what a prospect's card shows)."""

    def days_in_stage(self, today: date) -> int:
        """Whole days since the account entered its stage (0 on the day itself)."""
        return days_since(self.stage_entered_at, today)
