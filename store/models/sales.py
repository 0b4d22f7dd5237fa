"""Models for the purchase stage and billing: CRM deals and payments (invoices, orders)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from store.models.accounts import Record
from store.models.fields import Cents, Key, Label, LongText, UtcDatetime
from store.models.kinds import DealStatus, PaymentKind, PaymentStatus

SignedCents = Annotated[int, Field(ge=-(10**15), le=10**15)]
"""An amount of money in integer minor units that may be negative (a refund)."""


class Deal(Record):
    """A CRM deal (opportunity): its stage as the CRM names it, open/won/lost, amount, dates."""

    id: Key
    account_id: Key
    name: Label | None = None
    stage: Label | None = None
    """The CRM's own stage name, kept as given."""
    status: DealStatus = DealStatus.OPEN
    amount_cents: Cents | None = None
    """None when the CRM has no amount (it is then left out of sums, not counted as 0)."""
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    created_on: date | None = None
    close_on: date | None = None
    """The close date: when it closed (won or lost), or when it is expected to (open)."""
    owner: Label | None = None
    type: Label | None = None
    """New business, renewal, upsell... as the CRM says."""
    source: Label | None = None
    updated_at: UtcDatetime | None = None


class Payment(Record):
    """One payment attempt, invoice or order line: amount (negative for a refund) and outcome."""

    id: Key
    account_id: Key
    amount_cents: SignedCents
    refunded_cents: Cents | None = None
    """The part of this payment given back (Stripe's `Amount Refunded`)."""
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    status: PaymentStatus = PaymentStatus.PAID
    attempted_at: UtcDatetime
    """When the payment was made or tried: the date every payment KPI counts it on."""
    paid_at: UtcDatetime | None = None
    invoice_id: Label | None = None
    """The invoice or order it belongs to: the lines of one order are one purchase."""
    quantity: int | None = None
    description: LongText | None = None
    kind: PaymentKind | None = None
    updated_at: UtcDatetime | None = None

    @model_validator(mode="after")
    def _refund_within_amount(self) -> Payment:
        if self.refunded_cents and self.refunded_cents > abs(self.amount_cents):
            raise ValueError(f"refunded_cents {self.refunded_cents} is more than the amount "
                             f"{self.amount_cents}")
        return self
