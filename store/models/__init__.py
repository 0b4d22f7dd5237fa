"""Validated models for every entity retain stores, and the read models the faces show."""

from store.models.accounts import Account, Contact, Record, StageMove
from store.models.activity import Interaction, SurveyAnswer, Task, UsageRecord
from store.models.board import BoardCard, BoardColumn
from store.models.kinds import (
    CLI_QUESTIONS,
    BillingInterval,
    DealStatus,
    InteractionKind,
    PaymentKind,
    PaymentStatus,
    Sentiment,
    SubscriptionStatus,
    SurveyKind,
    TaskStatus,
)
from store.models.revenue import Acquisition, AcquisitionSpend, Subscription
from store.models.sales import Deal, Payment

__all__ = [
    "CLI_QUESTIONS",
    "Account",
    "Acquisition",
    "AcquisitionSpend",
    "BillingInterval",
    "BoardCard",
    "BoardColumn",
    "Contact",
    "Deal",
    "DealStatus",
    "Interaction",
    "InteractionKind",
    "Payment",
    "PaymentKind",
    "PaymentStatus",
    "Record",
    "Sentiment",
    "StageMove",
    "Subscription",
    "SubscriptionStatus",
    "SurveyAnswer",
    "SurveyKind",
    "Task",
    "TaskStatus",
    "UsageRecord",
]
