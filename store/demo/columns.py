"""The column order the demo builds each table's row tuples in, and a check against the schema."""

from __future__ import annotations

from typing import Any

from store.models import (
    Account,
    Acquisition,
    AcquisitionSpend,
    Contact,
    Deal,
    Interaction,
    Payment,
    Record,
    StageMove,
    Subscription,
    SurveyAnswer,
    Task,
    UsageRecord,
)
from store.rows import columns

Row = tuple[Any, ...]
"""One table row, its values in the order `COLUMNS` gives for the table."""

COLUMNS: dict[type[Record], tuple[str, ...]] = {
    Account: ("id", "name", "domain", "segment", "plan", "owner", "stage", "stage_entered_at",
              "renewal_on", "tags", "mrr_cents", "first_value_on", "created_at", "updated_at"),
    Contact: ("id", "account_id", "name", "email", "role", "phone", "is_primary", "updated_at"),
    StageMove: ("id", "account_id", "from_stage", "to_stage", "moved_at", "reason", "source",
                "updated_at"),
    Subscription: ("id", "account_id", "plan", "status", "mrr_cents", "currency",
                   "billing_interval", "started_on", "ended_on", "cancelled_on", "updated_at"),
    Interaction: ("id", "account_id", "kind", "occurred_at", "author", "contact_id", "summary",
                  "sentiment", "follow_up_on", "source", "updated_at"),
    Task: ("id", "account_id", "title", "due_on", "status", "interaction_id", "created_at",
           "done_at", "updated_at"),
    SurveyAnswer: ("id", "account_id", "contact_id", "kind", "question", "score", "comment",
                   "answered_at", "source", "updated_at"),
    UsageRecord: ("id", "account_id", "used_on", "feature", "events", "active_users",
                  "monthly_active_users", "duration_secs", "updated_at"),
    Acquisition: ("id", "account_id", "source", "channel", "campaign", "lead_on", "trial_on",
                  "demo_on", "converted_on", "spend_cents", "updated_at"),
    AcquisitionSpend: ("id", "channel", "spent_on", "amount_cents", "updated_at"),
    Deal: ("id", "account_id", "name", "stage", "status", "amount_cents", "currency",
           "created_on", "close_on", "owner", "type", "source", "updated_at"),
    Payment: ("id", "account_id", "amount_cents", "refunded_cents", "currency", "status",
              "attempted_at", "paid_at", "invoice_id", "quantity", "description", "kind",
              "updated_at"),
}
"""The column order the demo's row tuples are built in; dict order is the insert order."""


def check_columns() -> None:
    """Fail loudly if a model's fields no longer start with the tuples the demo builds (columns
    added later, such as `author`, are left to their default)."""
    for model, expected in COLUMNS.items():
        if tuple(columns(model))[:len(expected)] != expected:
            raise RuntimeError(f"store.demo builds {model.__name__} rows for an older schema")
