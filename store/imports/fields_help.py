"""What `retain import --fields KIND` prints: every field a file may map, what it takes, its synonyms."""

from __future__ import annotations

import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

from store.imports import values as v
from store.imports.kinds import KINDS, Kind

_TAKES: dict[Callable[[Any], Any], str] = {
    v.text: "text", v.day: "a date (YYYY-MM-DD, M/D/YYYY or D/M/YYYY)",
    v.timestamp: "a date and time (ISO 8601; no offset is UTC)", v.integer: "a whole number",
    v.cents: "money (1234.50, $99, 29.85 USD)", v.boolean: "yes/no (true/false, 1/0)",
    v.tags: "a list (a;b or a JSON list)",
}
_NOTES = {
    ("accounts", "churned"): "yes -> stage churned",
    ("accounts", "mrr"): "stored as mrr_cents",
    ("subscriptions", "mrr"): "monthly; stored as mrr_cents",
    ("subscriptions", "arr"): "yearly; MRR = ARR / 12",
    ("subscriptions", "amount"): "price per interval; MRR = amount x quantity / months",
    ("subscriptions", "status"): "blank: derived from ended_on and is_trial",
}


def _enum_of(kind: Kind, name: str) -> type[Enum] | None:
    info = kind.model.model_fields.get(name)
    if info is None:
        return None
    candidates = [info.annotation, *typing.get_args(info.annotation)]
    return next((c for c in candidates if isinstance(c, type) and issubclass(c, Enum)), None)


def _takes(kind: Kind, name: str) -> str:
    enum = _enum_of(kind, name)
    if enum is not None:
        return "one of " + ", ".join(str(member.value) for member in enum)
    if name in ("stage", "from_stage", "to_stage"):
        return "a stage key or label of this book (any case)"
    if name.endswith("_cents"):
        return "money in cents (a whole number)"
    return _TAKES.get(kind.converters[name], "text")


def _required(kind: Kind, name: str) -> str:
    info = kind.model.model_fields.get(name)
    if info is None or not info.is_required():
        return ""
    if name == "id" and kind.key_parts:
        return "required (made from the row when absent)"
    if (kind.name, name) == ("accounts", "stage"):
        return "blank: the book's first stage (or churned when churned is yes)"
    if name == "account_id":
        return "required (or account_name, or --account)"
    return "required"


def describe_fields(kind_name: str) -> str:
    """One line per field of `kind_name`: name, what it takes, required or not, synonyms."""
    kind = KINDS[kind_name]
    lines = [f"Fields of `retain import {kind_name}` (map a column with --map \"COLUMN=FIELD\"):"]
    for name, synonyms in kind.known().items():
        if name == "updated_at":
            continue
        parts = [_takes(kind, name)]
        if required := _required(kind, name):
            parts.append(required)
        if note := _NOTES.get((kind_name, name)):
            parts.append(note)
        line = f"  {name:<22} {'; '.join(parts)}"
        if synonyms:
            line += f"  [also: {', '.join(synonyms)}]"
        lines.append(line)
    return "\n".join(lines)
