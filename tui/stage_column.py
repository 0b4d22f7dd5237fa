"""One stage on the board: a header with the stage's count and MRR, above its cards."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from store.display import visible
from store.models import BoardCard, BoardColumn
from store.money import format_money_short
from tui.card_list import CardList, PageLoader, fit


def header_text(column: BoardColumn, width: int = 40) -> Text:
    """`Adoption` in bold, then `1,234 · $123.4k` muted, in `width` cells; stage labels are
    user text. A terminal stage's figure is the MRR its accounts had when they left, so it
    reads `$14.7k lost`, never as MRR held."""
    text = Text(fit(visible(column.stage.label), width).rstrip() if width > 0 else "",
                style="bold")
    money = format_money_short(column.mrr_cents)
    if column.stage.terminal:
        wordings = (f"{column.count:,} · {money} MRR lost", f"{column.count:,} · {money} lost",
                    f"{column.count:,} {money} lost", f"{column.count:,}·{money} lost",
                    f"{money} lost")
    else:
        wordings = (f"{column.count:,} · {money}", f"{column.count:,} {money}")
    line = next((wording for wording in wordings if cell_len(wording) <= width), wordings[-1])
    text.append("\n" + line, style="dim")
    return text


class StageHeader(Widget):
    """The stage's name and figures, worded to the width the column has."""

    def __init__(self, column: BoardColumn) -> None:
        super().__init__(classes="stage-header")
        self.column = column

    def show(self, column: BoardColumn) -> None:
        """Show a reloaded column's figures."""
        self.column = column
        self.refresh()

    def render(self) -> Text:
        return header_text(self.column, self.content_size.width)


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
        yield StageHeader(self.column)
        yield self.cards

    def update(self, column: BoardColumn, first_page: list[BoardCard],
               load_page: PageLoader) -> None:
        """Show new totals and cards after a reload, keeping the cursor where it can stay."""
        self.column = column
        self.query_one(StageHeader).show(column)
        self.cards.reset(column.count, first_page, load_page)

    def on_descendant_focus(self) -> None:
        self.add_class("-focused")

    def on_descendant_blur(self) -> None:
        self.remove_class("-focused")

    @property
    def stage_key(self) -> str:
        """The key of the stage this column shows."""
        return self.column.stage.key
