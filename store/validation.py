"""Build models from untrusted values, turning pydantic errors into one clear message."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError

from store.errors import InvalidInput
from store.models import Record

R = TypeVar("R", bound=Record)


def describe(error: ValidationError) -> str:
    """One line per problem, each naming the field, the reason and the value given."""
    parts = []
    for problem in error.errors(include_url=False):
        field = ".".join(str(part) for part in problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        given = problem.get("input")
        shown = "" if isinstance(given, dict) or given is None else f" (got {given!r:.80})"
        # A check of the whole record names its fields itself.
        parts.append(f"field '{field}': {message}{shown}" if field else message)
    return "; ".join(parts)


def build(model: type[R], data: dict[str, Any], where: str = "") -> R:
    """Validate `data` as `model`; raise InvalidInput prefixed with `where` on any problem."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        prefix = f"{where}: " if where else ""
        raise InvalidInput(f"{prefix}{describe(error)}") from None
