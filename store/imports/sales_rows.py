"""Finishing imported deals and payments: status from a CRM stage or flags, refunds, amounts."""

from __future__ import annotations

import json
from typing import Any

from store.imports.mapping import normalise
from store.imports.values import FieldError

DEAL_STAGES_SETTING = "deals.stage_status"
"""The setting (store.settings.DealSettings) mapping a CRM's own stage names to a status."""

_WON = frozenset({"won", "closed_won", "closedwon", "deal_won", "closed_and_won", "win",
                  "signed", "closed_signed", "booked"})
_LOST = frozenset({"lost", "closed_lost", "closedlost", "deal_lost", "closed_and_lost",
                   "loss", "closed_no_decision", "disqualified", "closed_disqualified"})
_DEAL_STATUS = {"closed_won": "won", "closedwon": "won", "closed_lost": "lost",
                "closedlost": "lost", "in_progress": "open", "active": "open", "pending": "open"}
_PAYMENT_STATUS = {
    "succeeded": "paid", "success": "paid", "successful": "paid", "captured": "paid",
    "complete": "paid", "completed": "paid", "settled": "paid", "collected": "paid",
    "partially_refunded": "refunded", "refund": "refunded", "chargeback": "refunded",
    "declined": "failed", "payment_failed": "failed", "not_paid": "failed",
    "payment_due": "failed", "uncollectible": "failed", "past_due": "failed",
    "error": "failed", "blocked": "failed", "disputed": "refunded", "lost_dispute": "refunded",
    "processing": "pending", "open": "pending", "posted": "pending", "incomplete": "pending",
    "requires_payment_method": "pending", "requires_action": "pending", "scheduled": "pending",
    "unpaid": "pending", "uncaptured": "pending", "requires_capture": "pending",
}
NEVER_CHARGED = frozenset({"void", "voided", "draft", "canceled", "cancelled", "deleted"})
"""Statuses of an invoice or payment that never charged anyone: no payment at all."""
_KIND = {"subscription": "recurring", "renewal": "recurring", "recurring_charge": "recurring",
         "one_time": "one_off", "onetime": "one_off", "one_off_purchase": "one_off",
         "order": "one_off", "purchase": "one_off"}


def stage_status(stage: str, custom: dict[str, str]) -> str:
    """open, won or lost for a CRM stage name: the book's own map first, then common names."""
    key = normalise(stage)
    if key in custom:
        return custom[key]
    if key in _WON or key.startswith("closed_won"):
        return "won"
    if key in _LOST or key.startswith("closed_lost"):
        return "lost"
    return "open"


def custom_stages(conn: Any) -> dict[str, str]:
    """The book's `deals.stage_status` setting, keys normalised as headers are."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?",
                       (DEAL_STAGES_SETTING,)).fetchone()
    mapping = json.loads(row[0]) if row else {}
    return {normalise(str(name)): str(status) for name, status in mapping.items()}


def finish_deal(row: dict[str, Any], custom: dict[str, str]) -> None:
    """Fill status from the flags or the stage, amount in cents, currency in capitals."""
    if isinstance(row.get("currency"), str):
        row["currency"] = row["currency"].upper()
    if row.get("amount") is not None and row.get("amount_cents") is None:
        row["amount_cents"] = row["amount"]
    is_won, is_closed = row.pop("is_won", None), row.pop("is_closed", None)
    status = row.get("status")
    if status is not None:
        row["status"] = _DEAL_STATUS.get(status, status)
    elif is_won:
        row["status"] = "won"
    elif is_closed:
        row["status"] = "lost"
    elif row.get("stage") is not None:
        by_stage = stage_status(row["stage"], custom)
        # A file that says the deal is not closed keeps it open whatever its stage is called.
        row["status"] = "open" if is_closed is False else by_stage
    if row.get("close_on") is None:
        row["close_on"] = row.pop("won_on", None) or row.pop("lost_on", None)
    row.pop("won_on", None)
    row.pop("lost_on", None)


def finish_payment(row: dict[str, Any]) -> None:
    """Amount from a line total or unit price × quantity; refunds, status and kind words."""
    if isinstance(row.get("currency"), str):
        row["currency"] = row["currency"].upper()
    quantity = row.get("quantity")
    amount = row.get("amount")
    unit_price = row.pop("unit_price", None)
    if amount is None and unit_price is not None:
        amount = unit_price * (1 if quantity is None else quantity)
    if amount is not None and quantity is not None and quantity < 0 < amount:
        amount = -amount  # a returned or cancelled line: its quantity says so
    if row.get("amount_cents") is None:
        row["amount_cents"] = amount
    refunded = row.pop("refunded", None)
    if row.get("refunded_cents") is None and refunded:
        row["refunded_cents"] = refunded
    status = row.get("status")
    if status in NEVER_CHARGED:

        raise FieldError("status", f"{status!r} never charged anyone, so it is no payment; "
                                   "remove such rows, or use a preset that skips them "
                                   "(stripe-payments, stripe-invoices, chargebee-invoices)")
    if status is not None:
        row["status"] = _PAYMENT_STATUS.get(status, status)
    elif isinstance(row["amount_cents"], int) and row["amount_cents"] < 0:
        row["status"] = "refunded"
    if row.get("status") == "refunded" and not row.get("refunded_cents") \
            and isinstance(row["amount_cents"], int) and row["amount_cents"] > 0:
        row["refunded_cents"] = row["amount_cents"]  # refunded, no amount given: all of it
    if row.get("paid_at") is None and row.get("attempted_at") is None:
        return
    if row.get("attempted_at") is None:
        row["attempted_at"] = row["paid_at"]
    kind = row.get("kind")
    if kind is not None:
        row["kind"] = _KIND.get(kind, kind)
