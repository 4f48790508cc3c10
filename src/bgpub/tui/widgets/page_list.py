"""The page list: a line-based widget that renders only the rows on screen, so 10,000 pages open fast."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from bgpub.domain.pages import PageRow


class PageList(ScrollView, can_focus=True):
    """Pages in navigation order, filtered by a text; the cursor row is highlighted."""

    COMPONENT_CLASSES = {
        "page-list--cursor",
        "page-list--home",
        "page-list--slug",
        "page-list--empty",
    }
    DEFAULT_CSS = """
    PageList { height: 1fr; }
    PageList > .page-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    PageList:blur > .page-list--cursor { background: $block-cursor-blurred-background; text-style: none; }
    PageList > .page-list--home { color: $accent; }
    PageList > .page-list--slug { color: $text-muted; }
    PageList > .page-list--empty { color: $text-muted; text-style: italic; }
    """
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False, id="page-list.up"),
        Binding("down", "cursor_down", "Down", show=False, id="page-list.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page-list.page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page-list.page-down"),
        Binding("home", "first", "First", show=False, id="page-list.first"),
        Binding("end", "last", "Last", show=False, id="page-list.last"),
        Binding("enter", "choose", "Edit page", show=False, id="page-list.choose"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Chosen(Message):
        """The user picked a page (Enter or double click)."""

        def __init__(self, page: PageRow) -> None:
            self.page = page
            super().__init__()

    class Filtered(Message):
        """The visible rows changed (after a filter or new data); carries the counts."""

        def __init__(self, shown: int, total: int) -> None:
            self.shown = shown
            self.total = total
            super().__init__()

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._pages: Sequence[PageRow] = ()
        self._keys: list[str] = []
        self._visible: Sequence[PageRow] = ()
        self._positions: list[int] = []
        self._query = ""

    # data in
    def set_pages(self, pages: Sequence[PageRow], *, keep: str | None = None) -> None:
        """Replaces the rows; keeps the cursor on the page with slug `keep` when it is still shown."""
        self._pages = pages
        self._keys = [p.search_key for p in pages]
        self._apply(keep if keep is not None else self.current_slug)

    def filter(self, text: str) -> None:
        """Shows only pages whose title or slug contains `text` (case-insensitive)."""
        self._query = text.strip().lower()
        self._apply(self.current_slug)

    @property
    def pages(self) -> Sequence[PageRow]:
        return self._pages

    @property
    def visible(self) -> Sequence[PageRow]:
        return self._visible

    @property
    def current(self) -> PageRow | None:
        if 0 <= self.cursor < len(self._visible):
            return self._visible[self.cursor]
        return None

    @property
    def current_slug(self) -> str | None:
        page = self.current
        return page.slug if page else None

    def position_of(self, page: PageRow) -> int:
        """The page's index in navigation order (not in the filtered view)."""
        return next(i for i, p in enumerate(self._pages) if p.slug == page.slug)

    def _apply(self, keep: str | None) -> None:
        query = self._query
        if query:
            self._positions = [i for i, key in enumerate(self._keys) if query in key]
            self._visible = [self._pages[i] for i in self._positions]
        else:
            self._positions = list(range(len(self._pages)))
            self._visible = self._pages
        self.virtual_size = Size(self.size.width, len(self._visible))
        index = 0
        if keep is not None:
            index = next(
                (i for i, p in enumerate(self._visible) if p.slug == keep),
                min(self.cursor, max(len(self._visible) - 1, 0)),
            )
        self.cursor = index
        self.refresh()
        self.post_message(self.Filtered(len(self._visible), len(self._pages)))

    # rendering
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = self.scroll_offset.y + y
        if not self._visible and y == 0:
            text = (
                " No pages match the filter" if self._pages else " No pages yet: press n to add one"
            )
            return Strip(
                [Segment(text, self.get_component_rich_style("page-list--empty"))]
            ).adjust_cell_length(width)
        if index >= len(self._visible):
            return Strip.blank(width, self.rich_style)
        page = self._visible[index]
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("page-list--cursor")
        number = f" {self._positions[index] + 1:>5} " if index < len(self._positions) else "       "
        marks = "⌂ " if page.is_home else ("  " if page.show_in_nav else "· ")
        segments = [
            Segment(number, base),
            Segment(
                marks,
                base + self.get_component_rich_style("page-list--home")
                if index != self.cursor
                else base,
            ),
            Segment(page.title + "  ", base),
            Segment(
                page.url,
                base + self.get_component_rich_style("page-list--slug")
                if index != self.cursor
                else base,
            ),
        ]
        return Strip(segments).adjust_cell_length(width, base)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, len(self._visible))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        if self._visible:
            self.scroll_to_region_of(new)

    def scroll_to_region_of(self, row: int) -> None:
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height or 1
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    # keys and mouse
    def _move(self, delta: int) -> None:
        if self._visible:
            self.cursor = max(0, min(len(self._visible) - 1, self.cursor + delta))

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self._move(-len(self._visible))

    def action_last(self) -> None:
        self._move(len(self._visible))

    def action_choose(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current))

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self._visible):
            self.cursor = row
            if event.chain >= 2:
                self.action_choose()
