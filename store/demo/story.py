"""One account's story while the demo generates it: its timeline and planned subscriptions."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(slots=True)
class DraftSubscription:
    """A subscription being built; becomes a row once the account's story is complete."""

    start: int
    mrr: int
    plan: str
    interval: str
    end: int | None = None
    status: str = "active"
    add_on: bool = False


@dataclass(slots=True)
class Story:
    """One account's timeline while it is being generated; days are date ordinals."""

    id: str
    health: float
    segment: str
    owner: str
    created: int
    name: str = ""
    domain: str = ""
    bought: int | None = None
    move_days: list[int] = field(default_factory=list)
    move_stages: list[int] = field(default_factory=list)
    """Main-path index after each move (-1 for churned), parallel to `move_days`."""
    created_at: str = ""
    last_moved_at: str = ""
    demo_on: int | None = None
    periods: list[tuple[int, int | None]] = field(default_factory=list)
    """Paying periods as (first day, day it ended or None while it lasts)."""
    price_changes: list[tuple[int, bool]] = field(default_factory=list)
    """Days the plan went up (True) or down (False) because of a stage move."""
    reached_onboarding: bool = False
    left_onboarding: int | None = None
    contacts: list[tuple[str, str]] = field(default_factory=list)
    """(contact id, first name), the primary contact first."""
    subscriptions: list[DraftSubscription] = field(default_factory=list)
    """Trials, paid plans and add-ons, in the order their rows are written."""

    def stage_at(self, day: int) -> int:
        """The main-path index (-1 churned) the account was in on `day`."""
        return self.move_stages[max(0, bisect_right(self.move_days, day) - 1)]
