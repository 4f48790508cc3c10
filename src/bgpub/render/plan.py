"""What a snapshot becomes before any page renders: output paths, URLs, nav, assets, CSS, posts, products."""

from __future__ import annotations

import bisect
import hashlib
import itertools
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from markupsafe import Markup

from bgpub.domain.enums import PostStatus
from bgpub.domain.slugs import RESERVED_PAGE_SLUGS, is_page_slug, is_reserved_page_slug, is_slug
from bgpub.errors import BgpubError, RenderError
from bgpub.render.artwork import accent, is_themable, recolour
from bgpub.render.beacon import THANKS_PATH, collector_of, has_collector
from bgpub.render.blog import BlogPlan
from bgpub.render.components import ComponentLibrary
from bgpub.render.environment import base_path, make_url
from bgpub.render.fonts import site_fonts
from bgpub.render.fontsubset import VERSION as FONTS_VERSION
from bgpub.render.images import ImageSet, focal_point, picture_html
from bgpub.render.sections import SectionPlan
from bgpub.render.shop import ShopPlan
from bgpub.render.site_images import CardParts, SiteImages
from bgpub.render.sitemap import is_w3c_datetime
from bgpub.render.themes import Theme, ThemeSet
from bgpub.snapshot import ProjectSnapshot

_STEM = re.compile(r"[^a-z0-9-]+")
MIME_EXT = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
    "image/avif": "avif",
    "application/pdf": "pdf",
}


_SLUG, _IN_NAV = operator.attrgetter("slug"), operator.attrgetter("show_in_nav")
_IS_HOME = operator.attrgetter("is_home")
_NOINDEX, _CANONICAL = operator.attrgetter("noindex"), operator.attrgetter("canonical_url")
# The last plan's page cards: [what they depend on beyond the pages, the pages, their card parts]
_PAGE_CARDS: list[Any] = [None, (), []]
CARRIED_CHANGES = 500  # more changed pages than this: every card is planned again
# (what the last sitemap was made of, its files' bytes, its lines, whether every entry had its own
# date, its files' dependency keys)
_SITEMAP: list[Any] = [None]
SITEMAP_MAX_URLS = 50_000  # the most URLs one sitemap may list (sitemaps.org)
SITEMAP_PART_URLS = 10_000  # a longer site's sitemap parts: a save rewrites one
# (base URL, home, pages, slugs, page paths, page URLs, nav) of the last plan
_PAGE_PLAN: list[Any] = [None]
# (pages, indices of those the sitemap leaves out, their stored dates) of the last sitemap
_SITEMAP_PAGES: list[Any] = [None]


@dataclass(frozen=True)
class BuildInfo:
    """Anything a build needs from outside the snapshot (never the clock): the public base URL, the
    build's time (ISO 8601 UTC: scheduled posts due by then are published) and whether drafts show
    (the preview)."""

    base_url: str = ""
    now: str = ""
    drafts: bool = False


@dataclass(frozen=True)
class AssetRef:
    """An asset as templates see it."""

    name: str
    url: str
    alt: str
    width: int | None
    height: int | None
    mime: str
    images: ImageSet | None = None  # responsive renditions (raster images), see render/images.py
    focus_x: float = 0.5  # focal point, 0..1 from the left and the top: where crops centre
    focus_y: float = 0.5

    def __str__(self) -> str:
        return self.url

    def picture(self, alt: str | None = None, **options: Any) -> Markup:
        """`<picture>`/`srcset` markup for templates: `{{ image.picture(cls="x", priority=true) }}`."""
        return picture_html(self, alt, **options)

    @property
    def position(self) -> str:
        """The focal point as a CSS `object-position` value."""
        return f"{self.focus_x * 100:g}% {self.focus_y * 100:g}%"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_slug(slug: str, where: str, *, page: bool = True) -> None:
    """Refuses a slug the services would refuse, by the one rule of `bgpub.domain.slugs`: a page's
    slug may nest with `/` and never starts with one of the site's own names; a post's is one slug."""
    if page:
        safe = is_page_slug(slug) and not is_reserved_page_slug(slug)
        rule = f"in / segments, not {', '.join(sorted(RESERVED_PAGE_SLUGS))}"
    else:
        safe, rule = is_slug(slug), "one segment"
    if not safe:
        raise RenderError(
            f"slug {slug!r} is not a safe path (lower-case words and digits joined by single "
            f"hyphens, {rule})",
            where=where,
        )


def asset_filename(name: str, digest: str, mime: str) -> str:
    """`Team Photo.JPG` -> `assets/team-photo.<hash12>.jpg`: content-hashed, safe on every host."""
    path = PurePosixPath(name)
    ext = _STEM.sub("", path.suffix.lower().lstrip(".")) or MIME_EXT.get(mime, "bin")
    stem = _STEM.sub("-", path.stem.lower()).strip("-") or "asset"
    return f"assets/{stem[:60]}.{digest[:12]}.{ext}"


class SitePlan:
    """The site-level facts every page shares, computed once per snapshot."""

    def __init__(
        self,
        snapshot: ProjectSnapshot,
        library: ComponentLibrary,
        themes: ThemeSet,
        blobs: Callable[[str], bytes],
        build: BuildInfo,
    ):
        self.snapshot = snapshot
        self.library = library
        self.build = build
        self.where = f"project {snapshot.name}"
        self.base_url = (build.base_url or str(snapshot.settings.get("base_url") or "")).rstrip("/")
        if self.base_url and not re.match(
            r"^https?://[^\s/?#<>\"'`]+(/[^\s?#<>\"'`]*)?$", self.base_url
        ):
            raise RenderError(
                f"base_url {self.base_url!r} must be an http(s) URL",
                where=f"{self.where}, settings",
            )
        self.url = make_url(base_path(self.base_url))
        try:
            self.theme_chain: list[Theme] = themes.chain(
                snapshot.theme, where=f"{self.where}, theme"
            )
            css = themes.stylesheet(
                snapshot.theme, snapshot.theme_overrides, where=f"{self.where}, theme"
            )
        except BgpubError as exc:
            raise RenderError(exc.message, where=exc.where) from exc
        self.fonts = site_fonts(
            themes, snapshot, self.theme_chain, self.url, self.where, FONTS_VERSION
        )
        self.css = (self.fonts.css + css + library.stylesheet()).encode("utf-8")
        self.css_path = f"assets/style.{sha(self.css)[:12]}.css"
        self.css_url = self.url("/" + self.css_path)
        try:
            tokens = themes.tokens(
                snapshot.theme, snapshot.theme_overrides, where=f"{self.where}, theme"
            )
        except BgpubError as exc:
            raise RenderError(exc.message, where=exc.where) from exc
        self.images = SiteImages(snapshot, self.theme_chain, tokens, self.url, self.where)
        self.accent = accent(
            tokens.get("color-primary", "")
        )  # opted-in SVG artwork takes it (render/artwork.py)
        self._plan_assets(blobs)
        self.blog = BlogPlan(snapshot, build.now, build.drafts, self.where)
        self.sections = SectionPlan(snapshot, self.where)  # shared header, footer, named sections
        self._plan_pages()
        self.posts = self._plan_posts()
        self.post_summary = {p["slug"]: p for p in self.posts}
        self._plan_cards()
        self.shop = ShopPlan(self)  # product and collection pages (render/shop.py)
        self.products = self.shop.cards
        # dependency keys of site files the plan names without hashing their bytes (the sitemap)
        self.file_keys: dict[str, str] = {}
        self.collector = collector_of(snapshot.settings)
        # with a collector, forms thank visitors on /thanks/: generated unless a page has that slug
        taken = not has_collector(self.collector) or THANKS_PATH in self.page_paths
        self.thanks_path: str | None = None if taken else THANKS_PATH
        self.site_base: dict[str, Any] = {
            "title": snapshot.title or snapshot.name,
            "description": snapshot.description,
            "language": snapshot.language or "en",
            "settings": dict(snapshot.settings),
            "posts": self.posts,
            "products": self.products,
            "base_url": self.base_url,
        }

    def _plan_assets(self, blobs: Callable[[str], bytes]) -> None:
        self.asset_refs: dict[str, AssetRef] = {}
        self.asset_files: dict[str, str] = {}  # output path -> blob hash
        self.themed_files: set[str] = set()  # output paths of SVG artwork recoloured to the accent
        self._blobs = blobs
        for asset in self.snapshot.assets:
            path = asset_filename(asset.name, asset.hash, asset.mime)
            if asset.mime == "image/svg+xml" and self.accent and self._themable(asset.hash, path):
                path = asset_filename(
                    asset.name, sha(f"{asset.hash}:{self.accent}".encode()), asset.mime
                )
                self.themed_files.add(path)
            images = self.images.plan_asset(
                asset, path
            )  # raster images: cleaned renditions instead
            if images is None:
                self.asset_files[path] = asset.hash
            self.asset_refs[asset.name] = AssetRef(
                asset.name,
                self.url("/" + path),
                asset.alt,
                images.width if images else asset.width,
                images.height if images else asset.height,
                asset.mime,
                images,
                *focal_point(asset),
            )

    def asset_bytes(self, path: str) -> bytes:
        digest = self.asset_files[path]
        try:
            data = self._blobs(digest)
        except Exception as exc:  # a store failure names the asset, not a KeyError
            raise RenderError(
                f"asset bytes {digest} are missing from the blob store", where=path
            ) from exc
        if sha(data) != digest:
            raise RenderError(f"asset bytes do not match their hash {digest}", where=path)
        return recolour(data, self.accent) if path in self.themed_files else data

    def _themable(self, digest: str, path: str) -> bool:
        """Whether an SVG asset opts in to the theme's accent (its bytes are read once per hash)."""
        try:
            return is_themable(digest, lambda: self._blobs(digest))
        except Exception as exc:  # a store failure names the asset, not a KeyError
            raise RenderError(
                f"asset bytes {digest} are missing from the blob store", where=path
            ) from exc

    def _plan_pages(self) -> None:
        pages = self.snapshot.pages
        if not pages:
            raise RenderError("the project has no pages", where=self.where)
        self.home = next(itertools.compress(itertools.count(), map(_IS_HOME, pages)), 0)
        self.page_paths: list[str]
        self.page_urls: list[str]
        last = _PAGE_PLAN[0]
        # the pages that are not the last plan's objects (a preview's save: one of 100,000); None
        # when they cannot be told apart so (a new snapshot, another site, many changes)
        changed: list[int] | None = None
        if (
            last is not None
            and last[:2] == (self.base_url, self.home)
            and len(last[2]) == len(pages)
        ):
            changed = list(
                itertools.compress(itertools.count(), map(operator.is_not, last[2], pages))
            )
            if len(changed) > CARRIED_CHANGES:
                changed = None
        if changed is not None and all(pages[i].slug == last[2][i].slug for i in changed):
            slugs, self.page_paths, self.page_urls = last[3], last[4], last[5]
        else:
            changed = None
            slugs = tuple(map(_SLUG, pages))
            if last is not None and last[:2] == (self.base_url, self.home) and last[3] == slugs:
                self.page_paths, self.page_urls = last[4], last[5]  # same slugs: same paths, URLs
            else:
                self._page_paths(pages)
        # the menu: the last one while no page that is or was in it changed
        in_menu = changed is None or any(
            pages[i].show_in_nav or last[2][i].show_in_nav for i in changed
        )
        if in_menu:
            self.nav = [
                (pages[i].title, self.page_urls[i], i)
                for i in itertools.compress(itertools.count(), map(_IN_NAV, pages))
            ]
        else:
            self.nav = last[6]
        _PAGE_PLAN[0] = (
            self.base_url,
            self.home,
            pages,
            slugs,
            self.page_paths,
            self.page_urls,
            self.nav,
        )
        self.post_paths: list[str] = []
        self.post_indices = sorted(self.blog.order)  # snapshot indices of the posts that render
        seen = set(self.page_paths) if self.snapshot.posts else set()
        for post in (self.snapshot.posts[i] for i in self.post_indices):
            where = f"{self.where}, post {post.slug}"
            check_slug(post.slug, where, page=False)
            path = f"blog/{post.slug}/index.html"
            if path in seen:
                raise RenderError(f"two outputs write {path}", where=where)
            seen.add(path)
            self.post_paths.append(path)
        seen.update(("404.html", THANKS_PATH))
        self.blog_outputs = self.blog.outputs(seen)

    def _page_paths(self, pages: tuple[Any, ...]) -> None:
        self.page_paths = []
        self.page_urls = []
        seen: dict[str, str] = {}
        for i, page in enumerate(pages):
            where = f"{self.where}, page {page.slug}"
            if i == self.home:
                path, url = "index.html", "/"
            else:
                check_slug(page.slug, where)
                path, url = f"{page.slug}/index.html", f"/{page.slug}/"
            if path in seen:
                raise RenderError(f"two pages write {path} (slug {page.slug!r})", where=where)
            seen[path] = page.slug
            self.page_paths.append(path)
            self.page_urls.append(self.url(url))

    def _plan_cards(self) -> None:
        """A share card per page and post (a post's cover cropped when it has one) and one for the site."""
        snap, images = self.snapshot, self.images
        seo_image = snap.settings.get("seo_image")  # the site's chosen share image: pages show it
        site = images.card_parts("site", snap.title or snap.name, seo_image)
        images.add_cards([site])
        self.site_card = site[2]
        parts, base = self._page_card_parts(site, seo_image)
        images.set_page_cards(parts, base)
        self.page_cards = _CardUrls(parts)
        self.post_cards = {
            i: images.card(f"blog-{snap.posts[i].slug}", snap.posts[i].title, snap.posts[i].cover)
            for i in self.post_indices
        }

    def _page_card_parts(
        self, site: CardParts, seo_image: Any
    ) -> tuple[list[CardParts], tuple[list[CardParts], list[int]] | None]:
        """Each page's share card (path, job, URL): its own image cropped, the site's image, or a
        drawn card. A running preview plans 100,000 of them on every save (~150 ms) while its
        unchanged pages keep their objects from one snapshot to the next, so the last plan's cards
        are carried over when the site's side is the same and only the pages that are not the same
        objects are planned again (a new process, or many changes, plans them all). With the
        parts, (the last plan's list, the indices planned again) when they were carried over."""
        images, pages, home = self.images, self.snapshot.pages, self.home
        site_crops = images.crops(seo_image)

        def one(i: int, p: Any) -> CardParts:
            slug, title = (p.slug if i != home else "home"), p.seo_title or p.title
            if self._social_image(p):
                return images.card_parts(slug, title, p.social_image)
            return site if site_crops else images.card_parts(slug, title)

        # what a page's card depends on beyond the page: the site's name, tokens, font and URL
        # prefix, its share image, which page is home, the assets and which of them can be cropped
        context = (images.shared, seo_image, home, self.snapshot.assets, tuple(images.sets))
        last_context, last_pages, last_parts = _PAGE_CARDS
        if last_context == context and len(last_pages) == len(pages):
            changed = list(
                itertools.compress(itertools.count(), map(operator.is_not, last_pages, pages))
            )
            if len(changed) <= CARRIED_CHANGES:
                parts = list(last_parts)
                for i in changed:
                    parts[i] = one(i, pages[i])
                _PAGE_CARDS[:] = [context, pages, parts]
                return parts, (last_parts, changed)
        parts = [one(i, p) for i, p in enumerate(pages)]
        _PAGE_CARDS[:] = [context, pages, parts]
        return parts, None

    def _social_image(self, page: Any) -> bool:
        """True when the page has its own share image (which must be an asset; one that cannot be
        cropped, such as an SVG, leaves the page with the site's card)."""
        name = getattr(page, "social_image", "")
        if not name:  # most pages: no place to format for an error that cannot happen
            return False
        self.asset(name, f"{self.where}, page {page.slug}, social_image")
        return self.images.crops(name)

    def nav_for(self, current: int | None) -> list[dict[str, Any]]:
        return [{"label": label, "url": url, "current": i == current} for label, url, i in self.nav]

    def asset(self, name: str | None, where: str) -> AssetRef | None:
        if not name:
            return None
        if name not in self.asset_refs:
            raise RenderError(f"asset {name!r} does not exist in this project", where=where)
        return self.asset_refs[name]

    def _plan_posts(self) -> list[dict[str, Any]]:
        order = self.blog.order
        self.post_order = order
        result = []
        for i in order:
            post = self.snapshot.posts[i]
            result.append(
                {
                    "title": post.title,
                    "url": self.url(f"/blog/{post.slug}/"),
                    "excerpt": post.excerpt,
                    "date": post.date,
                    "author": post.author,
                    "slug": post.slug,
                    "category": post.category,
                    "tags": list(post.tags),
                    "lastmod": self.blog.lastmod(i),
                    "draft": post.status not in (PostStatus.PUBLISHED, PostStatus.SCHEDULED)
                    or self.blog.is_future(i),
                    "cover": self.asset(post.cover, f"{self.where}, post {post.slug}, cover"),
                }
            )
        return result

    def canonical(self, url: str) -> str:
        if not self.base_url:
            return ""
        return self.base_url + url[len(base_path(self.base_url)) :]

    def sitemaps(self, blog_entries: tuple[tuple[str, str], ...] = ()) -> dict[str, bytes]:
        """sitemap.xml: every page and post URL, except pages marked noindex or crediting another
        address (`canonical_url`: a sitemap lists canonical addresses only), each with a
        `<lastmod>` (its stored last edit, its post's, or from `blog_entries`, (url, lastmod) of
        listings and products; else `bgpub.render.sitemap`'s fallback). With more URLs than one
        sitemap may list (`SITEMAP_MAX_URLS`, the protocol's 50,000), sitemap.xml is an index of
        sitemap-1.xml, sitemap-2.xml... of `SITEMAP_PART_URLS` each: search engines refuse a longer
        one, and a save rewrites only the part its page is in."""
        hidden, edited = _listed_and_dated(self.snapshot.pages)
        post_dates = tuple((p["url"], p["lastmod"]) for p in self.posts)
        # a URL without its own date gets the site's newest known change; dates are checked once
        # each (a site's pages share few distinct stamps)
        valid = {
            d
            for d in {*edited, *(d for _, d in post_dates), *(d for _, d in blog_entries)}
            if is_w3c_datetime(d)
        }
        fallback = max(valid, default="")
        memo_key = (
            self.base_url,
            self.page_urls,
            hidden,
            post_dates,
            blog_entries,
            edited,
            fallback,
        )
        last = _SITEMAP[0]
        if last is not None and last[0] == memo_key:
            self.file_keys.update(last[4])
            return dict(last[1])
        patched = _patched_sitemap(self, last, memo_key, valid)
        edits: list[tuple[int, str]] | None = None
        if patched is not None:
            lines, dated, edits = patched
        else:
            skip = set(hidden)
            entries = [
                (self.canonical(u) or u, edited[i])
                for i, u in enumerate(self.page_urls)
                if i not in skip
            ]
            entries += [(self.canonical(u) or u, lastmod) for u, lastmod in post_dates]
            entries += [(self.canonical(u) or u, lastmod) for u, lastmod in blog_entries]
            dated = all(lastmod in valid for _, lastmod in entries)
            lines = [
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            ]
            lines += [
                _sitemap_line(loc, lastmod if lastmod in valid else fallback)
                for loc, lastmod in entries
            ]
            lines.append("</urlset>\n")
        files, keys = self._sitemap_files(lines, last if edits is not None else None, edits or [])
        self.file_keys.update(keys)
        _SITEMAP[0] = (memo_key, files, lines, dated, keys)
        return dict(files)

    def _sitemap_files(
        self, lines: list[str], last: Any, edits: list[tuple[int, str]]
    ) -> tuple[dict[str, bytes], dict[str, str]]:
        """The sitemap's files and their dependency keys from its lines (XML declaration, urlset,
        one line per URL, end); with `last` (the memo the lines were patched from, `edits` the
        lines written again), what no edit touched is kept as it was."""
        count = len(lines) - 3
        if count <= SITEMAP_MAX_URLS:
            data = "\n".join(lines).encode("utf-8")
            if last is not None and list(last[4]) == ["sitemap.xml"]:
                # the last key and the lines written again name the bytes without hashing them all
                # (~7 MB at 100,000 pages, ~6% of a preview's save): equal keys, equal bytes
                key = last[4]["sitemap.xml"]
                return {"sitemap.xml": data}, {
                    "sitemap.xml": _sitemap_key(key, *edits) if edits else key
                }
            return {"sitemap.xml": data}, {"sitemap.xml": _sitemap_key(data)}
        head, end = lines[:2], lines[-1]
        starts = range(0, count, SITEMAP_PART_URLS)
        names = [f"sitemap-{n + 1}.xml" for n in range(len(starts))]
        touched = None
        if last is not None and list(last[4]) == ["sitemap.xml", *names]:
            touched = {(at - 2) // SITEMAP_PART_URLS for at, _ in edits}
        files: dict[str, bytes] = {}
        keys: dict[str, str] = {}
        for name, start in zip(names, starts, strict=True):
            if touched is not None and (start // SITEMAP_PART_URLS) not in touched:
                files[name], keys[name] = last[1][name], last[4][name]
                continue
            part = lines[2 + start : 2 + min(start + SITEMAP_PART_URLS, count)]
            files[name] = "\n".join([*head, *part, end]).encode("utf-8")
            keys[name] = _sitemap_key(files[name])
        index = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        for name in names:
            url = self.url("/" + name)
            index.append(f"<sitemap><loc>{_xml(self.canonical(url) or url)}</loc></sitemap>")
        index.append("</sitemapindex>\n")
        data = "\n".join(index).encode("utf-8")
        return {"sitemap.xml": data, **files}, {"sitemap.xml": _sitemap_key(data), **keys}

    def robots(self) -> bytes:
        text = "User-agent: *\nAllow: /\n"
        if self.base_url:
            text += f"Sitemap: {self.canonical(self.url('/sitemap.xml'))}\n"
        return text.encode("utf-8")


class _CardUrls:
    """The pages' share-card URLs by page index, read from their (path, job, URL) parts: a plan of
    100,000 pages does not copy them into a list of its own."""

    __slots__ = ("_parts",)

    def __init__(self, parts: list[CardParts]):
        self._parts = parts

    def __getitem__(self, index: int) -> str:
        return self._parts[index][2]

    def __len__(self) -> int:
        return len(self._parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _CardUrls) and list(self) == list(other)

    def __iter__(self) -> Iterator[str]:
        return map(operator.itemgetter(2), self._parts)

    __hash__ = None  # type: ignore[assignment]  # mutable content, as a list's


def _listed_and_dated(pages: tuple[Any, ...]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(indices of the pages the sitemap leaves out, every page's stored date), from the last
    sitemap's for the pages that are the same objects when few changed: a save changes one page of
    100,000, and the whole pass at C speed was still ~7% of it."""
    last = _SITEMAP_PAGES[0]
    changed: list[int] | None = None
    if last is not None and len(last[0]) == len(pages):
        changed = list(itertools.compress(itertools.count(), map(operator.is_not, last[0], pages)))
        if len(changed) > CARRIED_CHANGES:
            changed = None
    if changed is None or last is None:
        hidden = tuple(
            itertools.compress(
                itertools.count(),
                map(any, zip(map(_NOINDEX, pages), map(_CANONICAL, pages), strict=True)),
            )
        )
        edited = tuple(map(getattr, pages, itertools.repeat("updated_at"), itertools.repeat("")))
    elif not changed:
        hidden, edited = last[1], last[2]
    else:
        left_out = set(last[1]).difference(changed)
        left_out.update(i for i in changed if pages[i].noindex or pages[i].canonical_url)
        hidden = tuple(sorted(left_out))
        dates = list(last[2])
        for i in changed:
            dates[i] = getattr(pages[i], "updated_at", "")
        edited = tuple(dates)
    _SITEMAP_PAGES[0] = (pages, hidden, edited)
    return hidden, edited


def _sitemap_key(*parts: object) -> str:
    """The sitemap's dependency key: of its bytes, or of the last key and the lines written again."""
    h = hashlib.blake2b(b"sitemap", digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        h.update(b"\0")
    return "sitemap:" + h.hexdigest()


def _sitemap_line(loc: str, lastmod: str) -> str:
    return f"<url><loc>{_xml(loc)}</loc>{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}</url>"


def _patched_sitemap(
    plan: SitePlan, last: Any, memo_key: tuple[Any, ...], valid: set[str]
) -> tuple[list[str], bool, list[tuple[int, str]]] | None:
    """The last sitemap's lines with only the pages whose stored date changed written again, when
    nothing else changed (a save: one page's date of 10,000) and no entry takes the newest date
    in place of its own (which a save moves); None when it must be written whole. (lines, whether
    every entry has its own date, the lines written again with their index)."""
    if last is None:
        return None
    old_key, _, old_lines, dated, _ = last
    base_url, page_urls, hidden, post_dates, blog_entries, edited, fallback = memo_key
    if (
        old_key[:5] != (base_url, page_urls, hidden, post_dates, blog_entries)
        or (old_key[6] != fallback and not dated)
        or len(old_key[5]) != len(edited)
    ):
        return None
    lines = list(old_lines)
    edits = []
    for i in itertools.compress(itertools.count(), map(operator.ne, old_key[5], edited)):
        at = bisect.bisect_left(hidden, i)
        if at < len(hidden) and hidden[at] == i:
            continue  # not listed
        url = page_urls[i]
        own = edited[i] in valid
        dated = dated and own
        line = _sitemap_line(plan.canonical(url) or url, edited[i] if own else fallback)
        if line != lines[2 + i - at]:
            lines[2 + i - at] = line
            edits.append((2 + i - at, line))
    return lines, dated, edits


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
