"""Build models from untrusted values, turning pydantic errors into one clear message."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError

from store.errors import InvalidInput
from store.models import Record

R = TypeVar("R", bound=Record)

_CURRENCY = "must be a three-letter currency code such as USD"


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10_000 else str(value)


def plain_reason(problem: Any) -> str:
    """What one pydantic problem means, in words a user reads (never pydantic's wording)."""
    kind = problem.get("type", "")
    ctx = problem.get("ctx") or {}
    if kind == "greater_than_equal":
        return "must not be negative" if ctx.get("ge") == 0 else f"must be {_number(ctx['ge'])} or more"
    if kind == "greater_than":
        return f"must be more than {_number(ctx['gt'])}"
    if kind == "less_than_equal":
        return f"must be {_number(ctx['le'])} or less"
    if kind == "less_than":
        return f"must be less than {_number(ctx['lt'])}"
    if kind == "string_too_long":
        return f"is longer than {_number(ctx['max_length'])} characters"
    if kind == "string_too_short":
        return "is required but blank"
    if kind == "string_pattern_mismatch":
        return _CURRENCY if "A-Z]{3}" in str(ctx.get("pattern", "")) else "is not in the expected form"
    if kind in ("enum", "literal_error"):
        return f"must be one of {ctx.get('expected', '')}"
    if kind == "missing":
        return "is required but blank"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "must be a whole number"
    if kind.startswith(("date_", "datetime_")):
        return "is not a valid date"
    return str(problem.get("msg", "is not valid")).removeprefix("Value error, ")


def describe(error: ValidationError) -> str:
    """One line per problem, each naming the field (when there is one), the reason and the value."""
    parts = []
    for problem in error.errors(include_url=False):
        field = ".".join(str(part) for part in problem["loc"])
        given = problem.get("input")
        shown = "" if isinstance(given, dict) or given is None else f" (got {given!r:.80})"
        prefix = f"field '{field}': " if field else ""
        parts.append(f"{prefix}{plain_reason(problem)}{shown}")
    return "; ".join(parts)


def build(model: type[R], data: dict[str, Any], where: str = "") -> R:
    """Validate `data` as `model`; raise InvalidInput prefixed with `where` on any problem."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        prefix = f"{where}: " if where else ""
        raise InvalidInput(f"{prefix}{describe(error)}") from None
