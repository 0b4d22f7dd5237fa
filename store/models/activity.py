"""Models for what happens with an account: interactions, survey answers, usage, tasks."""

from __future__ import annotations

from datetime import date

from pydantic import model_validator

from store.models.accounts import Record
from store.models.fields import Count, Key, Label, LongText, UtcDatetime
from store.models.kinds import InteractionKind, Sentiment, SurveyKind, TaskStatus


class Interaction(Record):
    """A call, email, meeting, note, ticket... logged against an account."""

    id: Key
    account_id: Key
    kind: InteractionKind
    occurred_at: UtcDatetime
    author: Label | None = None
    contact_id: Key | None = None
    summary: LongText = ""
    sentiment: Sentiment | None = None
    follow_up_on: date | None = None
    source: Label | None = None
    updated_at: UtcDatetime | None = None


class SurveyAnswer(Record):
    """One answer to an NPS, CSAT or CLI question; the score range depends on the survey."""

    id: Key
    account_id: Key
    contact_id: Key | None = None
    kind: SurveyKind
    question: Label | None = None
    """For CLI, which item was rated (quality, service, experience, recommend...)."""
    score: int
    comment: LongText | None = None
    answered_at: UtcDatetime
    source: Label | None = None
    updated_at: UtcDatetime | None = None

    @model_validator(mode="after")
    def _score_in_range(self) -> SurveyAnswer:
        low, high = self.kind.score_range
        if not low <= self.score <= high:
            raise ValueError(
                f"score {self.score} is outside {low}-{high} for a {self.kind.value} answer"
            )
        return self


class UsageRecord(Record):
    """Product usage of an account on a day (or over a month, dated its first day)."""

    id: Key
    account_id: Key
    used_on: date
    feature: Label | None = None
    events: Count = 0
    active_users: Count | None = None
    """Daily active users (an average when the row covers a month)."""
    monthly_active_users: Count | None = None
    duration_secs: Count | None = None
    updated_at: UtcDatetime | None = None


class Task(Record):
    """A to-do or follow-up for an account, possibly created by a logged interaction."""

    id: Key
    account_id: Key
    title: LongText
    due_on: date | None = None
    status: TaskStatus = TaskStatus.OPEN
    interaction_id: Key | None = None
    created_at: UtcDatetime | None = None
    done_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    author: Label | None = None
    """Who opened the task (`me`, else the OS user); None for imports and older books."""
    kind: InteractionKind | None = None
    """What sort of touchpoint the task asks for (a playbook step's kind)."""
    playbook: Label | None = None
    """The playbook whose step opened this task."""
    playbook_run: Key | None = None
    """The run of that playbook (one per trigger event) the task belongs to."""
