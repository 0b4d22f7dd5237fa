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
from store.kpis.health import DEFAULT_WEIGHTS, load_weights
from store.kpis.results import DEFAULT_MIN_SAMPLE


def _margin(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise InvalidInput("kpi.gross_margin: a fraction above 0 and at most 1, e.g. 0.8")
    return float(value)


def _churn_at(value: Any) -> str:
    if value not in CHURN_AT:
        raise InvalidInput(f"kpi.churn_at: one of {', '.join(CHURN_AT)}")
    return str(value)


def _min_sample(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput("kpi.min_sample: a whole number of answers or accounts, 1 or more")
    return value


SETTINGS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "kpi.gross_margin": ("Gross margin CLTV uses (0-1]; default 0.8.", _margin),
    "kpi.churn_at": ("When churn counts: \"period_end\" (default) or \"cancellation\".",
                     _churn_at),
    "kpi.min_sample": ("Answers or accounts below which a rate's change is marked unreliable;"
                       " default 10.", _min_sample),
    "health.weights": ("Health component weights, a JSON object; missing ones keep defaults.",
                       load_weights),
}
"""The settings a user may change, what each means, and how a new value is checked."""

DEFAULTS: dict[str, Any] = {
    "kpi.gross_margin": DEFAULT_GROSS_MARGIN,
    "kpi.churn_at": CHURN_AT[0],
    "kpi.min_sample": DEFAULT_MIN_SAMPLE,
    "health.weights": DEFAULT_WEIGHTS,
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
    """Show or change a setting (kpi.gross_margin, kpi.churn_at, kpi.min_sample,
    health.weights)."""
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
