"""Read models for lists and timelines: what a screen or a CLI table shows of the book."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from store.nps import NpsGroup

__all__ = ["AccountRow", "NpsGroup", "TimelineEntry"]


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One line of the account list, with the facts triage filters on."""

    key: str
    name: str
    stage: str
    owner: str | None
    segment: str | None
    plan: str | None
    mrr_cents: int
    renewal_on: date | None
    stage_entered_at: datetime
    last_touch_at: datetime | None
    latest_nps: int | None

    @property
    def nps_group(self) -> NpsGroup | None:
        """The group of the latest NPS answer, if any."""
        return NpsGroup.of(self.latest_nps) if self.latest_nps is not None else None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event in an account's story: an interaction, a stage move, an answer, a billing change."""

    at: datetime
    kind: str
    """interaction, stage, survey or subscription (shown as `label`)."""
    title: str
    """What happened, ready to show: `call (Dana, positive)`, `adoption → retention`, `NPS 9`,
    `cancelled Pro (runs to 2026-03-20)`. May quote user text: show it literally."""
    detail: str
    """The summary, reason, comment, or `$1,200/mo, active` (user text: show it literally)."""
    ref: str
    """The id of the row behind the entry."""
    all_day: bool = False
    """True for billing events, which happen on a day (`at` is that day's midnight UTC)."""
    mrr_cents: int | None = None
    """A billing event's subscription MRR."""
    score: int | None = None
    """A survey answer's score."""

    @property
    def label(self) -> str:
        """The kind as both faces name it: billing for subscription events."""
        return "billing" if self.kind == "subscription" else self.kind
