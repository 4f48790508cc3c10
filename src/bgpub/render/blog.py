"""The blog's shape before anything renders: which posts show, their order, neighbours, related posts,
taxonomy, author and archive listings, pagination and every blog output path (pure, no clock)."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bgpub.domain import slugs
from bgpub.domain.enums import PostStatus
from bgpub.errors import RenderError
from bgpub.snapshot import PostSnapshot, ProjectSnapshot

PUBLISHED, SCHEDULED, DRAFT = PostStatus.PUBLISHED, PostStatus.SCHEDULED, PostStatus.DRAFT
DEFAULT_PER_PAGE = 10
FEED_ENTRIES = 20  # newest posts in each feed
RELATED = 3
_NEAR = 8  # posts either side in each shared tag's date order that may be related
FEED_FILES = (("atom", "atom.xml"), ("rss", "rss.xml"), ("json", "feed.json"))
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ALIAS = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")
_RELATED: list[Any] = [
    None
]  # (tag sets by position, {position: related positions}) of the last plan


def parse_time(value: str, where: str) -> datetime | None:
    """An ISO 8601 date-time (or yyyy-mm-dd) as an aware UTC datetime; '' is None."""
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RenderError(f"{value!r} is not an ISO 8601 date-time", where=where) from None
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def is_visible(post: PostSnapshot, now: datetime | None, drafts: bool, where: str) -> bool:
    """PUBLISHED; SCHEDULED once its time has come (by the build's time); drafts only when asked."""
    if post.status == PUBLISHED:
        return True
    if post.status == SCHEDULED:
        due = parse_time(post.published_at, f"{where}, published_at")
        if due is not None and now is not None and due <= now:
            return True
        return drafts
    return drafts and post.status == DRAFT


def term_slug(name: str) -> str:
    """A URL segment for a category, tag or author name, by the one slug rule (`bgpub.domain.slugs`); a name
    with no ASCII form (日本, Ελλάδα) gets a short hash so that two such names never share a page."""
    fallback = "t-" + hashlib.blake2b(name.encode(), digest_size=4).hexdigest()
    return slugs.slugify(name, max_length=60, fallback=fallback)


@dataclass(frozen=True, eq=False)  # compared by identity: hashing 10,000 post numbers costs
class Listing:
    """A paginated list of posts: the blog index, a category, a tag or an author."""

    kind: str  # index | category | tag | author
    name: str  # the term ('' for the index)
    base: str  # output folder, e.g. blog/tag/python
    posts: tuple[int, ...]  # positions in BlogPlan.order, newest first

    def url(self, page: int = 1) -> str:
        return f"/{self.base}/" if page == 1 else f"/{self.base}/page/{page}/"


@dataclass(frozen=True)
class Output:
    """One blog output: what to render (`kind`, `listing`/`post`, `page`) at `path`."""

    path: str
    kind: str  # list | archive | feed-atom | feed-rss | feed-json | redirect
    listing: Listing | None = None
    page: int = 1
    target: str = ""  # redirect: the URL path it points to


class BlogPlan:
    """Computed once per render from the snapshot, the build's time and whether drafts show."""

    def __init__(self, snapshot: ProjectSnapshot, now: str, drafts: bool, where: str):
        self.snapshot = snapshot
        self.where = where
        self.enabled = bool(snapshot.posts or snapshot.categories)
        self.drafts = drafts
        when = self.now = parse_time(now, f"{where}, build time")
        posts = snapshot.posts
        visible = [
            i for i, p in enumerate(posts) if is_visible(p, when, drafts, f"{where}, post {p.slug}")
        ]
        self.times = {i: self._times(posts[i]) for i in visible}
        # newest first; equal dates keep snapshot order
        self.order: list[int] = sorted(
            visible, key=lambda i: (posts[i].date, self.times[i][0]), reverse=True
        )
        self.position = {i: n for n, i in enumerate(self.order)}
        self.per_page = self._per_page(snapshot.settings.get("posts_per_page", DEFAULT_PER_PAGE))
        content = snapshot.settings.get("feed_content", "full")
        if content not in ("full", "excerpt"):
            raise RenderError(
                f"feed_content must be 'full' or 'excerpt', not {content!r}",
                where=f"{where}, settings",
            )
        self.full_content = content == "full"
        self.listings = self._listings() if self.enabled else []
        self.tag_sets = [frozenset(posts[i].tags) for i in self.order]  # by position
        self.summary_keys: dict[int, str] = {}
        self._lastmod: dict[int, str] = {}
        self.feed_links: dict[
            int, list[tuple[str, str, str]]
        ] = {}  # id(listing) -> the feeds its pages announce
        last = _RELATED[0]
        if (
            last is not None and last[0] == self.tag_sets
        ):  # same tags in the same order: same related posts
            self._related: dict[int, list[int]] = last[1]
        else:
            self._related = {}
            _RELATED[0] = (
                self.tag_sets,
                self._related,
            )  # filled by the dependency keys of listings
        self.by_term = {(lst.kind, lst.name): lst for lst in self.listings}

    def _times(self, post: PostSnapshot) -> tuple[datetime, datetime | None]:
        where = f"{self.where}, post {post.slug}"
        published = parse_time(post.published_at, f"{where}, published_at") or _day(post.date)
        updated = parse_time(post.updated_at, f"{where}, updated_at")
        return published, updated if updated is not None and updated > published else None

    def _per_page(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
            raise RenderError(
                f"posts_per_page must be a whole number from 1 to 1000, not {value!r}",
                where=f"{self.where}, settings",
            )
        return value

    def _listings(self) -> list[Listing]:
        posts = self.snapshot.posts
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for name in self.snapshot.categories:
            groups[("category", name)]
        for n, i in enumerate(self.order):
            post = posts[i]
            if post.category:
                groups[("category", post.category)].append(n)
            for tag in dict.fromkeys(post.tags):
                groups[("tag", tag)].append(n)
            if post.author:
                groups[("author", post.author)].append(n)
        result = [Listing("index", "", "blog", tuple(range(len(self.order))))]
        taken: set[str] = set()
        for kind, name in sorted(groups):
            slug = term_slug(name)
            base = f"blog/{kind}/{slug}"
            suffix = 2
            while (
                base in taken
            ):  # two names with the same slug: the later (sorted) one gets -2, -3...
                base = f"blog/{kind}/{slug}-{suffix}"
                suffix += 1
            taken.add(base)
            result.append(Listing(kind, name, base, tuple(groups[(kind, name)])))
        return result

    def lastmod(self, index: int) -> str:
        """When a visible post last changed, for the sitemap and feeds."""
        found = self._lastmod.get(index)
        if found is None:
            published, updated = self.times[index]
            found = self._lastmod[index] = iso(updated or published)
        return found

    def is_future(self, index: int) -> bool:
        """A SCHEDULED post shown only because drafts show (its time has not come)."""
        post = self.snapshot.posts[index]
        return post.status == SCHEDULED and (self.now is None or self.times[index][0] > self.now)

    def pages_of(self, listing: Listing) -> int:
        return max(1, -(-len(listing.posts) // self.per_page))

    def page_posts(self, listing: Listing, page: int) -> tuple[int, ...]:
        """Snapshot indices of the posts on page `page` (1-based) of `listing`."""
        chunk = listing.posts[(page - 1) * self.per_page : page * self.per_page]
        return tuple(self.order[n] for n in chunk)

    def feed_posts(self, listing: Listing) -> tuple[int, ...]:
        return tuple(self.order[n] for n in listing.posts[:FEED_ENTRIES])

    def outputs(self, taken: set[str]) -> list[Output]:
        """Every blog output except post pages; a path a page or post already writes is left to it."""
        found: list[Output] = []
        if not self.enabled:
            return found
        for listing in self.listings:
            for page in range(1, self.pages_of(listing) + 1):
                found.append(
                    Output(listing.url(page).strip("/") + "/index.html", "list", listing, page)
                )
            if listing.kind != "author":
                for kind, name in FEED_FILES:
                    found.append(Output(f"{listing.base}/{name}", f"feed-{kind}", listing))
        found.append(Output("blog/archive/index.html", "archive"))
        for i in self.order:
            post = self.snapshot.posts[i]
            for alias in dict.fromkeys(post.aliases):
                if (
                    not isinstance(alias, str)
                    or not _ALIAS.fullmatch(alias)
                    or alias.split("/")[0] == "assets"
                ):
                    raise RenderError(
                        f"alias {alias!r} is not a safe path ([a-z0-9-] segments)",
                        where=f"{self.where}, post {post.slug}, aliases",
                    )
                if alias != post.slug:
                    found.append(
                        Output(f"blog/{alias}/index.html", "redirect", target=f"/blog/{post.slug}/")
                    )
        result = []
        for output in found:
            if output.path in taken:
                continue
            taken.add(output.path)
            result.append(output)
        return result

    def neighbours(self, index: int) -> tuple[int | None, int | None]:
        """(older, newer) snapshot indices of a visible post."""
        n = self.position[index]
        older = self.order[n + 1] if n + 1 < len(self.order) else None
        newer = self.order[n - 1] if n > 0 else None
        return older, newer

    def related(self, index: int) -> list[int]:
        """Up to three posts sharing the most tags (newest first among equals); candidates are the
        nearest posts in each shared tag's date order, so a 10,000-post blog stays fast."""
        me = self.position[index]
        found = self._related.get(me)
        if found is None:
            found = self._related[me] = self._related_positions(me)
        return [self.order[n] for n in found]

    def _related_positions(self, me: int) -> list[int]:
        tags = self.tag_sets[me]
        if not tags:
            return []
        score: dict[int, int] = defaultdict(int)
        for tag in sorted(tags):
            members = self.by_term[("tag", tag)].posts
            at = _bisect(members, me)
            for n in members[max(0, at - _NEAR) : at + _NEAR + 1]:
                if n != me:
                    score[n] = len(tags & self.tag_sets[n])
        return sorted(score, key=lambda n: (-score[n], n))[:RELATED]


def _bisect(members: tuple[int, ...], value: int) -> int:
    lo, hi = 0, len(members)
    while lo < hi:
        mid = (lo + hi) // 2
        if members[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(value: str) -> datetime:
    """Midnight UTC of a yyyy-mm-dd date; the epoch when it is not one (the date is shown as written)."""
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return EPOCH


def reading_minutes(body: str) -> int:
    return max(1, -(-len(body.split()) // 200))
