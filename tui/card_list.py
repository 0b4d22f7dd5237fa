"""A virtual, keyboard-driven list of account cards, paged from the store on demand.

Only the visible lines are rendered (`render_line`), and only the pages of cards those lines
need are held in memory, so a column of 100,000 accounts costs the same as one of 100.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.clock import utc_now
from store.display import visible
from store.kpis.health import score_text
from store.models import BoardCard
from store.money import format_money_short

MIN_TEXT_WIDTH = 14
"""The narrowest card: a name cut at 13 cells, then MRR and days in stage (`$14.7k  362d`)."""

MONEY_MEDIUM = len(" $999.9k/mo") + 1 + len("9999d ")
MONEY_WIDE = len(" $999.9k/mo") + 1 + len("9999d in stage ")
HEALTH_MEDIUM = len(" health 100") + 1 + len("2027-12-01 ")
HEALTH_WIDE = len(" health 100") + 1 + len("renews 2027-12-01 ")
"""Text widths from which a card's second and third lines take their longer wordings."""

CARD_HEIGHT = 4
"""Lines per card: the name, MRR and days in stage, health and renewal, then a blank line."""

PAGE_SIZE = 40
"""Cards fetched per query (a screen shows about ten); a page is fetched the first time one of
its cards is drawn."""

PageLoader = Callable[[int, int], list[BoardCard]]
"""Fetch `limit` cards starting at `offset` (runs in a worker thread)."""


def fit(text: str, width: int) -> str:
    """Pad or cut `text` to exactly `width` cells, marking a cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class CardList(ScrollView, can_focus=True, inherit_bindings=False):
    """The cards of one stage, highest MRR first, with a cursor."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", key_display="↑/k"),
        Binding("down,j", "cursor(1)", "Down", key_display="↓/j"),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False),
        Binding("home,g", "jump(0)", "First", show=False),
        Binding("end,G", "jump(-1)", "Last", show=False),
    ]
    """Cursor movement inside a column; columns themselves are switched by the board (the
    scroll view's own keys are not inherited: they showed as a second "← Scroll Left" in the
    keys panel)."""

    # The scrollbar has a gutter of its own in every column (scrollbar-gutter: stable), so the
    # text never runs under the thumb and columns with and without a scrollbar line up.

    COMPONENT_CLASSES = {
        "card-list--name",
        "card-list--detail",
        "card-list--cursor",
        "card-list--cursor-blurred",
        "card-list--empty",
        "card-list--alert",
    }
    """Styles for the card name, its details, the cursor (focused or not) and the empty note."""

    DEFAULT_CSS = """
    CardList {
        background: $surface;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .card-list--name { text-style: bold; color: $text; }
        & > .card-list--detail { color: $text-muted; }
        & > .card-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
        & > .card-list--cursor-blurred { background: $block-cursor-blurred-background; }
        & > .card-list--empty { color: $text-disabled; text-style: italic; }
        & > .card-list--alert { color: $text-warning; text-style: bold; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the selected card."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto a card (None when the list is empty or still loading)."""

        card_list: CardList
        card: BoardCard | None

    @dataclass
    class PageLoaded(Message):
        """A worker fetched one page of cards."""

        card_list: CardList
        page: int
        cards: list[BoardCard]

    def __init__(self, total: int, load_page: PageLoader, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.total = total
        self._load_page = load_page
        self._pages: dict[int, list[BoardCard]] = {}
        self._requested: set[int] = set()
        self.today: date = utc_now().date()

    # -- data ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.virtual_size = Size(0, self.total * CARD_HEIGHT)

    def seed_page(self, page: int, cards: list[BoardCard]) -> None:
        """Hand over a page fetched elsewhere (the board loads each column's first page)."""
        self._pages[page] = cards
        self._requested.add(page)

    def reset(self, total: int, first_page: list[BoardCard],
              load_page: PageLoader | None = None) -> None:
        """Replace the contents after the data changed, keeping the cursor where it can stay."""
        if load_page is not None:
            self._load_page = load_page
        self.total = total
        self._pages = {0: first_page}
        self._requested = {0}
        self.today = utc_now().date()
        self.virtual_size = Size(0, total * CARD_HEIGHT)
        self.cursor = min(self.cursor, max(total - 1, 0))
        self.refresh()

    def card_at(self, index: int) -> BoardCard | None:
        """The card at `index` if its page is loaded; asks for the page otherwise."""
        if not 0 <= index < self.total:
            return None
        page, offset = divmod(index, PAGE_SIZE)
        cards = self._pages.get(page)
        if cards is None:
            self._request(page)
            return None
        return cards[offset] if offset < len(cards) else None

    @property
    def selected(self) -> BoardCard | None:
        """The card under the cursor, if loaded."""
        return self.card_at(self.cursor)

    def _request(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        load = self._load_page

        def fetch() -> None:
            cards = load(page * PAGE_SIZE, PAGE_SIZE)
            self.post_message(self.PageLoaded(self, page, cards))

        self.run_worker(fetch, thread=True, group="card-pages", exit_on_error=False)

    def on_card_list_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        self._pages[message.page] = message.cards
        self.refresh()
        if message.page == self.cursor // PAGE_SIZE:
            self.post_message(self.Highlighted(self, self.selected))

    # -- cursor ----------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.show_cursor()
        self.post_message(self.Highlighted(self, self.selected))

    def show_cursor(self) -> None:
        """Scroll the least that shows the cursor's card, keeping whole cards at the top."""
        height = self.scrollable_content_region.height
        top = self.cursor * CARD_HEIGHT
        current = round(self.scroll_offset.y)
        if top < current:
            target = top
        elif top + CARD_HEIGHT - 1 > current + height:
            target = -(-(top + CARD_HEIGHT - 1 - height) // CARD_HEIGHT) * CARD_HEIGHT
        else:
            target = current - current % CARD_HEIGHT
        if target != current:
            self.scroll_to(y=target, animate=False, force=True)

    def on_resize(self) -> None:
        self.show_cursor()

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.total - 1)) if self.total else 0

    def action_cursor(self, step: int) -> None:
        """Move the cursor `step` cards."""
        self.cursor += step

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful of cards."""
        per_screen = max(1, self.scrollable_content_region.height // CARD_HEIGHT)
        self.cursor += direction * per_screen

    def action_jump(self, index: int) -> None:
        """Move the cursor to the first (0) or last (-1) card."""
        self.cursor = index if index >= 0 else self.total - 1

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    async def on_click(self, event) -> None:  # type: ignore[no-untyped-def]
        index = (event.y + self.scroll_offset.y) // CARD_HEIGHT
        if 0 <= index < self.total:
            self.cursor = index

    # -- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        index, part = divmod(scroll_y + y, CARD_HEIGHT)
        if self.total == 0:
            if scroll_y + y == 1:
                note = self.get_component_rich_style("card-list--empty", partial=True)
                return Strip([Segment(fit("  no accounts", width), base + note)])
            return Strip.blank(width, base)
        if index >= self.total or part == CARD_HEIGHT - 1:
            return Strip.blank(width, base)
        card = self.card_at(index)
        cursor = self._cursor_style() if index == self.cursor else None
        if card is None:
            text = "  …" if part == 0 else ""
            return Strip([Segment(fit(text, width), base + (cursor or Style()))])
        if part == 0:
            return self._name_line(card, width, base, cursor)
        role = "card-list--detail"
        style = base + self.get_component_rich_style(role, partial=True)
        if cursor is not None:
            style += cursor
        text = self._money_line(card, width) if part == 1 else self._health_line(card, width)
        return Strip([Segment(fit(text, width), style)])

    # A card fits any column from MIN_TEXT_WIDTH cells: the name, then MRR and days in stage;
    # health and the renewal date as far as there is room, longer wordings first.

    def _name_line(self, card: BoardCard, width: int, base: Style, cursor: Style | None) -> Strip:
        """The name in bold, and a ⚑ at the right edge when a follow-up is overdue."""
        style = base + self.get_component_rich_style("card-list--name", partial=True)
        flag_style = base + self.get_component_rich_style("card-list--alert", partial=True)
        if cursor is not None:
            style, flag_style = style + cursor, flag_style + cursor
        name = " " + visible(card.name)
        if not card.overdue_follow_up:
            return Strip([Segment(fit(name, width - 1) + " ", style)])
        return Strip([Segment(fit(name, width - 2), style), Segment("⚑ ", flag_style)])

    def _money_line(self, card: BoardCard, width: int) -> str:
        """MRR on the left (for a prospect without MRR, its open deal), days in stage on the
        right, worded alike on every card of a column (the longest figures decide)."""
        money, suffix = format_money_short(card.mrr_cents), "/mo"
        if not card.mrr_cents and card.open_deal_cents:  # a prospect: what is in play
            money, suffix = format_money_short(card.open_deal_cents), " open"
        days = card.days_in_stage(self.today)
        if width >= MONEY_WIDE:
            return _spread(f" {money}{suffix}", f"{days}d in stage ", width)
        if width >= MONEY_MEDIUM:
            return _spread(f" {money}{suffix}", f"{days}d ", width)
        if suffix == "/mo":
            return _spread(f" {money}", f"{days}d ", width)
        if cell_len(f" {money}{suffix}") + 1 + cell_len(f"{days}d ") <= width:
            return _spread(f" {money}{suffix}", f"{days}d ", width)
        # No room to say "open": the MRR it has (none), never a deal that would read as MRR.
        return _spread(f" {format_money_short(card.mrr_cents)}", f"{days}d ", width)

    def _health_line(self, card: BoardCard, width: int) -> str:
        """Health on the left, the renewal date on the right when there is room for both."""
        health = f" health {score_text(card.health)}"
        renewal = card.renewal_on
        if renewal is None or width < HEALTH_MEDIUM:
            return health
        if width >= HEALTH_WIDE:
            return _spread(health, f"renews {renewal.isoformat()} ", width)
        return _spread(health, f"{renewal.isoformat()} ", width)

    def _cursor_style(self) -> Style:
        if self.has_focus:
            return self.get_component_rich_style("card-list--cursor", partial=True)
        # The blurred colour is translucent; only the full style has it blended with the
        # background, and only its background is wanted (the text keeps its own colours).
        blended = self.get_component_rich_style("card-list--cursor-blurred")
        return Style(bgcolor=blended.bgcolor)


def _spread(left: str, right: str, width: int) -> str:
    """`left`, then `right` pushed to the right edge (cut by the caller's `fit` if too long)."""
    return left + " " * max(1, width - cell_len(left) - cell_len(right)) + right
