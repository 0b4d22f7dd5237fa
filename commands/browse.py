"""Read commands: `accounts` (filtered lists) and `show` (one account's facts and story)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import typer

from commands.activity import AccountArg
from commands.completion import complete_stage
from commands.context import DbOption, open_store
from commands.errors import EXIT_NOT_FOUND
from commands.output import Column, CsvOption, JsonOption, console, emit, plain, print_json
from store.account_list import SORTS, AccountFilter
from store.clock import days_since, utc_now
from store.display import visible
from store.models.views import AccountRow, NpsGroup
from store.money import format_money

SortName = StrEnum("SortName", {name: name for name in SORTS})  # type: ignore[misc]


def _days_since(moment: datetime | None) -> str:
    return "never" if moment is None else f"{days_since(moment, utc_now().date())}d"


ACCOUNT_COLUMNS = [
    Column("key", "Key"),
    Column("name", "Name"),
    Column("stage", "Stage"),
    Column("owner", "Owner"),
    Column("segment", "Segment"),
    Column("plan", "Plan"),
    Column("mrr_cents", "MRR", format_money, "right"),
    Column("renewal_on", "Renewal"),
    Column("last_touch_at", "Last touch", _days_since, "right"),
    Column("latest_nps", "NPS", justify="right"),
    Column("health", "Health", lambda value: "—" if value is None else f"{value:.0f}", "right"),
]


def accounts(
    ctx: typer.Context,
    stage: Annotated[
        list[str] | None,
        typer.Option(help="Only these stages (repeatable).", autocompletion=complete_stage),
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's accounts.")] = None,
    segment: Annotated[str | None, typer.Option(help="Only this segment.")] = None,
    plan: Annotated[str | None, typer.Option(help="Only this plan.")] = None,
    nps: Annotated[
        NpsGroup | None, typer.Option(help="Only accounts whose latest NPS puts them here.")
    ] = None,
    renewal_within: Annotated[
        int | None,
        typer.Option(min=0, max=36_500, metavar="DAYS", help="Renewing within DAYS days."),
    ] = None,
    quiet_for: Annotated[
        int | None,
        typer.Option(min=1, max=36_500, metavar="DAYS",
                     help="No interaction (support tickets aside) for DAYS days."),
    ] = None,
    health_below: Annotated[
        float | None,
        typer.Option(min=0, max=100, metavar="SCORE", help="Health score below SCORE (0-100)."),
    ] = None,
    sort: Annotated[SortName, typer.Option(help="Sort order.")] = SortName("name"),  # type: ignore[valid-type]
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many rows.")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """List accounts, filtered and sorted.

    Exit code 1 when no account matches.
    """
    wanted = AccountFilter(
        stages=[s.strip().lower() for s in stage or []], owner=owner, segment=segment, plan=plan,
        nps_group=nps, renewal_within_days=renewal_within, quiet_for_days=quiet_for,
        sort=sort.value, limit=None if health_below is not None else limit,
    )
    with open_store(ctx, db) as store:
        rows = store.list_accounts(wanted)  # first: a refused filter changes nothing
        if store.catch_up_mrr():  # the day's subscription starts and ends, once a day
            rows = store.list_accounts(wanted)
        scores = store.health_scores([row.key for row in rows]) if rows else {}
    listed = [{**row_as_dict(row), "health": scores.get(row.key)} for row in rows]
    if health_below is not None:
        listed = [row for row in listed
                  if row["health"] is not None and row["health"] < health_below][:limit]
        rows = listed  # type: ignore[assignment]
    emit(listed, ACCOUNT_COLUMNS, as_json=as_json, as_csv=as_csv)
    if not rows:
        raise typer.Exit(EXIT_NOT_FOUND)


def row_as_dict(row: AccountRow) -> dict[str, Any]:
    """An AccountRow's fields by name, for output."""
    return {name: getattr(row, name) for name in row.__slots__}


TIMELINE_COLUMNS = [
    Column("when", "When"),
    Column("label", "What"),
    Column("title", "Entry"),
    Column("detail", "Detail"),
]

DEAL_COLUMNS = [
    Column("name", "Deal"),
    Column("stage", "Stage"),
    Column("status", "Status"),
    Column("amount_cents", "Amount", lambda cents: "—" if cents is None else format_money(cents),
           "right"),
    Column("created_on", "Created"),
    Column("close_on", "Close"),
]
PAYMENT_COLUMNS = [
    Column("attempted_at", "When", lambda value: f"{value:%Y-%m-%d}"),
    Column("status", "Status"),
    Column("amount_cents", "Amount", format_money, "right"),
    Column("refunded_cents", "Refunded", lambda cents: format_money(cents) if cents else "",
           "right"),
    Column("invoice_id", "Invoice"),
    Column("description", "For"),
]
SHOWN_PAYMENTS = 12
"""The newest payments `show` prints (`--json` carries up to 200)."""


def show(
    ctx: typer.Context,
    account: AccountArg,
    limit: Annotated[int | None, typer.Option(min=1, help="Newest N timeline entries.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show an account's facts and timeline.

    The timeline merges interactions, stage moves, survey answers and subscription changes,
    newest first.
    """
    with open_store(ctx, db) as store:
        account_id = store.find_account(account)
        store.catch_up_mrr()
        facts = store.get_account(account_id)
        timeline = store.timeline(account_id, limit)
        contacts = store.contacts(account_id)
        tasks = store.tasks(account_id)
        deals = store.deals(account_id)
        payments = store.payments(account_id)
    entries = [{name: getattr(e, name) for name in e.__slots__} for e in timeline]
    shown = [{**entry, "label": e.label,
              "when": f"{e.at:%Y-%m-%d}" if e.all_day else f"{e.at:%Y-%m-%d %H:%M}"}
             for entry, e in zip(entries, timeline, strict=True)]
    if as_json:
        document = {
            "account": {k: plain(v) for k, v in facts.model_dump().items()},
            "contacts": [{k: plain(v) for k, v in c.model_dump().items()} for c in contacts],
            "open_tasks": [{k: plain(v) for k, v in t.model_dump().items()} for t in tasks],
            "deals": [{k: plain(v) for k, v in d.model_dump().items()} for d in deals],
            "payments": [{k: plain(v) for k, v in p.model_dump().items()} for p in payments],
            "timeline": [{k: plain(v) for k, v in e.items()} for e in entries],
        }
        print_json(document)
        return
    out = console()
    days = days_since(facts.stage_entered_at, utc_now().date()) if facts.stage_entered_at else 0
    lines = [
        f"{visible(facts.name)}  ({facts.id})",
        f"stage {facts.stage} for {days}d · MRR {format_money(facts.mrr_cents)} · "
        f"renewal {facts.renewal_on or '—'}",
        f"owner {visible(facts.owner) or '—'} · segment {visible(facts.segment) or '—'} · "
        f"plan {visible(facts.plan) or '—'} · domain {visible(facts.domain) or '—'}",
    ]
    if facts.tags:
        lines.append("tags " + ", ".join(visible(tag) for tag in facts.tags))
    if contacts:
        lines.append("contacts " + "; ".join(
            visible(" ".join(p for p in (c.name, f"<{c.email}>" if c.email else None, c.role) if p))
            for c in contacts))
    for task in tasks:
        lines.append(f"open task {task.id[-8:]}: {visible(task.title)} (due {task.due_on or '—'})")
    for line in lines:
        out.print(line)
    if deals:
        emit([deal.model_dump() for deal in deals], DEAL_COLUMNS, title="Deals")
    if payments:
        recent = payments[:SHOWN_PAYMENTS]
        more = f" (newest {len(recent)} of {len(payments)}{'+' if len(payments) >= 200 else ''})" \
            if len(payments) > len(recent) else ""
        emit([payment.model_dump() for payment in recent], PAYMENT_COLUMNS,
             title=f"Payments{more}")
    emit(shown, TIMELINE_COLUMNS, title="Timeline")
