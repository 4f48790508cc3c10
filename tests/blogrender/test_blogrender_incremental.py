"""A one-post edit re-renders only the post, its neighbours, pages listing it, and the feeds carrying it."""

from __future__ import annotations

import re

from blogrender_support import BASE, NOW, blobs, replace_post, with_posts

from bgpub.render import BuildInfo, Renderer

BUILD = BuildInfo(now=NOW)


def _snapshot():
    return with_posts(40, settings={"base_url": BASE, "posts_per_page": 10})


def _pages_listing(files, slug: str) -> set[str]:
    """HTML outputs that link to the post (listings, neighbours, related posts, home's post list)."""
    return {
        p for p, d in files.items() if p.endswith(".html") and f'href="/blog/{slug}/"'.encode() in d
    }


def _feeds_with(files, slug: str) -> set[str]:
    return {
        p
        for p, d in files.items()
        if p.endswith(("atom.xml", "rss.xml", "feed.json")) and f"{BASE}/blog/{slug}/".encode() in d
    }


def test_a_body_edit_rerenders_the_post_and_the_feeds_carrying_it(library, themes):
    snap = _snapshot()
    renderer = Renderer(library, themes, blobs, workers=1)
    first = renderer.render(snap, BUILD)
    result = renderer.render(replace_post(snap, 20, body="A new body."), BUILD)
    feeds = _feeds_with(first.files, "post-20")
    # the blog's feed (it is among the 20 newest), its category's and its two tags'
    assert feeds == {
        f"{base}/{name}"
        for base in ("blog", "blog/category/even", "blog/tag/t2", "blog/tag/u0")
        for name in ("atom.xml", "rss.xml", "feed.json")
    }
    assert set(result.rendered) == {"blog/post-20/index.html"} | feeds
    assert b"A new body." in result.files["blog/post-20/index.html"]


def test_a_published_edit_touches_only_the_post_its_neighbours_listings_and_feeds(library, themes):
    snap = _snapshot()
    renderer = Renderer(library, themes, blobs, workers=1)
    first = renderer.render(snap, BUILD)
    edited = replace_post(snap, 20, title="Renamed", body="New.", updated_at="2026-05-01T00:00:00Z")
    result = renderer.render(edited, BUILD)
    rendered = set(result.rendered)
    linking = _pages_listing(first.files, "post-20")
    # pages with a blog-post-list block read every post's summary (home here): they re-render too
    allowed = (
        {"blog/post-20/index.html", "sitemap.xml", "index.html"}
        | linking
        | _feeds_with(first.files, "post-20")
        | {
            p for p in rendered if p.startswith("assets/social/blog-post-20.")
        }  # its share card: new title
    )
    assert rendered <= allowed, sorted(rendered - allowed)
    # the pages that show its title all changed
    assert {
        "blog/post-19/index.html",
        "blog/post-21/index.html",
        "blog/page/2/index.html",
        "blog/category/even/index.html",
        "blog/archive/index.html",
        "sitemap.xml",
    } <= rendered
    untouched = [p for p in first.files if p.endswith(".html") and p not in allowed]
    assert len(untouched) > 40 and not any(p in rendered for p in untouched)
    assert b"Renamed" in result.files["blog/page/2/index.html"]
    assert re.search(rb"<lastmod>2026-05-01T00:00:00Z</lastmod>", result.files["sitemap.xml"])


def test_incremental_output_equals_a_fresh_render(library, themes):
    snap = _snapshot()
    renderer = Renderer(library, themes, blobs, workers=1)
    renderer.render(snap, BUILD)
    edited = replace_post(snap, 5, title="Moved", tags=("new-tag",), category="Odd")
    incremental = dict(renderer.render(edited, BUILD).files.items())
    fresh = dict(Renderer(library, themes, blobs, workers=1).render(edited, BUILD).files.items())
    assert incremental == fresh
