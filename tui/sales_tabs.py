"""What the account pane's Deals and Payments tabs say: a note, and the rows of their tables."""

from __future__ import annotations

from store.models import Deal, Payment
from store.money import format_money


def money(cents: int | None) -> str:
    """An amount, or a dash when the source had none."""
    return "—" if cents is None else format_money(cents)


def deals_note(deals: list[Deal]) -> str:
    """`3 deals · 1 open worth $4,000 · 2 won $30,000 · 1 lost`."""
    if not deals:
        return ""
    parts = [f"{len(deals):,} deal{'s' if len(deals) != 1 else ''}"]
    for status in ("open", "won", "lost"):
        chosen = [deal for deal in deals if deal.status.value == status]
        if chosen:
            total = sum(deal.amount_cents or 0 for deal in chosen)
            worth = f" worth {format_money(total)}" if status == "open" else \
                f" {format_money(total)}" if status == "won" else ""
            parts.append(f"{len(chosen):,} {status}{worth}")
    return " · ".join(parts) + ", open first"


def deal_rows(deals: list[Deal]) -> list[list[str]]:
    """Name, stage, status, amount, created, close."""
    return [[deal.name or deal.id, deal.stage or "", deal.status.value, money(deal.amount_cents),
             deal.created_on.isoformat() if deal.created_on else "—",
             deal.close_on.isoformat() if deal.close_on else "—"] for deal in deals]


def payments_note(payments: list[Payment], unrecovered: Payment | None) -> str:
    """`24 payments · 2 failed · 1 refunded · last failed payment not recovered (2026-11-02)`."""
    if not payments:
        return ""
    failed = sum(1 for payment in payments if payment.status.value == "failed")
    refunded = sum(1 for payment in payments
                   if payment.amount_cents < 0 or payment.refunded_cents)
    parts = [f"{len(payments):,} payment{'s' if len(payments) != 1 else ''}"]
    if failed:
        parts.append(f"{failed:,} failed")
    if refunded:
        parts.append(f"{refunded:,} refunded")
    if unrecovered is not None:
        parts.append(f"not recovered: the failed payment of {unrecovered.attempted_at:%Y-%m-%d}")
    return " · ".join(parts) + ", newest first"


def payment_rows(payments: list[Payment]) -> list[list[str]]:
    """When, status, amount, refunded, invoice, what."""
    return [[f"{payment.attempted_at:%Y-%m-%d}", payment.status.value,
             format_money(payment.amount_cents),
             format_money(payment.refunded_cents) if payment.refunded_cents else "",
             payment.invoice_id or "", payment.description or ""] for payment in payments]
