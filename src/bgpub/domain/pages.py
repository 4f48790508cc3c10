"""A page as front ends see it: a row in the page list, or the document being edited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bgpub.domain.blocks import Block


@dataclass(frozen=True)
class PageRow:
    """One page in the project's page list."""

    slug: str
    title: str
    is_home: bool = False
    show_in_nav: bool = True

    @property
    def url(self) -> str:
        """Where the page is served: the home page at `/`, never at `/home`."""
        return "/" if self.is_home else f"/{self.slug}"


@dataclass(frozen=True)
class PageDocument:
    """A page as loaded for editing; `revision` is what a save names to detect concurrent edits."""

    project: str
    slug: str
    title: str
    revision: int
    blocks: tuple[Block, ...] = ()
    is_home: bool = False

    @property
    def url(self) -> str:
        """Where the page is served: the home page at `/`."""
        return "/" if self.is_home else f"/{self.slug}"


def page_needle(text: str) -> str:
    """What a page-list filter looks for: the text trimmed and lower-cased."""
    return text.strip().lower()


def page_matches(title: str, slug: str, needle: str) -> bool:
    """True when the page's title or slug holds `needle` (from `page_needle`), ignoring case."""
    return needle in title.lower() or needle in slug.lower()


@dataclass(frozen=True)
class PageWindow:
    """A slice of a project's page list as the editor reads it: the pages matching `text` in
    navigation order, `rows` from index `start` among them, and the counts the summary shows.

    `numbers` is each row's 1-based place in the navigation (the same with or without a filter);
    `focus` is the index among the matches of the page the caller asked to keep, None when that
    page does not match (or was not asked for)."""

    text: str
    start: int
    rows: tuple[PageRow, ...]
    numbers: tuple[int, ...]
    shown: int
    total: int
    focus: int | None = None

    @property
    def complete(self) -> bool:
        """True when the window holds every matching page."""
        return self.start == 0 and len(self.rows) == self.shown


def window_start(index: int, limit: int) -> int:
    """The start of the window of `limit` rows that holds row `index` (windows are aligned)."""
    return index - index % limit


def window_of(
    pages: Sequence[PageRow],
    *,
    text: str = "",
    start: int = 0,
    limit: int = 200,
    keep: str | None = None,
) -> PageWindow:
    """The window `services.page_windows.page_window` reads from the database, cut from every page
    in memory (in navigation order): what a list that holds all its pages filters with, and the
    model the service's queries are tested against."""
    needle = page_needle(text)
    numbered = [
        (number, page)
        for number, page in enumerate(pages, start=1)
        if not needle or page_matches(page.title, page.slug, needle)
    ]
    focus = next((i for i, (_, page) in enumerate(numbered) if page.slug == keep), None)
    if focus is not None:
        start = window_start(focus, limit)
    start = max(0, min(start, window_start(max(len(numbered) - 1, 0), limit)))
    cut = numbered[start : start + limit]
    return PageWindow(
        text=text,
        start=start,
        rows=tuple(page for _, page in cut),
        numbers=tuple(number for number, _ in cut),
        shown=len(numbered),
        total=len(pages),
        focus=focus,
    )
