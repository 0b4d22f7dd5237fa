"""`retain setting`: read or change a setting of the book, or one of your own (`me`, `theme`)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from commands.context import DbOption, open_store
from commands.errors import fail
from store.display import visible
from store.settings import SETTING_KEYS, setting_infos
from store.user_config import (
    PERSONAL_KEYS,
    UserConfig,
    change_user_setting,
    config_path,
    load_user_config,
)

TEXT_KEYS = frozenset({"me", "theme"})
"""Personal settings whose value is always taken as the text typed (a name may be "42")."""


def _parse(key: str, value: str) -> Any:
    """A value typed on the command line: JSON, or a bare word taken as the text it spells."""
    if key in TEXT_KEYS:
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        if value.strip()[:1] in ('{', '[', '"') or value.strip()[:1].isdigit():
            raise fail(f"{key}: {visible(value)!r} is not JSON ({error.msg})") from None
        return value  # a bare word (cancellation) is taken as the string it spells


def _rows(effective: dict[str, Any], changed: set[str],
          personal: UserConfig) -> list[dict[str, Any]]:
    """Every setting with where it lives, its meaning, its default and its current value."""
    rows = [{"key": info.key, "scope": "book", "doc": info.doc, "default": info.default,
             "value": effective[info.key.split(".")[0]][info.key.split(".")[1]],
             "is_set": info.key in changed}
            for info in setting_infos()]
    defaults = UserConfig()
    for key, field in UserConfig.model_fields.items():
        value, default = getattr(personal, key), getattr(defaults, key)
        rows.append({"key": key, "scope": "personal", "doc": " ".join((field.description or
                                                                        "").split()),
                     "default": default, "value": value, "is_set": value != default})
    return rows


def setting(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help="Which setting; none lists them all.")] = None,
    value: Annotated[
        str | None, typer.Argument(help="New value, as JSON (0.75, '{\"usage_trend\": 30}'); "
                                        "`me` and `theme` take plain text.")
    ] = None,
    unset: Annotated[bool, typer.Option("--unset", help="Go back to the default.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
) -> None:
    """Show or change a setting: the book's (kpi.*, health.*, triage.*) or your own (me, theme).

    Book settings are stored in the book and shared by everyone who opens it; your own live in
    your config.toml (`retain where` shows it).
    """
    if key is not None and key not in SETTING_KEYS and key not in PERSONAL_KEYS:
        raise fail(f"unknown setting {visible(key)!r}; known: "
                   f"{', '.join((*SETTING_KEYS, *PERSONAL_KEYS))}")
    if key in PERSONAL_KEYS:
        _personal(key, value, unset=unset, as_json=as_json)
        return
    with open_store(ctx, db) as store:
        if key is None:
            changed = {k for k in SETTING_KEYS if store.get_setting(k) is not None}
            effective = store.settings().model_dump(mode="json")
            _list(_rows(effective, changed, load_user_config()), as_json)
            return
        if unset:
            store.reset_setting(key)
        elif value is not None:
            store.change_setting(key, _parse(key, value))
        section, name = key.split(".", 1)
        current = store.settings().model_dump(mode="json")[section][name]
    typer.echo(json.dumps(current) if value is None and not unset
               else f"{key} = {json.dumps(current)}")


def _personal(key: str, value: str | None, *, unset: bool, as_json: bool) -> None:
    if value is None and not unset:
        current = getattr(load_user_config(), key)
        typer.echo(json.dumps(current) if as_json or not isinstance(current, str)
                   else visible(current))
        return
    config = change_user_setting(key, None if unset else _parse(key, value or ""))
    shown = getattr(config, key)
    typer.echo(f"{key} = {visible(json.dumps(shown, ensure_ascii=False))}    # in {config_path()}")


def _list(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        shown = json.dumps(row["value"], ensure_ascii=False)
        note = "" if row["is_set"] else " (default)"
        typer.echo(visible(f"{row['key']} = {shown}{note}"))
        typer.echo(f"    {row['doc']}")
