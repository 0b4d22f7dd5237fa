"""`retain backtest`: how well Today and health, replayed at past weeks, foresaw lost MRR."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

import typer

from commands.context import DbOption, open_store
from commands.dates import parse_day
from commands.output import Column, JsonOption, emit
from store.backtest import backtest as run_backtest
from store.backtest import default_window
from store.clock import utc_now


def _share(value: float | None) -> str:
    return "no data" if value is None else f"{value * 100:.1f}%"


def backtest(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option("--from", metavar="DATE",
                                              help="First replay day (default: a year "
                                                   "before --to).")] = None,
    end: Annotated[str | None, typer.Option("--to", metavar="DATE",
                                            help="Last replay day (default: today minus "
                                                 "the horizon).")] = None,
    horizon: Annotated[int, typer.Option(min=1, max=730, metavar="DAYS",
                                         help="Days after each replay day in which a lost "
                                              "customer counts.")] = 90,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Replay Today and health weekly at past days and score how well they foresaw churn.

    At each replay day only data dated up to that day is used. Of the paying accounts that
    churned or contracted within the horizon: how many stood in Today's top 10 / top 50 and in
    the red health band (recall); how many of the top-ranked did (precision); and the ROC AUC
    of the health score and of Today's score. Reads only. See docs/TODAY.md.
    """
    today = utc_now().date()
    last = parse_day(end, "--to") if end else default_window(today, horizon)[1]
    first = parse_day(start, "--from") if start else last - timedelta(days=364)
    if last > today - timedelta(days=horizon):
        typer.echo(f"retain: note: replays after {today - timedelta(days=horizon)} cannot "
                   "see their whole horizon yet", err=True)
    with open_store(ctx, db) as store:
        result = run_backtest(store, first, last, horizon)
    if as_json:
        typer.echo(json.dumps(result.as_json(), indent=2))
        return
    paying = sum(replay.paying for replay in result.replays)
    lost = sum(replay.lost for replay in result.replays)
    rows = [
        {"figure": "recall, Today top 10", "value": _share(result.recall_top10)},
        {"figure": "recall, Today top 50", "value": _share(result.recall_top50)},
        {"figure": "recall, red health band (< 40)", "value": _share(result.recall_red)},
        {"figure": "precision, Today top 10", "value": _share(result.precision_top10)},
        {"figure": "precision, Today top 50", "value": _share(result.precision_top50)},
        {"figure": "base rate (a random pick)", "value": _share(result.base_rate)},
        {"figure": "ROC AUC, health score", "value": "no data" if result.auc_health is None
         else f"{result.auc_health:.3f}"},
        {"figure": "ROC AUC, Today score", "value": "no data" if result.auc_today is None
         else f"{result.auc_today:.3f}"},
    ]
    emit(rows, [Column("figure", "Figure"), Column("value", "Value", justify="right")],
         title=(f"Backtest {first} → {last}, {len(result.replays)} weekly replays, horizon "
                f"{horizon} days: {lost:,} of {paying:,} paying account-weeks lost MRR"))
