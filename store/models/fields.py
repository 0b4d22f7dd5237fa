"""Reusable validated field types shared by every model."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from store.clock import to_utc


def _no_nul(text: str) -> str:
    """Refuse U+0000: no CSV reader takes it back, so an export could not be imported."""
    if "\x00" in text:
        raise ValueError("contains a NUL character (U+0000), which no file format carries")
    return text


UtcDatetime = Annotated[datetime, AfterValidator(to_utc)]
"""A point in time, normalised to UTC (a naive value is read as UTC)."""

Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
                AfterValidator(_no_nul)]
"""A stable text id: the source system's key, or a UUIDv7 the store made."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
                 AfterValidator(_no_nul)]
"""A required human-readable name."""

Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500),
                  AfterValidator(_no_nul)]
"""Optional short text such as a segment, plan or owner."""

LongText = Annotated[str, StringConstraints(max_length=1_000_000), AfterValidator(_no_nul)]
"""Free text such as a summary or a comment."""

Cents = Annotated[int, Field(ge=0, le=10**15)]
"""A non-negative amount of money in integer minor units (cents)."""

Count = Annotated[int, Field(ge=0)]
"""A non-negative count."""

StageKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
"""A stage key; membership in the book's lifecycle model is checked by the store."""
