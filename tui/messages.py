"""Messages that workers post to screens with data read from the store."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from store.models import BoardCard, BoardColumn


@dataclass
class BoardLoaded(Message):
    """The board's columns, each with its first page of cards."""

    columns: list[BoardColumn]
    first_pages: dict[str, list[BoardCard]]
