"""The page list: a line-based widget that holds only the windows of rows it has shown, read on
demand, so a project of 100,000 pages opens and reaches its last page at once.

The widget never reads the database: it posts `RowsWanted` for a window it lacks, and the screen
answers with `show_window` (attributes down, messages up). A list that fits in one window is read
whole and filtered in memory as you type; a longer one asks for the filter's first window."""

from __future__ import annotations

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from bgpub.domain.pages import PageRow, PageWindow, page_needle, window_of, window_start

WINDOW = 200  # rows read at a time: a few screens, one quick query


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
        """The rows changed (a filter, new data, counts read again); carries the counts."""

        def __init__(self, shown: int, total: int) -> None:
            self.shown = shown
            self.total = total
            super().__init__()

    class RowsWanted(Message):
        """The list needs a window it does not hold: the screen reads it (in a worker) and hands
        it to `show_window` with this request, or to `forget` when the read failed."""

        def __init__(
            self,
            text: str,
            start: int,
            limit: int,
            keep: str | None,
            generation: int,
            base: bool,
            total: int | None = None,
            shown: int | None = None,
        ) -> None:
            self.text = text
            self.start = start
            self.limit = limit
            self.keep = keep
            self.generation = generation
            self.base = base  # the first window after a reload or a filter: it sets the counts
            self.total = total  # counts the list holds, so the read need not count them again
            self.shown = shown
            super().__init__()

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._text = ""  # the filter as typed
        self._generation = 0  # bumped by each reload or filter read; older answers are dropped
        self._rows: dict[int, tuple[int, PageRow]] = {}  # index -> (navigation number, page)
        self._shown = 0
        self._total = 0
        self._loaded = False  # a first window arrived
        self._waiting = False  # a reload's or a filter's first window is on its way
        self._asked: set[int] = set()  # starts of the windows on their way
        self._everything: tuple[PageRow, ...] | None = None  # every page, when the list holds them

    # data in
    def reload(self, keep: str | None = None) -> None:
        """Reads the list again (after an edit, here or elsewhere); keeps the cursor on the page with
        slug `keep` (default: the current one) when it is still shown. A list that fits in one
        window is read whole and then filtered in memory; a longer one reads the filter's window."""
        whole = not self._text.strip() or not self._loaded or self._total <= WINDOW
        self._ask_first(
            "" if whole else self._text, keep if keep is not None else self.current_slug
        )

    def filter(self, text: str) -> None:
        """Shows only pages whose title or slug contains `text` (case-insensitive)."""
        self._text = text
        if self._everything is not None and not self._waiting:
            self._filter_held(self.current_slug)
        elif self._text.strip() and self._loaded and self._total > WINDOW:
            # the project's total is known: the read counts only the filter's matches
            self._ask_first(self._text, self.current_slug, self._total)
        else:
            self.reload()

    def show_window(self, window: PageWindow, wanted: PageList.RowsWanted) -> None:
        """Takes the window read for `wanted`; answers to an older reload or filter are dropped."""
        if wanted.generation != self._generation:
            return
        self._asked.discard(wanted.start)
        if not wanted.base:
            self._show_more(window)
        elif page_needle(window.text) == page_needle(self._text):
            self._show_first(window)
        elif window.complete:  # read unfiltered, to filter in memory
            self._everything = window.rows
            self._filter_held(wanted.keep)
        else:  # the project outgrew one window: read the filter's window instead
            self._everything = None
            self._ask_first(self._text, wanted.keep)

    def forget(self, wanted: PageList.RowsWanted) -> None:
        """The read for `wanted` failed (the screen said why): the list may ask again later."""
        if wanted.generation == self._generation:
            self._asked.discard(wanted.start)
            self._waiting = self._waiting and not wanted.base

    @property
    def rows(self) -> tuple[PageRow, ...]:
        """The rows the list holds, in order (all the matching pages once they are read)."""
        return tuple(self._rows[i][1] for i in sorted(self._rows))

    @property
    def shown(self) -> int:
        """How many pages match the filter."""
        return self._shown

    @property
    def total(self) -> int:
        """How many pages the project has."""
        return self._total

    @property
    def loaded(self) -> bool:
        """True once the list has read its first window."""
        return self._loaded

    @property
    def settled(self) -> bool:
        """True when no reload or filter is on its way (the rows are those of the current filter)."""
        return self._loaded and not self._waiting

    @property
    def current(self) -> PageRow | None:
        entry = self._rows.get(self.cursor)
        return entry[1] if entry is not None else None

    @property
    def current_slug(self) -> str | None:
        page = self.current
        return page.slug if page else None

    @property
    def current_number(self) -> int | None:
        """The current page's 1-based place in the navigation (whatever the filter)."""
        entry = self._rows.get(self.cursor)
        return entry[0] if entry is not None else None

    def _ask_first(self, text: str, keep: str | None, total: int | None = None) -> None:
        self._generation += 1
        self._waiting = True
        self._asked = {0}
        self.post_message(
            self.RowsWanted(text, 0, WINDOW, keep, self._generation, base=True, total=total)
        )

    def _filter_held(self, keep: str | None) -> None:
        """Filters the pages the list holds, at once, as the service would."""
        assert self._everything is not None
        limit = max(len(self._everything), 1)
        self._generation += 1
        self._show_first(window_of(self._everything, text=self._text, limit=limit, keep=keep))

    def _show_first(self, window: PageWindow) -> None:
        """A reload's or a filter's first window: new counts, the cursor on the kept page."""
        self._loaded = True
        self._waiting = False
        self._asked = set()
        self._rows = {}
        self._place(window)
        if not window.text.strip():
            self._everything = window.rows if window.complete else None
        index = window.focus
        if index is None:
            index = min(self.cursor, max(window.shown - 1, 0))
        self.virtual_size = Size(self.size.width, self._shown)
        self.cursor = index
        self.refresh()
        self.post_message(self.Filtered(self._shown, self._total))

    def _show_more(self, window: PageWindow) -> None:
        """More rows of the same view; if the counts moved (pages added or deleted elsewhere), the
        rows held before are dropped and read again as they are shown."""
        if (window.shown, window.total) != (self._shown, self._total):
            self._rows = {}
            self._everything = None
            self._place(window)
            self.virtual_size = Size(self.size.width, self._shown)
            self.cursor = min(self.cursor, max(self._shown - 1, 0))
            self.post_message(self.Filtered(self._shown, self._total))
        else:
            self._place(window)
        self.refresh()

    def _place(self, window: PageWindow) -> None:
        self._shown, self._total = window.shown, window.total
        for offset, (number, page) in enumerate(zip(window.numbers, window.rows, strict=True)):
            self._rows[window.start + offset] = (number, page)

    def _want(self, index: int) -> None:
        """Asks for the window holding row `index` (once; not while a first window is on its way)."""
        start = window_start(index, WINDOW)
        if self._waiting or start in self._asked:
            return
        self._asked.add(start)
        # posted from the list's own message loop: made while the screen paints, the request
        # would count the screen as its sender and stop there instead of bubbling on
        self.call_later(self._ask_more, start, self._generation)

    def _ask_more(self, start: int, generation: int) -> None:
        if generation == self._generation and start in self._asked:
            self.post_message(
                self.RowsWanted(
                    self._text,
                    start,
                    WINDOW,
                    None,
                    generation,
                    base=False,
                    total=self._total,
                    shown=self._shown,
                )
            )

    # rendering
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = self.scroll_offset.y + y
        if self._loaded and not self._shown and y == 0:
            text = (
                " No pages match the filter" if self._total else " No pages yet: press n to add one"
            )
            return Strip(
                [Segment(text, self.get_component_rich_style("page-list--empty"))]
            ).adjust_cell_length(width)
        if index >= self._shown:
            return Strip.blank(width, self.rich_style)
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("page-list--cursor")
        entry = self._rows.get(index)
        if entry is None:  # not read yet: a blank row until its window arrives
            self._want(index)
            return Strip.blank(width, base)
        number, page = entry
        marks = "⌂ " if page.is_home else ("  " if page.show_in_nav else "· ")
        segments = [
            Segment(f" {number:>5} ", base),
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
        self.virtual_size = Size(self.size.width, self._shown)

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        if self._shown:
            self.scroll_to_region_of(new)

    def scroll_to_region_of(self, row: int) -> None:
        """Scrolls so `row` is shown. Forced: right after a window arrives (End pressed as the list
        opens) the new height is set but the scrollbar is not laid out yet, and an unforced scroll
        would be refused, leaving the cursor on a row never painted, so never read."""
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height or 1
        if row < top:
            self.scroll_to(y=row, animate=False, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, force=True)

    # keys and mouse
    def _move(self, delta: int) -> None:
        if self._shown:
            self.cursor = max(0, min(self._shown - 1, self.cursor + delta))

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self._move(-self._shown)

    def action_last(self) -> None:
        self._move(self._shown)

    def action_choose(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current))

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < self._shown:
            self.cursor = row
            if event.chain >= 2:
                self.action_choose()
