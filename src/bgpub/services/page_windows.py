"""The page list a window at a time: the counts and the rows an editor shows, read on demand.

A project of 100,000 pages lists in milliseconds because nothing reads every page: the counts are
`count(*)` queries, a filter is a `LIKE` (SQLite) or `ILIKE` (PostgreSQL) on the title and slug, and
a window is `LIMIT`/`OFFSET` in navigation order, walked from the nearer end (so End reads the last
rows through the index backwards). The answer is `domain.pages.window_of`'s for the same pages,
which the tests check on both databases.

A caller that already holds the counts passes them (`total`, and `shown` for a later window of the
same filter) so a keypress costs one count (the filter's matches) and a scroll none: counts are
trusted only for a read from the front that comes back full; a read from the back, or a short
one (pages deleted elsewhere), counts again, so a window is never cut from stale counts.

Matching ignores case as `str.lower` does. SQL folds only ASCII letters alike on both databases,
so a filter holding another cased letter ("É") is matched in Python on the rows whose title or slug
holds the rest of the filter: slower, and still exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peewee import Expression

from bgpub.db.models import Page, Project, User
from bgpub.db.rows import tuple_rows
from bgpub.domain.pages import (
    PageRow,
    PageWindow,
    page_matches,
    page_needle,
    window_of,
    window_start,
)
from bgpub.errors import InvalidInput
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require

WINDOW = 200  # rows a window holds unless asked otherwise: a few screens
MAX_WINDOW = 2_000
MAX_FILTER = 200  # characters: a filter is a few words, not a document

_COLUMNS = (Page.slug, Page.title, Page.is_home, Page.show_in_nav, Page.position)


def page_window(
    actor: User,
    project: str | Project,
    *,
    text: str = "",
    start: int = 0,
    limit: int = WINDOW,
    keep: str | None = None,
    total: int | None = None,
    shown: int | None = None,
) -> PageWindow:
    """`limit` rows from index `start` of the pages whose title or slug holds `text`, in navigation
    order, with the counts; when `keep` names a matching page, the window is the one holding it.
    `total` and `shown` are counts the caller read before (see the module's docstring)."""
    record = find_project(actor, project)
    require(actor, record.organization, Action.READ)
    where = f"project {record.name}"
    if not isinstance(start, int) or start < 0:
        raise InvalidInput("a window starts at row 0 or later", where=where, field="start")
    if not isinstance(limit, int) or not 1 <= limit <= MAX_WINDOW:
        raise InvalidInput(f"a window holds 1..{MAX_WINDOW} rows", where=where, field="limit")
    if not isinstance(text, str) or len(text) > MAX_FILTER:
        raise InvalidInput(
            f"a filter is text of at most {MAX_FILTER} characters", where=where, field="text"
        )
    for name, count in (("total", total), ("shown", shown)):
        if count is not None and (not isinstance(count, int) or count < 0):
            raise InvalidInput("a count is 0 or more", where=where, field=name)
    needle = page_needle(text)
    scope = Page.project == record
    match = scope & _contains(needle) if needle else scope
    if shown is not None and total is not None and keep is None and _folds_in_sql(needle):
        rows = _front_slice(match, start, limit, shown)
        if rows is not None:
            return _window(text, start, rows, shown, total, None)
    if total is None or not needle:
        total = Page.select().where(scope).count()
    if needle and not _folds_in_sql(needle):
        return _window_in_python(scope, needle, text, start, limit, keep, total)
    shown = Page.select().where(match).count() if needle else total
    focus = _index_of(match, keep) if keep is not None else None
    if focus is not None:
        start = window_start(focus, limit)
    start = max(0, min(start, window_start(max(shown - 1, 0), limit)))
    rows = _slice(match, start, min(limit, shown - start), shown)
    return _window(text, start, rows, shown, total, focus)


def _front_slice(
    match: Expression, start: int, limit: int, shown: int
) -> list[tuple[Any, ...]] | None:
    """The window from `start` read forwards on the counts the caller holds; None when those
    counts cannot be trusted (the window is nearer the end, or the read came back short)."""
    size = min(limit, shown - start)
    if size <= 0 or start > shown - (start + size):
        return None
    query = Page.select(*_COLUMNS).where(match).order_by(Page.position, Page.slug)
    rows = list(tuple_rows(query.offset(start).limit(size)))
    return rows if len(rows) == size else None


def _window(
    text: str, start: int, rows: list[tuple[Any, ...]], shown: int, total: int, focus: int | None
) -> PageWindow:
    return PageWindow(
        text=text,
        start=start,
        rows=tuple(
            PageRow(slug, title, bool(home), bool(nav)) for slug, title, home, nav, _ in rows
        ),
        numbers=tuple(position + 1 for *_, position in rows),
        shown=shown,
        total=total,
        focus=focus,
    )


def _folds_in_sql(needle: str) -> bool:
    """True when SQL's case folding is `str.lower`'s for this (lower-cased) filter: no letter
    outside ASCII that has another case."""
    return all(c.isascii() or c.upper() == c for c in needle)


def _contains(needle: str) -> Expression:
    """The title or the slug holds `needle`, ASCII letters in either case (wildcards escaped)."""
    clause: Expression = Page.title.contains(needle) | Page.slug.contains(needle)
    return clause


def _index_of(match: Expression, slug: str) -> int | None:
    """How many matching pages come before page `slug` in navigation order (None if it does not match)."""
    found = next(tuple_rows(Page.select(Page.position).where(match & (Page.slug == slug))), None)
    if found is None:
        return None
    (position,) = found
    before = (Page.position < position) | ((Page.position == position) & (Page.slug < slug))
    count: int = Page.select().where(match & before).count()
    return count


def _slice(match: Expression, start: int, size: int, shown: int) -> list[tuple[Any, ...]]:
    """Rows start..start+size of the matches in navigation order, read from the nearer end."""
    if size <= 0:
        return []
    query = Page.select(*_COLUMNS).where(match)
    if start <= shown - (start + size):
        return list(tuple_rows(query.order_by(Page.position, Page.slug).offset(start).limit(size)))
    backwards = query.order_by(Page.position.desc(), Page.slug.desc())
    return list(tuple_rows(backwards.offset(shown - (start + size)).limit(size)))[::-1]


def _window_in_python(
    scope: Expression, needle: str, text: str, start: int, limit: int, keep: str | None, total: int
) -> PageWindow:
    """The window for a filter SQL cannot fold: the candidates that hold its longest foldable run
    of characters, matched exactly here; numbers are the pages' positions as in the SQL path."""
    run = max(_foldable_runs(needle), key=len, default="")
    query = Page.select(*_COLUMNS).where(scope & _contains(run) if run else scope)
    matching = [
        row
        for row in tuple_rows(query.order_by(Page.position, Page.slug))
        if page_matches(row[1], row[0], needle)
    ]
    pages = [PageRow(slug, title, bool(home), bool(nav)) for slug, title, home, nav, _ in matching]
    window = window_of(pages, start=start, limit=limit, keep=keep)
    numbers = tuple(matching[window.start + i][4] + 1 for i in range(len(window.rows)))
    return PageWindow(
        text=text,
        start=window.start,
        rows=window.rows,
        numbers=numbers,
        shown=window.shown,
        total=total,
        focus=window.focus,
    )


def _foldable_runs(needle: str) -> Iterable[str]:
    """The stretches of `needle` that SQL matches as `str.lower` would."""
    run: list[str] = []
    for c in needle:
        if c.isascii() or c.upper() == c:
            run.append(c)
        elif run:
            yield "".join(run)
            run = []
    if run:
        yield "".join(run)
