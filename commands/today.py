"""`retain today`: the ranked Today queue (my book by default), for a person or a morning cron."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from commands.context import DbOption, open_store
from commands.errors import fail
from commands.output import Column, CsvOption, JsonOption, emit
from store.money import format_money_short
from store.today import Scope, TodayQueue, TodayRow, my_scope
from store.user_config import me

COLUMNS = [
    Column("rank", "#", justify="right"),
    Column("score", "Score", lambda value: f"{value:.1f}", justify="right"),
    Column("account_id", "Account", in_table=False),
    Column("account_name", "Account"),
    Column("owner", "Owner"),
    Column("mrr_cents", "MRR", lambda value: format_money_short(value) if value else "–",
           justify="right"),
    Column("reasons", "Why (strongest first)"),
]


def scope_from(owner: str | None, everyone: bool) -> Scope:
    """`--owner NAME`, `--all`, else the user's own book (`me`), else the whole book."""
    if owner is not None and everyone:
        raise fail("choose one of --owner and --all")
    if everyone:
        return Scope()
    if owner is not None:
        if not owner.strip():
            raise fail("--owner: give a name")
        name = " ".join(owner.split())
        return Scope(name, mine=name.casefold() == (me() or "").casefold())
    return my_scope(me())


def heading(queue: TodayQueue, shown: int) -> str:
    """The line above the table: the day, the scope, how many, what was left out."""
    line = f"Today {queue.today.isoformat()} · {queue.scope.label} · {len(queue.rows):,} accounts"
    if shown < len(queue.rows):
        line += f", the first {shown:,} shown"
    if queue.snoozed:
        line += f" · {queue.snoozed:,} snoozed"
    if queue.scope.owner is None and not me():
        line += " · no `me` set (retain setting me NAME) so the whole book is shown"
    return line


def _flat(row: TodayRow) -> dict[str, object]:
    reasons = [item.reason for item in row.reasons]
    return {"rank": row.rank, "score": row.score, "account_id": row.account_id,
            "account_name": row.account_name, "owner": row.owner, "mrr_cents": row.mrr_cents,
            "reasons": " | ".join(reasons)}


def today(
    ctx: typer.Context,
    owner: Annotated[str | None, typer.Option(metavar="NAME",
                                              help="Another owner's accounts.")] = None,
    everyone: Annotated[bool, typer.Option("--all", help="The whole book, unowned accounts "
                                                         "included.")] = False,
    limit: Annotated[int | None, typer.Option(min=1, metavar="N",
                                              help="Only the first N rows.")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Who needs you today, most consequential first: one row per account, every reason.

    Your own accounts (setting `me`, or $RETAIN_USER) unless --owner or --all; the whole book
    when `me` is not set. The score combines each reason's urgency with the MRR at stake
    (settings triage.*); --json adds each row's reasons and score terms.
    """
    if as_json and as_csv:
        raise fail("choose one of --json and --csv")
    scope = scope_from(owner, everyone)
    with open_store(ctx, db) as store:
        store.catch_up_mrr()
        store.evaluate_playbooks()  # the day passing: renewals ahead, late onboarding, red health
        queue = store.today(scope=scope)
    rows = queue.rows[:limit] if limit else queue.rows
    if as_json:
        typer.echo(json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2))
        return
    emit([_flat(row) for row in rows], COLUMNS, as_csv=as_csv,
         title=None if as_csv else heading(queue, len(rows)))
