"""A project as a `ProjectSnapshot`, and export of it to a folder (project.json + blobs/<sha256>).

The snapshot is read with a fixed number of queries whatever the page count (one per table), so it
stays fast for large sites; export writes into a temporary folder and swaps it in.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import operator
import os
import shutil
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from peewee import JOIN, SQL, Cast, fn

from bgpub.db.connection import database, is_postgres
from bgpub.db.enums import CommentStatus, PostStatus
from bgpub.db.models import (
    Asset,
    BlogCategory,
    BlogComment,
    BlogPost,
    BlogPostTag,
    BlogTag,
    Page,
    PageChange,
    Project,
    User,
)
from bgpub.db.rows import tuple_rows
from bgpub.domain.page_fields import PAGE_FIELDS, FieldKind
from bgpub.errors import Conflict
from bgpub.services import blobs
from bgpub.services.collector_sites import DERIVED_SETTING, derived_settings
from bgpub.services.library import saved_components_of
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.post_fields import snapshot_time
from bgpub.services.section_rows import sections_of
from bgpub.services.snapshot_cache import CachedBlocks, blocks_cache
from bgpub.snapshot import (
    AssetSnapshot,
    CommentSnapshot,
    PostSnapshot,
    ProductSnapshot,
    ProjectSnapshot,
    StoredPage,
)


@dataclass(frozen=True)
class ExportReport:
    path: Path
    pages: int
    assets: int
    bytes: int


def project_snapshot(actor: User, project: str | Project) -> ProjectSnapshot:
    """The project's canonical snapshot (what render, export and versions use)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return snapshot_of(project)


def snapshot_of(project: Project) -> ProjectSnapshot:
    """The snapshot of `project`, without a permission check (callers have done it)."""
    pages = _pages(project)
    components = tuple(
        c for c in saved_components_of(project.organization_id) if _used(c.key, pages)
    )
    return ProjectSnapshot(
        name=project.name,
        title=project.title,
        description=project.description,
        language=project.language,
        theme=project.theme,
        theme_overrides=dict(project.theme_overrides or {}),
        settings=derived_settings(project, dict(project.settings or {})),
        subdomain=project.subdomain,
        custom_domain=project.custom_domain,
        pages=pages,
        assets=_assets(project),
        components=components,
        posts=_posts(project),
        products=_products(project),
        categories=_categories(project),
        sections=sections_of(project),
    )


# Per project: page id -> (row key, page). A page whose row key (revision, updated_at and the fields
# read) is unchanged keeps its page object, so a running process (preview, TUI) reads
# only the blocks of edited pages and the renderer recognises unchanged pages by identity.
_PAGE_MEMO: OrderedDict[str, dict[str, tuple[tuple[Any, ...], StoredPage]]] = OrderedDict()


@dataclass(slots=True)
class _Read:
    """A project's last read in a running process: its rows, positions and pages in the site's order,
    and the change feed's mark when it began (`page_changes`, 0023: SQLite's highest serial,
    PostgreSQL's snapshot). The next read asks the feed for the pages changed since the mark and the
    page count, and reads the whole rows of those few alone (a save in a 100,000-page preview:
    reading every row's settings took ~1 s of CPU, every row's key ~0.1 s, the feed ~1 ms)."""

    rows: list[tuple[Any, ...]]
    positions: list[int]
    pages: tuple[StoredPage, ...]
    mark: int | str
    index: dict[str, int] | None = None  # page id -> place, made when the feed first names a page


_LAST_READ: dict[str, _Read] = {}
MEMO_PROJECTS = 8
IN_BATCH = 500


def _page(
    head: tuple[Any, ...], blocks: Any, token: str, components: tuple[str, ...] | None = None
) -> StoredPage:
    """The page of a row; its blocks' JSON is decoded only if something reads them (the renderer
    reads only the pages it must render again: `source_token` tells it which are unchanged)."""
    _, _, updated, slug, title, home, *settings = head
    return StoredPage.from_row(
        slug,
        title,
        bool(home),
        blocks,
        token,
        _iso(updated),
        zip(
            _SETTING_NAMES,
            [
                bool(v) if flag else v or ""
                for flag, v in zip(_SETTING_FLAGS, settings, strict=True)
            ],
            strict=True,
        ),
        components,
    )


_SETTING_NAMES = tuple(f.name for f in PAGE_FIELDS)  # the page query's setting columns, in order
_SETTING_FLAGS = tuple(f.kind is FieldKind.FLAG for f in PAGE_FIELDS)


@functools.lru_cache(maxsize=1 << 17)  # pages saved together share a stamp; parsing was ~1 us each
def _iso(moment: Any) -> str:
    """A row's updated_at (a datetime, or SQLite's text through a raw query; stored in UTC) as ISO 8601
    UTC, the sitemap's lastmod; "" when it is neither."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return ""
    if not isinstance(moment, datetime):
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    text: str = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return text


def _pages(project: Project) -> tuple[StoredPage, ...]:
    """The pages' small columns in one query; blocks (as JSON text) only of pages neither memoised in
    this process nor kept unchanged in the workspace's cache (`snapshot_cache`), in one more."""
    blocks_text = Cast(Page.blocks, "text")
    memo = _PAGE_MEMO.pop(project.id, {})
    last = _LAST_READ.pop(project.id, None)
    if memo and last is not None:
        found = _changed_since(project, memo, last, blocks_text)
        if found is not None:
            _remember(project.id, memo, found)
            return found.pages
    mark = _feed_mark(project)  # before the rows: what changes after it is read again next time
    placed = list(
        database.execute(_heads_query().select_extend(Page.position).where(Page.project == project))
    )
    heads = list(map(_without_position, placed))
    missing = {h[0]: _stamp(h) for h in heads if h[0] not in memo or memo[h[0]][0] != h}
    if not missing:
        fresh = {h[0]: memo[h[0]] for h in heads}
    else:
        # the workspace's cache serves a process that has nothing in memory yet (a command); a
        # running one (preview, editor) reads its few changed pages and leaves the cache as it is
        cache = blocks_cache(_database_key(), project.id) if not memo else None
        if cache is None:
            fresh = _read_pages(project, heads, memo, missing, {}, blocks_text)
        else:
            with cache.locked():
                cached = cache.lookup(missing)
                fresh = _read_pages(project, heads, memo, missing, cached, blocks_text)
                read = {
                    i: (fresh[i][1].__dict__["_raw_blocks"], fresh[i][1].components)
                    for i in missing
                    if i not in cached
                }
                mapped = cache.update(
                    {h[0]: fresh[h[0]][1].source_token or "" for h in heads}, read
                )
            for page_id, view in mapped.items():
                # the same text, mapped from the cache instead of the copy read from the database
                # (unless already decoded: then the text is no longer read), with its component
                # keys, as a cached page has them: `uses_component` then never decodes it
                page = fresh[page_id][1]
                if "blocks" not in page.__dict__:
                    page.__dict__.update(_raw_blocks=view, _components=read[page_id][1])
    kept = [fresh[h[0]] for h in heads]
    pages = tuple([k[1] for k in kept])
    rows = [k[0] for k in kept]
    _remember(project.id, fresh, _Read(rows, list(map(_position, placed)), pages, mark))
    return pages


# Every column a page's snapshot is made of but its blocks: a page's head
_HEAD_COLUMNS = (
    Page.id,
    Page.revision,
    Page.updated_at,
    Page.slug,
    Page.title,
    Page.is_home,
    *[getattr(Page, f.name) for f in PAGE_FIELDS],
)


def _heads_query() -> Any:
    """Every page's head in the site's order (the caller says which rows)."""
    return Page.select(*_HEAD_COLUMNS).order_by(Page.position, Page.slug)


_position = operator.itemgetter(-1)  # a placed head's position (the last column)
_without_position = operator.itemgetter(slice(0, -1))


def _feed_mark(project: Project) -> int | str:
    """Where the project's change feed stands: SQLite's highest serial (one writer at a time, so
    serials follow commits), PostgreSQL's snapshot (transaction ids commit in any order)."""
    if is_postgres():
        return str(database.execute_sql("SELECT pg_current_snapshot()::text").fetchone()[0])
    query = PageChange.select(fn.coalesce(fn.max(PageChange.serial), 0)).where(
        PageChange.project == project
    )
    return int(query.scalar())


def _since(mark: int | str) -> Any:
    """The feed's rows written after `mark`: past SQLite's serial, or by transactions PostgreSQL's
    snapshot did not see committed (every such id is at least the snapshot's xmin: the index's range)."""
    if isinstance(mark, int):
        return PageChange.serial > mark
    unseen = ~fn.pg_visible_in_snapshot(
        Cast(Cast(PageChange.serial, "text"), "xid8"), Cast(mark, "pg_snapshot")
    )
    return (PageChange.serial >= int(mark.split(":", 1)[0])) & unseen


def _remember(
    project_id: str,
    memo: dict[str, tuple[tuple[Any, ...], StoredPage]],
    read: _Read,
) -> None:
    _PAGE_MEMO[project_id] = memo
    _LAST_READ[project_id] = read
    while len(_PAGE_MEMO) > MEMO_PROJECTS:
        gone, _ = _PAGE_MEMO.popitem(last=False)
        _LAST_READ.pop(gone, None)


def _changed_since(
    project: Project,
    memo: dict[str, tuple[tuple[Any, ...], StoredPage]],
    last: _Read,
    blocks_text: Any,
) -> _Read | None:
    """The read after `last` when the feed names at most IN_BATCH pages, all of them pages `last`
    holds, still in the project at the same place and slug, and the page count is the same: only
    those rows are read and made anew (the memo updated in place). None when the general path must
    read every row: a page added, deleted, moved or renamed, or too many changed."""
    mark = _feed_mark(project)
    found = list(
        database.execute(
            PageChange.select(PageChange.page_id, *_HEAD_COLUMNS, Page.position, blocks_text)
            .join(
                Page,
                JOIN.LEFT_OUTER,
                on=(Page.id == PageChange.page_id) & (Page.project == PageChange.project),
            )
            .where((PageChange.project == project) & _since(last.mark))
            .limit(IN_BATCH + 1)
        )
    )
    if len(found) > IN_BATCH:
        return None
    count = Page.select(fn.count(SQL("*"))).where(Page.project == project).scalar()  # any index
    if count != len(last.rows):
        return None
    index = last.index
    if found and index is None:
        index = dict(zip(map(operator.itemgetter(0), last.rows), itertools.count()))
    changed: list[tuple[int, tuple[Any, ...], Any]] = []
    for page_id, *columns, position, blocks in found:
        head = tuple(columns)
        place = index.get(page_id) if index is not None else None
        if head[0] is None or place is None:
            return None  # deleted, moved to another project, or new
        if position != last.positions[place] or head[3] != last.rows[place][3]:
            return None  # its place in the site's order may have moved
        if head != last.rows[place]:
            changed.append((place, head, blocks))
    if not changed:
        return _Read(last.rows, last.positions, last.pages, mark, index)
    rows, pages = list(last.rows), list(last.pages)
    for place, head, blocks in changed:
        page = _page(head, blocks, _stamp(head))
        memo[head[0]] = (head, page)
        rows[place], pages[place] = head, page
    return _Read(rows, last.positions, tuple(pages), mark, index)


def _read_pages(
    project: Project,
    heads: list[tuple[Any, ...]],
    memo: dict[str, tuple[tuple[Any, ...], StoredPage]],
    missing: dict[str, str],
    cached: dict[str, CachedBlocks],
    blocks_text: Any,
) -> dict[str, tuple[tuple[Any, ...], StoredPage]]:
    """Page objects by id: memoised ones kept, cached ones from the workspace, the rest from the database."""
    unread = [i for i in missing if i not in cached]
    blocks: dict[str, Any] = {}
    if len(unread) > IN_BATCH:
        blocks = dict(
            database.execute(Page.select(Page.id, blocks_text).where(Page.project == project))
        )
    elif unread:
        blocks = dict(
            database.execute(Page.select(Page.id, blocks_text).where(Page.id.in_(unread)))
        )
    fresh: dict[str, tuple[tuple[Any, ...], StoredPage]] = {}
    for head in heads:
        page_id = head[0]
        stamp = missing.get(page_id)
        if stamp is None:
            fresh[page_id] = memo[page_id]
            continue
        known = cached.get(page_id)
        if known is not None:
            page = _page(head, known[0], stamp, known[1])
        else:
            page = _page(head, blocks[page_id], stamp)
        fresh[page_id] = (head, page)
    return fresh


def _stamp(head: tuple[Any, ...]) -> str:
    """A page row's stamp (`source_token`): changes whenever any column read with it does."""
    return hashlib.blake2b(repr(head).encode("utf-8"), digest_size=16).hexdigest()


def _database_key() -> str | None:
    """Names the database the handle points at (its cache of blocks is its own); None when unknown."""
    db = database.obj
    if db is None or not getattr(db, "database", None):
        return None
    params = getattr(db, "connect_params", {}) or {}
    return f"{type(db).__name__}:{db.database}:{params.get('host', '')}:{params.get('port', '')}"


def _used(key: str, pages: tuple[StoredPage, ...]) -> bool:
    return any(page.uses_component(key) for page in pages)


def _assets(project: Project) -> tuple[AssetSnapshot, ...]:
    rows = tuple_rows(
        Asset.select(
            Asset.name,
            Asset.hash,
            Asset.mime,
            Asset.size,
            Asset.type,
            Asset.alt,
            Asset.width,
            Asset.height,
            Asset.focus_x,
            Asset.focus_y,
        )
        .where(Asset.project == project)
        .order_by(Asset.name)
    )
    return tuple(
        AssetSnapshot(
            name=n,
            hash=h,
            mime=m,
            size=s,
            type=t.value,
            alt=a,
            width=w,
            height=ht,
            focus_x=fx,
            focus_y=fy,
        )
        for n, h, m, s, t, a, w, ht, fx, fy in rows
    )


def _published(moment: datetime | None) -> tuple[str, str]:
    """(date, published_at) of a post: published_at stays '' when it is midnight of `date`."""
    if moment is None:
        return "", ""
    return moment.date().isoformat(), "" if moment == datetime.combine(
        moment.date(), time()
    ) else snapshot_time(moment)


def _comments(project: Project) -> dict[str, list[CommentSnapshot]]:
    found: dict[str, list[CommentSnapshot]] = {}
    rows = tuple_rows(
        BlogComment.select(
            BlogComment.post,
            BlogComment.author_name,
            BlogComment.body,
            BlogComment.created_at,
            BlogComment.status,
        )
        .join(BlogPost)
        .where(BlogPost.project == project)
        .order_by(BlogComment.created_at, BlogComment.id)
    )
    for post_id, author, body, created, status in rows:
        found.setdefault(post_id, []).append(
            CommentSnapshot(
                author=author,
                body=body,
                date=snapshot_time(created),
                status=CommentStatus(status).value,
            )
        )
    return found


def _posts(project: Project) -> tuple[PostSnapshot, ...]:
    """Every post, whatever its status (render decides what is shown), with its comments."""
    tags: dict[str, list[str]] = {}
    for post_id, name in tuple_rows(
        BlogPostTag.select(BlogPostTag.post, BlogTag.name)
        .join(BlogTag)
        .where(BlogTag.project == project)
    ):
        tags.setdefault(post_id, []).append(name)
    comments = _comments(project)
    rows = tuple_rows(
        BlogPost.select(
            BlogPost.id,
            BlogPost.slug,
            BlogPost.title,
            BlogPost.excerpt,
            BlogPost.body,
            BlogPost.published_at,
            BlogPost.author_name,
            User.name,
            BlogCategory.name,
            BlogPost.cover_asset,
            BlogPost.status,
            BlogPost.edited_at,
            BlogPost.aliases,
        )
        .join(User, join_type=JOIN.LEFT_OUTER, on=(BlogPost.author == User.id))
        .switch(BlogPost)
        .join(BlogCategory, join_type=JOIN.LEFT_OUTER, on=(BlogPost.category == BlogCategory.id))
        .where(BlogPost.project == project)
        .order_by(BlogPost.created_at, BlogPost.slug)
    )
    posts = []
    for (
        pid,
        slug,
        title,
        excerpt,
        body,
        published,
        name,
        user,
        category,
        cover,
        status,
        edited,
        aliases,
    ) in rows:
        day, published_at = _published(published)
        posts.append(
            PostSnapshot(
                slug=slug,
                title=title,
                excerpt=excerpt,
                body=body,
                date=day,
                author=name or user or "",
                category=category or "",
                tags=tuple(sorted(tags.get(pid, []))),
                cover=cover,
                status=PostStatus(status).value,
                published_at=published_at,
                updated_at=snapshot_time(edited),
                aliases=tuple(BlogPost.aliases.python_value(aliases) or ()),
                comments=tuple(comments.get(pid, ())),
            )
        )
    return tuple(posts)


def _categories(project: Project) -> tuple[str, ...]:
    return tuple(
        BlogCategory.select(BlogCategory.name)
        .where(BlogCategory.project == project)
        .order_by(BlogCategory.name)
        .scalars()
    )


def _products(project: Project) -> tuple[ProductSnapshot, ...]:
    from bgpub.services.product_snapshots import products_of

    return products_of(project)


def write_export(snapshot: ProjectSnapshot, data: dict[str, bytes], directory: str | Path) -> int:
    """Writes project.json and blobs/ into `directory` (replacing an earlier export there); returns bytes."""
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise Conflict("exists and is not a folder", where=str(target))
    if target.is_dir() and any(target.iterdir()) and not (target / "project.json").is_file():
        raise Conflict(
            "is not empty and holds no earlier export; choose an empty or new folder",
            where=str(target),
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        raw = snapshot.to_json()
        (temp / "project.json").write_bytes(raw)
        (temp / "blobs").mkdir()
        total = len(raw)
        for key in sorted(data):
            (temp / "blobs" / key).write_bytes(data[key])
            total += len(data[key])
        os.chmod(temp, 0o755)
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.rename(old)
            temp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            temp.rename(target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return total


def export_project(actor: User, project: str | Project, directory: str | Path) -> ExportReport:
    """Writes the project's snapshot and the bytes of its assets into `directory`."""
    snapshot = project_snapshot(actor, project)
    if (
        DERIVED_SETTING in snapshot.settings
    ):  # the build's form stamp: not part of the site's source
        snapshot = replace(
            snapshot, settings={k: v for k, v in snapshot.settings.items() if k != DERIVED_SETTING}
        )
    data = blobs.get_many(a.hash for a in snapshot.assets)
    total = write_export(snapshot, data, directory)
    return ExportReport(Path(directory), len(snapshot.pages), len(snapshot.assets), total)


def snapshot_summary(snapshot: ProjectSnapshot) -> dict[str, Any]:
    return {
        "pages": len(snapshot.pages),
        "assets": len(snapshot.assets),
        "posts": len(snapshot.posts),
        "products": len(snapshot.products),
    }
