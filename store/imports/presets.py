"""Named column mappings for the exports of common tools, and for the real files in shared/data."""

from __future__ import annotations

from typing import Any

from store.errors import InvalidInput
from store.imports import values as v
from store.imports.preset import Preset
from store.imports.sales_presets import SALES_PRESETS


def _name_from_id(row: dict[str, Any]) -> None:
    if row.get("name") is None:
        row["name"] = row.get("id")


def _usage_key(row: dict[str, Any]) -> None:
    # RavenStack repeats 21 usage_ids across subscriptions; the pair is unique.
    if row.get("id") is not None and row.get("subscription_id") is not None:
        row["id"] = f"{row['id']}:{row['subscription_id']}"


def _ticket_summary(row: dict[str, Any]) -> None:
    priority = row.pop("priority", None)
    row["summary"] = f"{priority} priority support ticket" if priority else "support ticket"


def _ticket_csat(row: dict[str, Any]) -> None:
    if row.get("id") is not None:
        row["id"] = f"{row['id']}:csat"


def _churn_event(row: dict[str, Any]) -> None:
    reactivation = row.pop("reactivation", None)
    feedback = row.pop("feedback", None)
    if reactivation:
        row["from_stage"], row["to_stage"] = "churned", "retention"
    else:
        row["to_stage"] = "churned"
    reason = row.get("reason")
    if feedback:
        row["reason"] = f"{reason}: {feedback}" if reason else feedback


_STRIPE = ("id", "Customer ID", "Customer Description", "Customer Email", "Plan", "Product",
           "Quantity", "Currency", "Interval", "Amount", "Status", "Created (UTC)",
           "Start (UTC)", "Current Period Start (UTC)", "Current Period End (UTC)",
           "Trial Start (UTC)", "Trial End (UTC)", "Application Fee Percent", "Coupon",
           "Tax Percent", "Canceled At (UTC)", "Ended At (UTC)", "Cancel At Period End")
_CHARGEBEE = ("subscription.id", "subscription.customer_id", "customer.company",
              "subscription.plan_id", "subscription.plan_quantity",
              "subscription.plan_unit_price", "subscription.currency_code",
              "subscription.billing_period_unit", "subscription.status",
              "subscription.started_at", "subscription.cancelled_at", "subscription.mrr")
_HUBSPOT = ("Record ID", "Company name", "Company owner", "Create Date", "Phone Number",
            "Last Activity Date", "City", "Country/Region", "Industry", "Company Domain Name",
            "Lifecycle Stage", "Number of Employees", "Annual Revenue")
_SALESFORCE = ("ID", "ISDELETED", "MASTERRECORDID", "NAME", "TYPE", "PARENTID",
               "BILLINGSTREET", "BILLINGCITY", "BILLINGSTATE", "BILLINGPOSTALCODE",
               "BILLINGCOUNTRY", "SHIPPINGSTREET", "SHIPPINGCITY", "SHIPPINGSTATE",
               "SHIPPINGPOSTALCODE", "SHIPPINGCOUNTRY", "PHONE", "FAX", "ACCOUNTNUMBER",
               "WEBSITE", "SIC", "INDUSTRY", "ANNUALREVENUE", "NUMBEROFEMPLOYEES", "OWNERSHIP",
               "TICKERSYMBOL", "DESCRIPTION", "RATING", "SITE", "OWNERID", "CREATEDDATE",
               "CREATEDBYID", "LASTMODIFIEDDATE", "LASTMODIFIEDBYID", "SYSTEMMODSTAMP",
               "LASTACTIVITYDATE", "ORACLE_ID__C", "SESSION_ID__C")
_ZENDESK = ("Id", "Requester", "Requester id", "Organization", "Subject", "Group", "Assignee",
            "Status", "Priority", "Ticket type", "Via", "Created at", "Updated at",
            "Solved at", "Satisfaction Score", "Tags")
_INTERCOM = ("Conversation ID", "Conversation URL", "Started at", "Company ID", "Company name",
             "User name", "User email", "Assignee", "Conversation title", "State",
             "Conversation rating", "Tags")
_DELIGHTED = ("Response ID", "Created", "Updated", "Score", "Comment", "Person ID", "Name",
              "Email", "Company", "Tags")
_TYPEFORM = ("#", "How likely are you to recommend us to a friend or colleague?",
             "What is the main reason for your score?", "company", "Start Date (UTC)",
             "Submit Date (UTC)", "Network ID")
_TELCO = ("customerID", "gender", "SeniorCitizen", "Partner", "Dependents", "tenure",
          "PhoneService", "MultipleLines", "InternetService", "OnlineSecurity", "OnlineBackup",
          "DeviceProtection", "TechSupport", "StreamingTV", "StreamingMovies", "Contract",
          "PaperlessBilling", "PaymentMethod", "MonthlyCharges", "TotalCharges", "Churn")

_ALL = (
    Preset("stripe-subscriptions", "subscriptions", "Stripe Dashboard > Subscriptions > Export",
           {"id": "id", "Customer ID": "account_id", "Plan": "plan", "Quantity": "quantity",
            "Currency": "currency", "Interval": "billing_interval", "Amount": "amount",
            "Status": "status", "Start (UTC)": "started_on", "Ended At (UTC)": "ended_on",
            "Created (UTC)": "-", "Canceled At (UTC)": "cancelled_on",
            "Current Period End (UTC)": "current_period_end",
            "Cancel At Period End": "cancel_at_period_end"}, _STRIPE),
    Preset("chargebee-subscriptions", "subscriptions", "Chargebee Subscriptions export",
           {"subscription.id": "id", "subscription.customer_id": "account_id",
            "subscription.plan_id": "plan", "subscription.plan_quantity": "quantity",
            "subscription.plan_unit_price": "amount", "subscription.mrr": "mrr",
            "subscription.currency_code": "currency",
            "subscription.billing_period_unit": "billing_interval",
            "subscription.status": "status", "subscription.started_at": "started_on",
            "subscription.cancelled_at": "ended_on", "customer.company": "-"}, _CHARGEBEE),
    Preset("hubspot-companies", "accounts", "HubSpot CRM > Companies > Export",
           {"Record ID": "id", "Company name": "name", "Company Domain Name": "domain",
            "Company owner": "owner", "Industry": "segment", "Create Date": "created_at",
            "Lifecycle Stage": "-"}, _HUBSPOT),
    Preset("salesforce-accounts", "accounts", "Salesforce Data Loader export of Account",
           {"ID": "id", "NAME": "name", "WEBSITE": "domain", "INDUSTRY": "segment",
            "TYPE": "plan", "OWNERID": "owner", "CREATEDDATE": "created_at",
            "ACCOUNTNUMBER": "-"}, _SALESFORCE),
    Preset("zendesk-tickets", "interactions", "Zendesk Support > Views > Export as CSV",
           {"Id": "id", "Organization": "account_name", "Subject": "summary",
            "Created at": "occurred_at", "Assignee": "author", "Requester id": "-"}, _ZENDESK,
           constants={"kind": "ticket", "source": "zendesk"}),
    Preset("intercom-conversations", "interactions", "Intercom > Reports > Export conversations",
           {"Conversation ID": "id", "Company ID": "account_id", "Company name": "account_name",
            "Started at": "occurred_at", "Assignee": "author", "Conversation title": "summary"},
           _INTERCOM, constants={"kind": "chat", "source": "intercom"}),
    Preset("delighted-nps", "surveys", "Delighted > Responses > Download CSV",
           {"Response ID": "id", "Score": "score", "Comment": "comment", "Created": "answered_at",
            "Company": "account_name", "Person ID": "-", "Name": "-"}, _DELIGHTED,
           constants={"kind": "nps", "source": "delighted"}),
    Preset("typeform-nps", "surveys", "Typeform > Results > Download CSV (NPS question)",
           {"#": "id", "re:how likely.*recommend": "score", "re:reason|why": "comment",
            "Submit Date (UTC)": "answered_at", "company": "account_name",
            "Start Date (UTC)": "-", "Network ID": "-"}, _TYPEFORM,
           constants={"kind": "nps", "source": "typeform"}),
    Preset("question-nps", "surveys",
           "Google-Forms-style export: question texts as headers, M/D/YYYY timestamps "
           "(the first 0-10 question is the NPS score; needs --account)",
           {"re:^timestamp$": "answered_at", r"re:0\s*-\s*10|how likely": "score",
            "re:why": "comment"}, ("Timestamp", "On a scale of 0-10, how would you rate ...?",
                                   "...why?"),
           constants={"kind": "nps", "source": "survey"}, needs_account=True),
    Preset("telco-customers", "accounts", "IBM Telco customer churn sample",
           {"customerID": "id", "Contract": "segment", "InternetService": "plan",
            "MonthlyCharges": "mrr", "Churn": "churned", "TotalCharges": "-"}, _TELCO,
           derive=_name_from_id, derives=("name",)),
    Preset("ravenstack-accounts", "accounts", "RavenStack ravenstack_accounts.csv",
           {"account_id": "id", "account_name": "name", "industry": "segment",
            "plan_tier": "plan", "signup_date": "created_at", "churn_flag": "churned",
            "seats": "-", "is_trial": "-"},
           ("account_id", "account_name", "industry", "country", "signup_date",
            "referral_source", "plan_tier", "seats", "is_trial", "churn_flag")),
    Preset("ravenstack-subscriptions", "subscriptions", "RavenStack ravenstack_subscriptions.csv",
           {"subscription_id": "id", "account_id": "account_id", "start_date": "started_on",
            "end_date": "ended_on", "plan_tier": "plan", "mrr_amount": "mrr",
            "billing_frequency": "billing_interval", "is_trial": "is_trial",
            "arr_amount": "-", "seats": "-", "churn_flag": "-"},
           ("subscription_id", "account_id", "start_date", "end_date", "plan_tier", "seats",
            "mrr_amount", "arr_amount", "is_trial", "upgrade_flag", "downgrade_flag",
            "churn_flag", "billing_frequency", "auto_renew_flag")),
    Preset("ravenstack-usage", "usage", "RavenStack ravenstack_feature_usage.csv "
           "(account found through the subscription)",
           {"usage_id": "id", "subscription_id": "subscription_id", "usage_date": "used_on",
            "feature_name": "feature", "usage_count": "events",
            "usage_duration_secs": "duration_secs", "error_count": "-"},
           ("usage_id", "subscription_id", "usage_date", "feature_name", "usage_count",
            "usage_duration_secs", "error_count", "is_beta_feature"), derive=_usage_key),
    Preset("ravenstack-tickets", "interactions", "RavenStack support tickets as interactions",
           {"ticket_id": "id", "account_id": "account_id", "submitted_at": "occurred_at",
            "priority": "priority", "closed_at": "-", "satisfaction_score": "-"},
           ("ticket_id", "account_id", "submitted_at", "closed_at", "resolution_time_hours",
            "priority", "first_response_time_minutes", "satisfaction_score",
            "escalation_flag"),
           constants={"kind": "ticket", "source": "ravenstack"},
           extra={"priority": v.text}, derive=_ticket_summary, derives=("summary",)),
    Preset("ravenstack-ticket-csat", "surveys",
           "RavenStack support tickets' satisfaction scores as CSAT answers",
           {"ticket_id": "id", "account_id": "account_id", "satisfaction_score": "score",
            "closed_at": "answered_at", "submitted_at": "-"},
           ("ticket_id", "account_id", "submitted_at", "closed_at", "resolution_time_hours",
            "priority", "first_response_time_minutes", "satisfaction_score",
            "escalation_flag"),
           constants={"kind": "csat", "source": "ravenstack"}, derive=_ticket_csat,
           skip_blank="score"),
    Preset("ravenstack-churn", "stages", "RavenStack churn events as moves to churned "
           "(and back to retention for reactivations)",
           {"churn_event_id": "id", "account_id": "account_id", "churn_date": "moved_at",
            "reason_code": "reason", "is_reactivation": "reactivation",
            "feedback_text": "feedback"},
           ("churn_event_id", "account_id", "churn_date", "reason_code", "refund_amount_usd",
            "preceding_upgrade_flag", "preceding_downgrade_flag", "is_reactivation",
            "feedback_text"),
           constants={"source": "ravenstack"},
           extra={"reactivation": v.boolean, "feedback": v.text}, derive=_churn_event,
           derives=("to_stage", "from_stage")),
)

PRESETS: dict[str, Preset] = {preset.name: preset for preset in _ALL}
PRESETS["sudzilla-nps"] = PRESETS["question-nps"]
PRESETS.update({preset.name: preset for preset in SALES_PRESETS})


def get_preset(name: str, kind: str) -> Preset:
    """The preset called `name`, checked to be for `kind`."""
    preset = PRESETS.get(name)
    if preset is None:
        raise InvalidInput(f"unknown preset {name!r}; presets: {', '.join(sorted(PRESETS))}")
    if preset.kind != kind:
        raise InvalidInput(f"preset {name!r} is for `retain import {preset.kind}`, not {kind}")
    return preset
