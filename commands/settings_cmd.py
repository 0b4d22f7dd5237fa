"""`retain setting`: read or change the book's settings (CLTV margin, health weights...)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import typer

from commands.context import DbOption, open_store
from commands.errors import fail
from store import InvalidInput
from store.kpis.account_months import CHURN_AT
from store.kpis.dashboard import DEFAULT_GROSS_MARGIN
from store.imports.sales_rows import DEAL_STAGES_SETTING, check_stage_map
from store.kpis.health import DEFAULT_WEIGHTS, load_weights


def _stage_map(value: Any) -> dict[str, str]:
    try:
        return check_stage_map(value)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def _margin(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise InvalidInput("kpi.gross_margin: a fraction above 0 and at most 1, e.g. 0.8")
    return float(value)


def _churn_at(value: Any) -> str:
    if value not in CHURN_AT:
        raise InvalidInput(f"kpi.churn_at: one of {', '.join(CHURN_AT)}")
    return str(value)


SETTINGS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "kpi.gross_margin": ("Gross margin CLTV uses (0-1]; default 0.8.", _margin),
    "kpi.churn_at": ("When churn counts: \"period_end\" (default) or \"cancellation\".",
                     _churn_at),
    "health.weights": ("Health component weights, a JSON object; missing ones keep defaults.",
                       load_weights),
    DEAL_STAGES_SETTING: ("A CRM's own deal stage names -> open, won or lost, a JSON object; "
                          "Closed Won / Closed Lost and the usual names need none.", _stage_map),
}
"""The settings a user may change, what each means, and how a new value is checked."""

DEFAULTS: dict[str, Any] = {
    "kpi.gross_margin": DEFAULT_GROSS_MARGIN,
    "kpi.churn_at": CHURN_AT[0],
    "health.weights": DEFAULT_WEIGHTS,
    DEAL_STAGES_SETTING: {},
}
"""The value each setting has until it is set."""


def setting(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help="Which setting; none lists them.")] = None,
    value: Annotated[
        str | None, typer.Argument(help="New value, as JSON (0.75, '{\"usage_trend\": 30}').")
    ] = None,
    db: DbOption = None,
) -> None:
    """Show or change a setting (kpi.gross_margin, kpi.churn_at, health.weights)."""
    with open_store(ctx, db) as store:
        if key is None:
            for name, (meaning, _) in SETTINGS.items():
                current = store.get_setting(name)
                shown = f"{json.dumps(DEFAULTS[name])} (default)" if current is None \
                    else json.dumps(current)
                typer.echo(f"{name} = {shown}    # {meaning}")
            return
        if key not in SETTINGS:
            raise fail(f"unknown setting {key!r}; known: {', '.join(SETTINGS)}")
        if value is None:
            typer.echo(json.dumps(store.get_setting(key)))
            return
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as error:
            if value.strip()[:1] in ('{', '[', '"') or value.strip()[:1].isdigit():
                raise fail(f"{key}: {value!r} is not JSON ({error.msg})") from None
            parsed = value  # a bare word (cancellation) is taken as the string it spells
        SETTINGS[key][1](parsed)
        store.set_setting(key, parsed)
    typer.echo(f"{key} = {json.dumps(parsed)}")
