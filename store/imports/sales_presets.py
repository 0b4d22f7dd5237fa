"""Presets for deal and payment exports: Salesforce, HubSpot, Pipedrive, Stripe, Chargebee, order logs."""

from __future__ import annotations

from typing import Any

from store.imports import values as v
from store.imports.preset import Preset
from store.imports.sales_rows import NEVER_CHARGED

SALESFORCE_OPPORTUNITY = (
    "ID", "ISDELETED", "ACCOUNTID", "NAME", "DESCRIPTION", "STAGENAME", "AMOUNT", "PROBABILITY",
    "EXPECTEDREVENUE", "TOTALOPPORTUNITYQUANTITY", "CLOSEDATE", "TYPE", "NEXTSTEP", "LEADSOURCE",
    "ISCLOSED", "ISWON", "FORECASTCATEGORY", "FORECASTCATEGORYNAME", "CAMPAIGNID",
    "HASOPPORTUNITYLINEITEM", "PRICEBOOK2ID", "OWNERID", "CREATEDDATE", "CREATEDBYID",
    "LASTMODIFIEDDATE", "LASTMODIFIEDBYID", "SYSTEMMODSTAMP", "LASTACTIVITYDATE",
    "FISCALQUARTER", "FISCALYEAR", "FISCAL")
HUBSPOT_DEALS = (
    "Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date", "Create Date",
    "Deal owner", "Deal Type", "Deal Description", "Last Activity Date",
    "Associated Company IDs", "Associated Company")
PIPEDRIVE_DEALS = (
    "Deal - ID", "Deal - Title", "Deal - Creator", "Deal - Owner", "Deal - Value",
    "Deal - Currency", "Deal - Organization", "Deal - Contact person", "Deal - Pipeline",
    "Deal - Stage", "Deal - Status", "Deal - Deal created", "Deal - Update time",
    "Deal - Expected close date", "Deal - Won time", "Deal - Lost time",
    "Deal - Deal closed on", "Deal - Lost reason", "Deal - Source channel")
STRIPE_PAYMENTS = (
    "id", "Description", "Seller Message", "Created (UTC)", "Amount", "Amount Refunded",
    "Currency", "Converted Amount", "Converted Amount Refunded", "Fee", "Tax",
    "Converted Currency", "Mode", "Status", "Statement Descriptor", "Customer ID",
    "Customer Description", "Customer Email", "Captured", "Card ID", "Card Last4", "Card Brand",
    "Card Funding", "Card Exp Month", "Card Exp Year", "Card Name", "Card Issue Country",
    "Disputed Amount", "Dispute Status", "Invoice ID", "PaymentIntent ID")
STRIPE_INVOICES = (
    "id", "Number", "Customer", "Customer Name", "Customer Email", "Status", "Billing",
    "Currency", "Subtotal", "Tax", "Total", "Amount Due", "Amount Paid", "Amount Remaining",
    "Attempt Count", "Attempted", "Subscription", "Date (UTC)", "Due Date (UTC)",
    "Finalized At (UTC)", "Paid At (UTC)", "Period Start (UTC)", "Period End (UTC)")
CHARGEBEE_INVOICES = (
    "invoice.id", "invoice.customer_id", "invoice.subscription_id", "invoice.recurring",
    "invoice.status", "invoice.date", "invoice.due_date", "invoice.paid_at",
    "invoice.currency_code", "invoice.sub_total", "invoice.tax", "invoice.total",
    "invoice.amount_paid", "invoice.amount_adjusted", "invoice.write_off_amount",
    "invoice.credits_applied", "invoice.amount_due", "customer.company")
TRANSACTIONS = ("CustomerID", "Date", "Quantity", "Amount")
AWS_SAAS_SALES = (
    "Row ID", "Order ID", "Order Date", "Date Key", "Contact Name", "Country", "City", "Region",
    "Subregion", "Customer", "Customer ID", "Industry", "Segment", "Product", "License", "Sales",
    "Quantity", "Discount", "Profit")

_SKIPPED_INVOICES = NEVER_CHARGED


def _first_company(row: dict[str, Any]) -> None:
    # HubSpot lists every associated company, `;`-separated: the first is the deal's account.
    key = row.get("account_id")
    if isinstance(key, str) and ";" in key:
        row["account_id"] = key.split(";", 1)[0].strip() or None
    name = row.get("account_name")
    if isinstance(name, str) and ";" in name:
        row["account_name"] = name.split(";", 1)[0].strip() or None


def _pipedrive(row: dict[str, Any]) -> None:
    if row.get("status") == "deleted":
        row["status"] = None  # a deleted deal: skipped, and counted as skipped


def _never_charged(row: dict[str, Any]) -> None:
    if row.get("status") in NEVER_CHARGED:
        row["status"] = None  # canceled before any charge: skipped, and counted as skipped


def _stripe_invoice(row: dict[str, Any]) -> None:
    attempted = row.pop("attempted", None)
    subscription = row.pop("subscription", None)
    status = row.get("status")
    if status in _SKIPPED_INVOICES:
        row["status"] = None  # never billed: skipped, and counted as skipped
    elif status == "open":
        row["status"] = "failed" if attempted else "pending"
    if row.get("kind") is None:
        row["kind"] = "recurring" if subscription else "one_off"


def _chargebee_invoice(row: dict[str, Any]) -> None:
    recurring = row.pop("recurring", None)
    if row.get("status") in _SKIPPED_INVOICES:
        row["status"] = None
    if row.get("kind") is None and recurring is not None:
        row["kind"] = "recurring" if recurring else "one_off"


SALES_PRESETS: tuple[Preset, ...] = (
    Preset("salesforce-opportunities", "deals",
           "Salesforce Data Loader export of Opportunity (upper-case or camel-case API names)",
           {"ID": "id", "ACCOUNTID": "account_id", "NAME": "name", "STAGENAME": "stage",
            "AMOUNT": "amount", "CLOSEDATE": "close_on", "CREATEDDATE": "created_on",
            "OWNERID": "owner", "TYPE": "type", "LEADSOURCE": "source", "ISWON": "is_won",
            "ISCLOSED": "is_closed", "CURRENCYISOCODE": "currency", "EXPECTEDREVENUE": "-",
            "PROBABILITY": "-", "LASTMODIFIEDDATE": "-", "LASTACTIVITYDATE": "-"},
           SALESFORCE_OPPORTUNITY, constants={}),
    Preset("hubspot-deals", "deals", "HubSpot CRM > Deals > Export (with associated companies)",
           {"Record ID": "id", "Deal Name": "name", "Deal Stage": "stage", "Amount": "amount",
            "Close Date": "close_on", "Create Date": "created_on", "Deal owner": "owner",
            "Deal Type": "type", "Associated Company IDs": "account_id",
            "Associated Company": "account_name", "Pipeline": "-",
            "Last Activity Date": "-", "Deal Description": "-"},
           HUBSPOT_DEALS, derive=_first_company),
    Preset("pipedrive-deals", "deals", "Pipedrive > Deals > Export (deleted deals are skipped)",
           {"Deal - ID": "id", "Deal - Title": "name", "Deal - Owner": "owner",
            "Deal - Value": "amount", "Deal - Currency": "currency",
            "Deal - Organization": "account_name", "Deal - Stage": "stage",
            "Deal - Status": "status", "Deal - Deal created": "created_on",
            "Deal - Deal closed on": "close_on", "Deal - Expected close date": "-",
            "Deal - Won time": "won_on", "Deal - Lost time": "lost_on",
            "Deal - Source channel": "source", "Deal - Update time": "-",
            "Deal - Creator": "-", "Deal - Contact person": "-"},
           PIPEDRIVE_DEALS, derive=_pipedrive, skip_blank="status",
           skip_reason="deleted deals (or no status)"),
    Preset("stripe-payments", "payments", "Stripe Dashboard > Payments > Export",
           {"id": "id", "Description": "description", "Created (UTC)": "attempted_at",
            "Amount": "amount", "Amount Refunded": "refunded", "Currency": "currency",
            "Status": "status", "Customer ID": "account_id",
            "Customer Description": "account_name", "Invoice ID": "invoice_id",
            "Converted Amount": "-", "Converted Amount Refunded": "-", "Fee": "-", "Tax": "-",
            "Customer Email": "-", "Disputed Amount": "-"},
           STRIPE_PAYMENTS, derive=_never_charged, skip_blank="status",
           skip_reason="canceled payments (never charged)"),
    Preset("stripe-invoices", "payments", "Stripe Dashboard > Invoices > Export "
           "(void and draft invoices are skipped; open invoices already attempted are failed)",
           {"id": "id", "Number": "invoice_id", "Customer": "account_id",
            "Customer Name": "account_name", "Status": "status", "Currency": "currency",
            "Total": "amount", "Date (UTC)": "attempted_at", "Paid At (UTC)": "paid_at",
            "Attempted": "attempted", "Subscription": "subscription", "Subtotal": "-",
            "Amount Due": "-", "Amount Paid": "-", "Amount Remaining": "-", "Tax": "-",
            "Customer Email": "-", "Due Date (UTC)": "-", "Finalized At (UTC)": "-"},
           STRIPE_INVOICES, extra={"attempted": v.boolean, "subscription": v.text},
           derive=_stripe_invoice, skip_blank="status",
           skip_reason="void or draft invoices (never billed)"),
    Preset("chargebee-invoices", "payments", "Chargebee > Invoices > Export "
           "(voided invoices are skipped; payment_due and not_paid are failed)",
           {"invoice.id": "id", "invoice.customer_id": "account_id",
            "customer.company": "account_name", "invoice.status": "status",
            "invoice.date": "attempted_at", "invoice.paid_at": "paid_at",
            "invoice.currency_code": "currency", "invoice.total": "amount",
            "invoice.recurring": "recurring", "invoice.subscription_id": "-",
            "invoice.sub_total": "-", "invoice.amount_paid": "-", "invoice.amount_due": "-",
            "invoice.due_date": "-"},
           CHARGEBEE_INVOICES, extra={"recurring": v.boolean}, derive=_chargebee_invoice,
           skip_blank="status", skip_reason="voided invoices (never billed)"),
    Preset("transactions", "payments",
           "A transaction or order log: customer id, date, quantity, amount (or unit price); "
           "CSV or space-aligned text; dates ISO, YYYYMMDD or M/D/YYYY; a negative quantity "
           "or amount is a refund or cancellation",
           {r"re:^(customer|client|buyer|member|cust)[ _.-]*(id|no|number|key|code)?$":
                "account_id",
            r"re:^(date|order[ _]?date|transaction[ _]?date|txn[ _]?date|invoice[ _]?date|"
            r"purchase[ _]?date)$": "attempted_at",
            r"re:^(qty|quantity)$": "quantity",
            r"re:^(amount|total|sales|value|line[ _]?total)$": "amount"},
           TRANSACTIONS, constants={"kind": "one_off"}),
    Preset("aws-saas-sales", "payments",
           "AWS SaaS Sales sample (one row per order line; the lines of an order are one "
           "purchase)",
           {"Row ID": "id", "Order ID": "invoice_id", "Order Date": "attempted_at",
            "Customer ID": "account_id", "Customer": "account_name", "Product": "description",
            "Sales": "amount", "Quantity": "quantity", "Date Key": "-", "Contact Name": "-",
            "Discount": "-", "Profit": "-", "License": "-"},
           AWS_SAAS_SALES, constants={"kind": "one_off", "status": "paid"}),
)
"""The deal and payment presets, registered beside the others in `presets.PRESETS`."""
