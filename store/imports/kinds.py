"""What each importable kind is: its model, its columns' converters and synonyms, its key and checks."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

from store.imports import sales_rows
from store.imports import values as v
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
from store.rows import TABLES


def stable_key(*parts: Any) -> str:
    """A stable id from the values that identify a row with no id of its own (sha256, 32 hex)."""
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


REPEATABLE_FACTS = frozenset({"interactions", "surveys", "usage", "tasks", "spend"})
"""Kinds whose rows are events: identical id-less rows in one file are separate facts (kept,
keyed by content plus occurrence number); in other kinds a repeated derived key is refused."""


def _converter(annotation: Any) -> Callable[[Any], Any]:
    shown = str(annotation)
    if "list[" in shown:
        return v.tags
    if "datetime.datetime" in shown:
        return v.timestamp
    if "datetime.date" in shown:
        return v.day
    if isinstance(annotation, type) and issubclass(annotation, Enum) or "store.models.kinds" in shown:
        return lambda value: (v.text(value) or "").lower().replace(" ", "_").replace("-", "_") or None
    if annotation is bool or shown in ("bool | None", "typing.Optional[bool]"):
        return v.boolean
    if annotation is int or shown in ("int | None", "typing.Optional[int]") or "Annotated[int," in shown:
        return v.integer
    return v.text


_OWNER = ("account", "account_key", "customer_id", "customer", "company_id", "accountid")
_NAME = ("company_name", "company", "organization", "organisation", "customer_name")

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {
        "id": ("account_id", "account_key", "key", "customer_id", "customerid", "company_id",
               "record_id", "account_number"),
        "name": ("account_name", "company_name", "company", "customer_name", "organization",
                 "organisation"),
        "domain": ("website", "company_domain_name", "domain_name", "url"),
        "segment": ("customer_segment",),
        "plan": ("plan_tier", "plan_name", "tier"),
        "owner": ("account_owner", "csm", "company_owner", "owner_name"),
        "stage": ("lifecycle_stage",),
        "renewal_on": ("renewal_date", "renewal", "contract_end_date"),
        "tags": ("labels",),
        "mrr": ("monthly_charges", "monthly_recurring_revenue", "mrr_amount"),
        "churned": ("churn", "churn_flag", "is_churned"),
        "first_value_on": ("first_value_date",),
        "created_at": ("created", "create_date", "created_date", "signup_date"),
    },
    "contacts": {
        "id": ("contact_id",), "account_id": _OWNER, "account_name": _NAME,
        "name": ("full_name", "contact_name"), "email": ("email_address", "e_mail"),
        "role": ("title", "job_title"), "phone": ("phone_number",), "is_primary": ("primary",),
    },
    "subscriptions": {
        "id": ("subscription_id", "sub_id"), "account_id": _OWNER, "account_name": _NAME,
        "plan": ("plan_name", "plan_id", "plan_tier", "product"),
        "mrr": ("mrr_amount", "monthly_charges", "monthly_recurring_revenue"),
        "arr": ("arr_amount",), "amount": ("price", "unit_price", "plan_amount"),
        "quantity": ("plan_quantity",), "currency": ("currency_code",),
        "billing_interval": ("interval", "billing_frequency", "billing_period",
                             "billing_period_unit", "plan_interval"),
        "started_on": ("start_date", "start", "started_at", "start_utc"),
        "ended_on": ("end_date", "ended_at", "ended_at_utc", "expires_at", "expired_at",
                     "expiration_date", "cancel_at", "cancel_at_utc"),
        "cancelled_on": ("canceled_at", "cancelled_at", "canceled_on", "cancellation_date",
                         "cancel_date", "canceled_at_utc"),
        "is_trial": ("trial",),
        "current_period_end": ("current_period_end_utc", "period_end", "renews_on",
                               "next_billing_date"),
        "cancel_at_period_end": ("cancels_at_period_end",),
    },
    "interactions": {
        "id": ("interaction_id", "activity_id", "ticket_id", "conversation_id"),
        "account_id": _OWNER, "account_name": _NAME,
        "kind": ("type", "activity_type", "interaction_type"),
        "occurred_at": ("date", "timestamp", "created_at", "submitted_at", "time", "when"),
        "author": ("owner", "agent", "assignee", "user"),
        "summary": ("subject", "description", "notes", "note", "body"),
        "follow_up_on": ("follow_up", "follow_up_date"),
    },
    "surveys": {
        "id": ("response_id", "answer_id"), "account_id": _OWNER, "account_name": _NAME,
        "kind": ("survey", "survey_type"),
        "score": ("rating", "nps", "nps_score", "csat", "satisfaction_score"),
        "comment": ("feedback", "reason", "why", "comments"),
        "answered_at": ("date", "submitted_at", "created", "timestamp", "response_date"),
    },
    "usage": {
        "id": ("usage_id", "event_id"), "account_id": _OWNER, "account_name": _NAME,
        "subscription_id": (), "used_on": ("date", "usage_date", "day"),
        "feature": ("feature_name", "event", "event_name"),
        "events": ("count", "usage_count", "event_count"), "active_users": ("dau",),
        "monthly_active_users": ("mau",), "duration_secs": ("usage_duration_secs", "duration"),
    },
    "acquisition": {
        "account_id": _OWNER, "account_name": _NAME,
        "source": ("lead_source", "referral_source"), "campaign": ("utm_campaign",),
        "lead_on": ("lead_date",), "trial_on": ("trial_date", "trial_start"),
        "demo_on": ("demo_date",), "converted_on": ("conversion_date", "converted_date"),
        "spend": ("cost",),
    },
    "stages": {
        "id": ("move_id",), "account_id": _OWNER, "account_name": _NAME,
        "from_stage": ("from",), "to_stage": ("to", "stage", "new_stage"),
        "moved_at": ("date", "changed_at", "moved"),
    },
    "tasks": {
        "id": ("task_id",), "account_id": _OWNER, "account_name": _NAME,
        "title": ("subject", "task", "name"), "due_on": ("due", "due_date"),
        "done_at": ("completed_at",),
    },
    "spend": {"spent_on": ("date",), "amount": ("cost", "spend")},
    "deals": {
        "id": ("deal_id", "opportunity_id", "opportunityid", "opp_id", "record_id"),
        "account_id": (*_OWNER, "associated_company_ids", "associated_company_id",
                       "company_ids", "organization_id", "org_id"),
        "account_name": (*_NAME, "associated_company", "organization_name", "org_name",
                         "account_name"),
        "name": ("deal_name", "opportunity_name", "title", "deal_title"),
        "stage": ("stagename", "deal_stage", "stage_name", "opportunity_stage", "dealstage"),
        "status": ("deal_status", "outcome", "won_lost", "state"),
        "amount": ("deal_value", "value", "deal_amount", "opportunity_amount", "price"),
        "currency": ("currency_code", "currencyisocode", "currency_iso_code", "deal_currency"),
        "created_on": ("createddate", "created_date", "create_date", "created", "created_at",
                       "deal_created", "add_time", "opened_on", "open_date"),
        "close_on": ("closedate", "close_date", "closed_date", "closed_on", "close_time",
                     "deal_closed_on", "expected_close_date", "closed_at"),
        "won_on": ("won_time", "won_date"), "lost_on": ("lost_time", "lost_date"),
        "owner": ("ownerid", "deal_owner", "opportunity_owner", "owner_name", "sales_rep"),
        "type": ("deal_type", "opportunity_type", "business_type"),
        "source": ("leadsource", "lead_source", "deal_source", "original_source",
                   "original_source_type", "channel"),
        "is_won": ("iswon", "won"), "is_closed": ("isclosed", "closed"),
    },
    "payments": {
        "id": ("payment_id", "charge_id", "transaction_id", "txn_id", "payment_intent_id"),
        "account_id": (*_OWNER, "customerid", "client_id", "buyer_id", "member_id"),
        "account_name": (*_NAME, "customer_description", "client", "client_name",
                         "buyer_name"),
        "amount": ("total", "amount_paid", "sales", "revenue", "line_total", "gross",
                   "payment_amount", "total_amount", "value", "charge_amount"),
        "unit_price": ("unitprice", "price", "price_each", "item_price"),
        "refunded": ("amount_refunded", "refund", "refund_amount", "refunded_amount",
                     "credits_issued"),
        "currency": ("currency_code", "currency_iso_code"),
        "status": ("payment_status", "charge_status", "invoice_status"),
        "attempted_at": ("date", "created", "created_at", "created_utc", "created_date",
                         "payment_date", "transaction_date", "order_date", "invoice_date",
                         "invoicedate", "timestamp", "time", "charged_at", "attempted_on",
                         "date_utc", "day", "purchase_date"),
        "paid_at": ("paid_on", "paid_date", "date_paid", "paid_at_utc"),
        "invoice_id": ("invoice", "invoice_number", "invoice_no", "invoiceno", "order_id",
                       "order", "order_number", "order_no"),
        "quantity": ("qty", "units", "quantity_ordered"),
        "description": ("product", "item", "memo", "product_name", "item_name", "details"),
        "kind": ("payment_kind", "payment_type", "billing_type", "charge_type"),
    },
}
"""Per kind, normalised header names that mean a field (beside the field's own name)."""

_VIRTUAL: dict[str, Callable[[Any], Any]] = {
    "mrr": v.cents, "arr": v.cents, "amount": v.cents, "spend": v.cents, "quantity": v.integer,
    "churned": v.boolean, "is_trial": v.boolean, "account_name": v.text,
    "subscription_id": v.text, "current_period_end": v.day, "cancel_at_period_end": v.boolean,
    "is_won": v.boolean, "is_closed": v.boolean, "won_on": v.day, "lost_on": v.day,
    "unit_price": v.cents, "refunded": v.cents,
}
_STATUS = {"trialing": "trial", "in_trial": "trial", "future": "trial", "canceled": "cancelled",
           "non_renewing": "active", "unpaid": "past_due", "paused": "cancelled",
           "incomplete": "past_due", "incomplete_expired": "cancelled", "ended": "cancelled"}
_INTERVAL = {"monthly": "month", "annual": "year", "yearly": "year", "annually": "year",
             "quarterly": "quarter", "months": "month", "years": "year"}
_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_INTERACTION = {"phone": "call", "phone_call": "call", "e_mail": "email", "mail": "email",
                "conversation": "chat", "support_ticket": "ticket", "visit": "meeting"}


@dataclass
class Kind:
    """An importable kind: model, table, field converters and the fields a file may name."""

    name: str
    model: type[Record]
    owned: bool
    key_parts: tuple[str, ...] = ()
    """Fields hashed into the id when a file has none (empty: the file must give ids)."""
    converters: dict[str, Callable[[Any], Any]] = field(default_factory=dict)

    @property
    def table(self) -> str:
        """The table rows of this kind go to."""
        return TABLES[self.model]

    @property
    def columns(self) -> list[str]:
        """The table's columns, in the model's field order."""
        return list(self.model.model_fields)

    def known(self) -> dict[str, tuple[str, ...]]:
        """Every field a file may map (columns and virtual fields) with their synonyms."""
        synonyms = SYNONYMS.get(self.name, {})
        names = dict.fromkeys([*self.columns, *synonyms])
        return {name: synonyms.get(name, ()) for name in names if name in self.converters}

    def finish(self, row: dict[str, Any], ctx: Any) -> None:
        """Derive ids, defaults and virtual fields; check what the model cannot (accounts)."""
        finish = getattr(self, f"_finish_{self.name}", None)
        if finish is not None:
            finish(row, ctx)
        if self.owned:
            ctx.resolve_account(row)
        if "contact_id" in self.converters:
            ctx.check_reference(row, "contact_id", "contacts")
        if "interaction_id" in self.converters:
            ctx.check_reference(row, "interaction_id", "interactions")
        if row.get("id") is None and self.key_parts:
            row["id"] = stable_key(*(row.get(part) for part in self.key_parts))

    # -- per kind ---------------------------------------------------------------------------

    def _finish_accounts(self, row: dict[str, Any], ctx: Any) -> None:
        if row.get("mrr") is not None and row.get("mrr_cents") is None:
            row["mrr_cents"] = row["mrr"]
        if row.get("stage") is None and row.get("churned"):
            row["stage"] = "churned"
        if row.get("stage") is not None:
            row["stage"] = ctx.check_stage("stage", row["stage"])

    def _finish_subscriptions(self, row: dict[str, Any], ctx: Any) -> None:
        if isinstance(row.get("currency"), str):
            row["currency"] = row["currency"].upper()  # Stripe writes `usd`
        status = row.get("status")
        if status is not None:
            row["status"] = _STATUS.get(status, status)
        interval = row.get("billing_interval")
        if interval is not None:
            row["billing_interval"] = _INTERVAL.get(interval, interval)
        if row.get("mrr_cents") is None:
            months = _MONTHS.get(row.get("billing_interval") or "month")
            if row.get("mrr") is not None:
                row["mrr_cents"] = row["mrr"]
            elif row.get("arr") is not None:
                row["mrr_cents"] = _divide(row["arr"], 12)
            elif row.get("amount") is not None and months:
                quantity = row.get("quantity")
                row["mrr_cents"] = _divide(row["amount"] * (1 if quantity is None else quantity),
                                           months)
        period_end = row.get("current_period_end")
        if row.get("ended_on") is None and row.get("cancel_at_period_end") \
                and isinstance(period_end, str):
            # Cancelled to end with the period it has paid for (Stripe): it ends then.
            row["ended_on"] = period_end
        if row.get("ended_on") is None and row.get("cancelled_on") is not None \
                and row.get("status") not in ("active", "past_due", "trial"):
            # A cancellation date and no end date, and not said to be running: the file knows
            # only when it was cancelled; it ends then.
            row["ended_on"] = row["cancelled_on"]
        if row.get("status") is None:
            ended = row.get("ended_on")
            if row.get("is_trial"):
                row["status"] = "trial"
            elif isinstance(ended, str) and ended <= ctx.today:
                row["status"] = "cancelled"
            else:
                row["status"] = "active"

    def _finish_interactions(self, row: dict[str, Any], ctx: Any) -> None:
        kind = row.get("kind")
        if kind is not None:
            row["kind"] = _INTERACTION.get(kind, kind)

    def _finish_acquisition(self, row: dict[str, Any], ctx: Any) -> None:
        if row.get("spend") is not None and row.get("spend_cents") is None:
            row["spend_cents"] = row["spend"]

    def _finish_stages(self, row: dict[str, Any], ctx: Any) -> None:
        for name in ("from_stage", "to_stage"):
            if row.get(name) is not None:
                row[name] = ctx.check_stage(name, row[name])

    def _finish_spend(self, row: dict[str, Any], ctx: Any) -> None:
        if row.get("amount") is not None and row.get("amount_cents") is None:
            row["amount_cents"] = row["amount"]

    def _finish_deals(self, row: dict[str, Any], ctx: Any) -> None:
        sales_rows.finish_deal(row, ctx.deal_stages())

    def _finish_payments(self, row: dict[str, Any], ctx: Any) -> None:
        sales_rows.finish_payment(row)


def _divide(cents: int, months: int) -> int:
    return int((Decimal(cents) / months).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _kind(name: str, model: type[Record], owned: bool, *key_parts: str) -> Kind:
    kind = Kind(name, model, owned, key_parts)
    for column, info in model.model_fields.items():
        kind.converters[column] = _converter(info.annotation)
    for virtual in SYNONYMS.get(name, {}):
        if virtual not in kind.converters:
            kind.converters[virtual] = _VIRTUAL[virtual]
    return kind


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        _kind("accounts", Account, False),
        _kind("contacts", Contact, True, "account_id", "email", "name"),
        _kind("subscriptions", Subscription, True),
        _kind("interactions", Interaction, True, "account_id", "occurred_at", "kind", "summary"),
        _kind("surveys", SurveyAnswer, True, "account_id", "answered_at", "kind", "question",
              "score", "comment"),
        _kind("usage", UsageRecord, True, "account_id", "used_on", "feature"),
        _kind("acquisition", Acquisition, True, "account_id"),
        _kind("stages", StageMove, True, "account_id", "moved_at", "from_stage", "to_stage"),
        _kind("tasks", Task, True, "account_id", "title", "due_on", "created_at"),
        _kind("spend", AcquisitionSpend, False, "channel", "spent_on"),
        _kind("deals", Deal, True),
        _kind("payments", Payment, True, "account_id", "attempted_at", "amount_cents",
              "invoice_id", "description", "quantity"),
    )
}
"""Every kind `retain import` takes, by the name `retain export` uses."""
