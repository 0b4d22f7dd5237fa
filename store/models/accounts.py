"""Models for accounts, their contacts and their stage history."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from store.models.fields import Cents, Key, Label, LongText, Name, StageKey, UtcDatetime


class Record(BaseModel):
    """Base for every stored entity: strict about unknown fields, strips surrounding spaces."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=True)


class Account(Record):
    """A customer or prospect company, at one stage of the lifecycle."""

    id: Key
    name: Name
    domain: Label | None = None
    segment: Label | None = None
    plan: Label | None = None
    owner: Label | None = None
    stage: StageKey
    stage_entered_at: UtcDatetime | None = None
    renewal_on: date | None = None
    tags: list[Label] = Field(default_factory=list)
    mrr_cents: Cents = 0
    """Current MRR, derived from active subscriptions by the store."""
    first_value_on: date | None = None
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, tags: list[str]) -> list[str]:
        return sorted({tag for tag in tags if tag})


class Contact(Record):
    """A person at an account."""

    id: Key
    account_id: Key
    name: Label | None = None
    email: Label | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    role: Label | None = None
    phone: Label | None = None
    is_primary: bool = False
    updated_at: UtcDatetime | None = None


class StageMove(Record):
    """One move of an account between stages, in any direction, with when and why."""

    id: Key
    account_id: Key
    from_stage: StageKey | None = None
    to_stage: StageKey
    moved_at: UtcDatetime
    reason: LongText | None = None
    source: Label | None = None
    updated_at: UtcDatetime | None = None
    author: Label | None = None
    """Who made the move (`me`, else the OS user); None for imports and older books."""
