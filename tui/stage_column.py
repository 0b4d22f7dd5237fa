"""One stage on the board: a header with the stage's count and MRR, above its cards."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from store.display import visible
from store.models import BoardCard, BoardColumn
from store.money import format_money_short
from tui.card_list import CardList, PageLoader


def header_text(column: BoardColumn) -> Text:
    """`Adoption` in bold, then `1,234 · $123.4k` muted; stage labels are user text."""
    text = Text(visible(column.stage.label), style="bold")
    text.append(f"\n{column.count:,} · {format_money_short(column.mrr_cents)}", style="dim")
    return text


class StageColumn(Vertical):
    """A stage's header and its virtual list of cards."""

    def __init__(
        self, column: BoardColumn, first_page: list[BoardCard], load_page: PageLoader
    ) -> None:
        super().__init__(id=f"stage-{column.stage.key}", classes="stage-column")
        self.column = column
        self.cards = CardList(column.count, load_page, id=f"cards-{column.stage.key}")
        self.cards.seed_page(0, first_page)
        if column.stage.terminal:
            self.add_class("-terminal")

    def compose(self) -> ComposeResult:
        yield Static(header_text(self.column), classes="stage-header")
        yield self.cards

    def update(self, column: BoardColumn, first_page: list[BoardCard],
               load_page: PageLoader) -> None:
        """Show new totals and cards after a reload, keeping the cursor where it can stay."""
        self.column = column
        self.query_one(".stage-header", Static).update(header_text(column))
        self.cards.reset(column.count, first_page, load_page)

    def on_descendant_focus(self) -> None:
        self.add_class("-focused")

    def on_descendant_blur(self) -> None:
        self.remove_class("-focused")

    @property
    def stage_key(self) -> str:
        """The key of the stage this column shows."""
        return self.column.stage.key
