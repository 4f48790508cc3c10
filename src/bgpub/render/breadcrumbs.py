"""schema.org JSON-LD of site pages: `WebSite` and `Organization` on the home page, a `BreadcrumbList`
(home, then each parent page that exists, then the page) on every other page and post."""

from __future__ import annotations

import itertools
import operator
from typing import TYPE_CHECKING, Any

from bgpub.render.blogpages import absolute
from bgpub.render.jsonld import breadcrumbs_jsonld, site_jsonld

if TYPE_CHECKING:
    from bgpub.render.plan import SitePlan
    from bgpub.snapshot import PageSnapshot

BLOG_INDEX = "blog/index.html"
# (the plan's page paths, indices of the parent pages in slug order) of the last plan asked
_PARENTS: list[Any] = [None]
_BY_SLUG: list[Any] = [
    None
]  # (the pages tuple, its home index, {slug: index}, the plan's page paths) of the last plan asked


def _home(plan: SitePlan) -> tuple[str, str]:
    """The first crumb: the site's title (part of every output's dependency key) and its address."""
    return (plan.site_base["title"], absolute(plan, plan.page_urls[plan.home]))


def parent_titles(
    pages: tuple[PageSnapshot, ...], paths: list[str] | None = None
) -> list[tuple[str, str]]:
    """(slug, title) of every page another page sits under (`guides` for `guides/setup`): what a
    page's breadcrumbs read of other pages, so the incremental renderer keys pages on it. With the
    plan's page paths (the very list a plan reuses while slugs, home and base URL stay), which
    pages are parents is found once per set of slugs: a save keys 100,000 pages again."""
    memo = _PARENTS[0]
    if memo is not None and paths is not None and memo[0] is paths:
        found: list[int] = memo[1]
    else:
        slugs = list(map(operator.attrgetter("slug"), pages))
        # nested slugs found at C speed: most sites have none
        nested = itertools.compress(slugs, map(operator.contains, slugs, itertools.repeat("/")))
        parents = {slug.rsplit("/", 1)[0] for slug in nested}
        while any("/" in slug and slug.rsplit("/", 1)[0] not in parents for slug in parents):
            parents |= {slug.rsplit("/", 1)[0] for slug in parents if "/" in slug}
        found = sorted(
            itertools.compress(itertools.count(), map(parents.__contains__, slugs)),
            key=slugs.__getitem__,
        )
        _PARENTS[0] = (paths, found) if paths is not None else None
    return [(pages[i].slug, pages[i].title) for i in found]


def _slug_index(
    pages: tuple[PageSnapshot, ...], home: int, paths: list[str] | None = None
) -> dict[str, int]:
    """Page index by slug (the home page left out), built once per snapshot: built per page, it made
    a 10,000-page build quadratic (10,000 dicts of 10,000 entries, ~28% of the workers' time).
    With the plan's page paths (the very list a plan reuses while slugs, home and base URL stay),
    once per set of slugs: a preview's save renders one page of a new snapshot, and indexing
    10,000 slugs again for it was ~4 ms."""
    memo = _BY_SLUG[0]
    same = (
        memo is not None
        and (memo[0] is pages or (paths is not None and memo[3] is paths))
        and memo[1] == home
    )
    if not same:
        memo = _BY_SLUG[0] = (
            pages,
            home,
            {p.slug: i for i, p in enumerate(pages) if i != home},
            paths,
        )
    assert memo is not None
    index: dict[str, int] = memo[2]
    return index


def page_jsonld(plan: SitePlan, index: int) -> str:
    """The structured data of page `index`: the site's on the home page, its breadcrumbs elsewhere."""
    if index == plan.home:
        _, url = _home(plan)
        return site_jsonld(
            plan.site_base["title"], url, plan.snapshot.description, plan.site_base["language"]
        )
    pages = plan.snapshot.pages
    by_slug = _slug_index(pages, plan.home, plan.page_paths)
    trail = [_home(plan)]
    parts = pages[index].slug.split("/")
    for depth in range(1, len(parts)):  # `guides/setup` under an existing `guides` page
        parent = by_slug.get("/".join(parts[:depth]))
        if parent is not None:
            trail.append((pages[parent].title, absolute(plan, plan.page_urls[parent])))
    trail.append((pages[index].title, absolute(plan, plan.page_urls[index])))
    return breadcrumbs_jsonld(trail)


def post_breadcrumbs(plan: SitePlan, index: int) -> str:
    """Home, the blog index (when the site has one), then post `index` (a snapshot index)."""
    post = plan.snapshot.posts[index]
    trail = [_home(plan)]
    if any(output.path == BLOG_INDEX for output in plan.blog_outputs):
        trail.append(("Blog", absolute(plan, plan.url("/blog/"))))
    trail.append((post.title, absolute(plan, plan.url(f"/blog/{post.slug}/"))))
    return breadcrumbs_jsonld(trail)


def listing_breadcrumbs(plan: SitePlan, title: str, url: str) -> str:
    """Home, the blog index (unless this is it), then a blog listing (tag, category, archive, page n)."""
    trail = [_home(plan)]
    blog = plan.url("/blog/")
    if url != blog and any(output.path == BLOG_INDEX for output in plan.blog_outputs):
        trail.append(("Blog", absolute(plan, blog)))
    trail.append((title, absolute(plan, url)))
    return breadcrumbs_jsonld(trail)
