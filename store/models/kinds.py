"""Enumerations used by the models: interaction, survey, subscription and task kinds."""

from __future__ import annotations

from enum import StrEnum


class InteractionKind(StrEnum):
    """What sort of touchpoint an interaction was."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    NOTE = "note"
    TICKET = "ticket"
    TRAINING = "training"
    QBR = "qbr"
    DEMO = "demo"
    CHAT = "chat"
    OTHER = "other"


class Sentiment(StrEnum):
    """How an interaction felt."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class SurveyKind(StrEnum):
    """Which survey an answer belongs to; each has its own score range."""

    NPS = "nps"
    CSAT = "csat"
    CLI = "cli"

    @property
    def score_range(self) -> tuple[int, int]:
        """The inclusive (lowest, highest) score this survey allows."""
        return {"nps": (0, 10), "csat": (1, 5), "cli": (1, 10)}[self.value]


CLI_QUESTIONS = ("quality", "service", "experience", "recommend")
"""The customer loyalty index items, each rated 1-10; CLI = mean of their means x 10."""


class SubscriptionStatus(StrEnum):
    """Billing state of a subscription; only active and past-due ones carry MRR."""

    TRIAL = "trial"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELLED = "cancelled"


class BillingInterval(StrEnum):
    """How often a subscription is invoiced; MRR is always normalised to a month."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class TaskStatus(StrEnum):
    """Whether a task or follow-up is still to do."""

    OPEN = "open"
    DONE = "done"


class DealStatus(StrEnum):
    """Where a deal stands: still in the pipeline, won or lost."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


class PaymentStatus(StrEnum):
    """What became of a payment attempt."""

    PAID = "paid"
    FAILED = "failed"
    REFUNDED = "refunded"
    PENDING = "pending"


class PaymentKind(StrEnum):
    """Whether a payment is a subscription charge or a one-off purchase."""

    RECURRING = "recurring"
    ONE_OFF = "one_off"
