"""Models for subscriptions (the source of MRR) and acquisition (leads, trials, spend)."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from store.models.accounts import Record
from store.models.fields import Cents, Key, Label, UtcDatetime
from store.models.kinds import BillingInterval, SubscriptionStatus


class Subscription(Record):
    """A subscription interval; `mrr_cents` is already normalised to a month (annual / 12)."""

    id: Key
    account_id: Key
    plan: Label | None = None
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE
    mrr_cents: Cents = 0
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    billing_interval: BillingInterval = BillingInterval.MONTH
    started_on: date
    ended_on: date | None = None
    """The first day without the subscription (exclusive): the end of the paid period."""
    cancelled_on: date | None = None
    """The day the customer cancelled; the subscription may run on to `ended_on`. Churn counts
    then instead of at `ended_on` when the setting `kpi.churn_at` is `cancellation`."""
    updated_at: UtcDatetime | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Subscription:
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise ValueError(
                f"ended_on {self.ended_on} is before started_on {self.started_on}"
            )
        return self


class Acquisition(Record):
    """How an account was won: its lead source and channel, and its lead/trial/demo dates."""

    id: Key
    account_id: Key
    source: Label | None = None
    channel: Label | None = None
    campaign: Label | None = None
    lead_on: date | None = None
    trial_on: date | None = None
    demo_on: date | None = None
    converted_on: date | None = None
    spend_cents: Cents | None = None
    updated_at: UtcDatetime | None = None


class AcquisitionSpend(Record):
    """Money spent on one acquisition channel on a day (or for a month, dated its first day)."""

    id: Key
    channel: Label
    spent_on: date
    amount_cents: Cents
    updated_at: UtcDatetime | None = None
