"""Messages that workers post to screens with data read from (or written to) the store."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from store.board import BoardView
from store.models import BoardCard, BoardColumn, StageMove


@dataclass
class BoardLoaded(Message):
    """The board's columns, each with its first page, and where each cursor should stand."""

    columns: list[BoardColumn]
    first_pages: dict[str, list[BoardCard]]
    cursors: dict[str, int] = field(default_factory=dict)
    focus_stage: str | None = None
    view: BoardView | None = None
    """The view read, when the worker had to widen it (to show an account asked for)."""


@dataclass
class AccountMoved(Message):
    """A stage move was written (or, with `undone`, taken back)."""

    move: StageMove
    name: str
    undone: bool = False


class BookChanged(Message):
    """Another connection committed to the book; open screens should reload."""
