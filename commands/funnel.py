"""`retain funnel`: stage analytics — accounts per stage, time in stage, moves between stages."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Annotated

import typer

from commands.context import DbOption, open_store
from commands.kpi import PeriodOption
from commands.output import Column, JsonOption, emit
from store.clock import utc_now
from store.kpis.filters import BookFilter
from store.kpis.periods import check_reporting_day, parse_period


def funnel(
    ctx: typer.Context,
    period: PeriodOption = "last-month",
    on: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Count accounts per stage on this day.")
    ] = None,
    segment: Annotated[str | None, typer.Option(help="Only this segment.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's accounts.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show the stage funnel: where accounts are, how long they stay, where they go.

    Accounts per stage on a day (default: today), the median days of finished stays in each
    stage, and the period's moves between stages with the share of each, backward moves and
    churns marked.
    """
    today = utc_now().date()
    try:
        day = date.fromisoformat(on) if on else today
    except ValueError:
        raise typer.BadParameter(f"{on!r} is not a date like 2026-01-31", param_hint="--on") from None
    check_reporting_day(day, "--on")
    chosen = parse_period(period, today)
    with open_store(ctx, db) as store:
        report = store.stage_analytics(chosen, day, BookFilter(segment=segment, owner=owner))
    if as_json:
        typer.echo(json.dumps(asdict(report), ensure_ascii=False, indent=2, default=str))
        return
    dwell = {row.stage: row for row in report.dwell}
    emit([{"stage": row.stage, "accounts": row.accounts, "share": row.share,
           "median_days": dwell[row.stage].median_days if row.stage in dwell else None,
           "stints": dwell[row.stage].stints if row.stage in dwell else 0}
          for row in report.per_stage],
         [Column("stage", "Stage"), Column("accounts", f"Accounts on {day}", justify="right"),
          Column("share", "Share of book", lambda v: "—" if v is None else f"{v:.1f}%", "right"),
          Column("median_days", "Median days in stage",
                 lambda v: "no data" if v is None else f"{v:.0f}", "right"),
          Column("stints", "Finished stays", justify="right")],
         title="Stages")
    moves = report.moves
    typer.echo(f"Moves in {chosen.label}: {moves.moves} ({moves.forward} forward, "
               f"{moves.backward} backward, {moves.churns} churns, "
               f"{moves.reactivations} reactivations)")
    emit([asdict(t) for t in report.transitions],
         [Column("from_stage", "From", lambda v: "(unknown)" if v is None else v),
          Column("to_stage", "To"),
          Column("moves", "Moves", justify="right"),
          Column("share", "Share", lambda v: f"{v:.0f}%", "right"),
          Column("direction", "Direction", lambda v: str(v))],
         title=f"Transitions, {chosen.label}")
