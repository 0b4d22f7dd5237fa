"""What a preset is: how one tool's export maps onto one kind (the presets themselves are in
`presets` and `sales_presets`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Derive = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Preset:
    """How one tool's export maps onto one kind."""

    name: str
    kind: str
    description: str
    columns: dict[str, str]
    """Source header (or `re:PATTERN`) -> field; `-` leaves a column out."""
    headers: tuple[str, ...]
    """The tool's real export headers, in order (documentation and tests)."""
    constants: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    """Preset-only fields (read from a column, used by `derive`, never stored)."""
    derive: Derive | None = None
    skip_blank: str | None = None
    """Rows where this field is blank are skipped (not rejected): e.g. tickets without a score."""
    derives: tuple[str, ...] = ()
    """Fields `derive` fills, so the file need not have a column for them."""
    needs_account: bool = False
    """The file names no account: `--account KEY` gives the one all rows belong to."""
    skip_reason: str = ""
    """Why rows `skip_blank` leaves out are left out, for the import's summary."""
