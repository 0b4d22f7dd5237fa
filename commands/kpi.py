"""`retain kpi` (the dashboard, one KPI's trend, breakdowns) and `retain cohorts`."""

from __future__ import annotations

import json
from dataclasses import replace
from enum import StrEnum
from typing import Annotated, Any

import typer

from commands.activity import AccountArg
from commands.context import DbOption, open_store
from commands.output import Column, CsvOption, JsonOption, emit
from store.clock import utc_now
from store.display import visible
from store.kpis.catalog import BY_NAME
from store.kpis.dashboard import sections
from store.kpis.filters import BookFilter
from store.kpis.formatting import format_change, format_value
from store.kpis.health import score_text
from store.kpis.periods import add_months, month_key, parse_period, to_date
from store.kpis.results import KpiValue

PeriodOption = Annotated[
    str,
    typer.Option(help="YYYY-MM, YYYY-Qn, YYYY, YYYY-MM-DD..YYYY-MM-DD, this-month, last-month."),
]


class BreakDown(StrEnum):
    """Account attributes a KPI can be broken down by."""

    SEGMENT = "segment"
    OWNER = "owner"
    PLAN = "plan"
    STAGE = "stage"


def _filter(segment: str | None, owner: str | None, plan: str | None, stage: str | None,
            tag: str | None) -> BookFilter:
    return BookFilter(segment=segment, owner=owner, plan=plan, stage=stage, tag=tag)


def _as_json(value: KpiValue, previous: KpiValue | None = None) -> dict[str, Any]:
    definition = BY_NAME.get(value.name)
    document = {
        "name": value.name,
        "label": definition.label if definition else value.name,
        "group": definition.group if definition else None,
        "value": value.value,
        "unit": value.unit.value,
        "inputs": value.inputs,
        "note": value.note,
    }
    if previous is not None:
        document["previous"] = previous.value
    return document


def kpi(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="One KPI (e.g. nps, logo_churn_rate); none: all.")
    ] = None,
    period: PeriodOption = "last-month",
    months: Annotated[
        int | None, typer.Option(min=1, max=120, help="Trend: this many months to the period.")
    ] = None,
    by: Annotated[BreakDown | None, typer.Option(help="Break the KPI down by this.")] = None,
    segment: Annotated[str | None, typer.Option(help="Only this segment.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's accounts.")] = None,
    plan: Annotated[str | None, typer.Option(help="Only this plan.")] = None,
    stage: Annotated[str | None, typer.Option(help="Only accounts now in this stage.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only accounts with this tag.")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Show the KPI dashboard, or one KPI's trend or breakdown.

    Without NAME: every KPI for --period (default: last month) grouped by lifecycle stage,
    with the previous period beside it. With NAME and --months: a monthly trend. With NAME
    and --by: one row per segment, owner, plan or stage.
    """
    book = _filter(segment, owner, plan, stage, tag)
    with open_store(ctx, db) as store:
        today = utc_now().date()
        chosen = to_date(parse_period(period, today), today)  # a running year: to date
        if name is None:
            current, previous = store.kpis(chosen, book), store.kpis(chosen.previous(), book)
            _print_dashboard(chosen.label, book, current, previous, as_json, as_csv)
            return
        if name not in BY_NAME:
            raise typer.BadParameter(f"unknown KPI {name!r}; known: {', '.join(BY_NAME)}",
                                     param_hint="NAME")
        unit = BY_NAME[name].unit
        if by is not None:
            rows = []
            for value in store.distinct_values(by.value):
                found = store.kpis(chosen, replace(book, **{by.value: value}))[name]
                rows.append({by.value: value, "value": found.value,
                             "shown": format_value(found.value, unit), "inputs": found.inputs})
            emit(rows, [Column(by.value, by.value.title()), Column("shown", BY_NAME[name].label, figure=True,
                        justify="right"), Column("value", "value", in_table=False),
                        Column("inputs", "inputs", in_table=False)],
                 as_json=as_json, as_csv=as_csv, title=f"{BY_NAME[name].label}, {chosen.label}")
            return
        if months is None:  # the period's own figure (a quarter stays a quarter)
            series = [(chosen, store.kpis(chosen, book)[name])]
        else:
            series = store.kpi_trend(name, chosen, months, book)
    rows = [{"period": one.label, "value": value.value,
             "shown": format_value(value.value, unit), "inputs": value.inputs,
             "note": value.note}
            for one, value in series]
    emit(rows, [Column("period", "Month"), Column("shown", BY_NAME[name].label, figure=True, justify="right"),
                Column("value", "value", in_table=False),
                Column("inputs", "inputs", in_table=False),
                Column("note", "note", in_table=False)],
         as_json=as_json, as_csv=as_csv, title=f"{BY_NAME[name].label} ({book.describe()})")


def _print_dashboard(label: str, book: BookFilter, current: dict[str, KpiValue],
                     previous: dict[str, KpiValue], as_json: bool, as_csv: bool) -> None:
    if as_json:
        typer.echo(json.dumps({
            "period": label, "filter": book.describe(),
            "kpis": [_as_json(value, previous[value.name]) for value in current.values()],
        }, ensure_ascii=False, indent=2, default=str))
        return
    rows = [
        {"group": section.group, "label": definition.label, "name": definition.name,
         "value": value.value, "shown": format_value(value.value, definition.unit),
         "previous": format_value(previous[definition.name].value, definition.unit),
         "change": format_change(value, previous[definition.name]), "note": value.note}
        for section in sections(current) for definition, value in section.items
    ]
    emit(rows, [Column("group", "Stage"), Column("label", "KPI"),
                Column("shown", label, justify="right", figure=True),
                Column("previous", "previous", justify="right"),
                Column("change", "change", justify="right", figure=True),
                Column("name", "name", in_table=False), Column("value", "value", in_table=False),
                Column("note", "note", in_table=False)],
         as_csv=as_csv, title=f"KPIs, {label} ({book.describe()})")


def cohorts(
    ctx: typer.Context,
    months: Annotated[int, typer.Option(min=1, max=60, help="Cohorts of the last N months.")] = 12,
    revenue: Annotated[
        bool, typer.Option("--revenue", help="Revenue retention instead of logo retention.")
    ] = False,
    segment: Annotated[str | None, typer.Option(help="Only this segment.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's accounts.")] = None,
    plan: Annotated[str | None, typer.Option(help="Only this plan.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show the cohort retention matrix by first paying month.

    Each row is the customers who started paying in a month; each column the share still
    paying (or, with --revenue, their MRR as a share of their first month's) N months later.
    """
    today = utc_now().date()
    through = month_key(today)
    first = month_key(add_months(today, -(months - 1)))
    with open_store(ctx, db) as store:
        matrix = store.cohorts(first, through, through,
                               _filter(segment, owner, plan, None, None))
    if as_json:
        typer.echo(json.dumps([row.__dict__ if hasattr(row, "__dict__") else
                               {slot: getattr(row, slot) for slot in row.__slots__}
                               for row in matrix], indent=2))
        return
    width = max((len(row.logo) for row in matrix), default=0)
    columns = [Column("cohort", "Cohort"), Column("accounts", "Accounts", justify="right")]
    columns += [Column(f"m{k}", f"M{k}", justify="right") for k in range(width)]
    rows = []
    for row in matrix:
        cells = row.revenue if revenue else row.logo
        shown = {f"m{k}": (f"{cells[k]:.0f}%" if k < len(cells) and cells[k] is not None else "")
                 for k in range(width)}
        rows.append({"cohort": row.cohort, "accounts": row.accounts, **shown})
    emit(rows, columns, title=("Revenue" if revenue else "Logo") + " retention by cohort")


def health(
    ctx: typer.Context,
    account: AccountArg,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Explain an account's health score.

    Each component (usage trend, sentiment, engagement, support load, renewal, MRR trend)
    with its weight, its score and the facts behind it. Weights: setting health.weights.
    """
    with open_store(ctx, db) as store:
        account_id = store.find_account(account)
        found = store.health(account_id)
        name = store.get_account(account_id).name
    if as_json:
        typer.echo(json.dumps({
            "account_id": found.account_id, "score": found.score, "band": found.band,
            "components": [{"name": c.name, "label": c.label, "weight": c.weight,
                            "score": c.score, "reason": c.reason} for c in found.components],
        }, ensure_ascii=False, indent=2))
        return
    score = score_text(found.score, "no data")
    typer.echo(f"{visible(name)} ({account_id}): health {score}, {found.band}")
    emit([{"label": c.label, "weight": c.weight,
           "score": score_text(c.score, "no data"), "reason": c.reason}
          for c in found.components],
         [Column("label", "Component"), Column("weight", "Weight", justify="right"),
          Column("score", "Score", justify="right"), Column("reason", "Why")])
