"""The blog's feeds: Atom and RSS 2.0 made with feedgen, JSON Feed 1.1 as plain JSON.

Deterministic: every date comes from the posts (the newest entry dates the feed), never the clock.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from feedgen.feed import FeedGenerator

from bgpub.render.blog import EPOCH, Listing, Output, iso
from bgpub.render.blogpages import absolute

if TYPE_CHECKING:
    from bgpub.render.site import PageRenderer

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    """Text XML can carry (control characters a feed cannot hold are dropped)."""
    return _NOT_XML.sub("", value)


def _entries(pages: PageRenderer, listing: Listing) -> list[dict[str, Any]]:
    plan = pages.plan
    blog = plan.blog
    found = []
    for i in blog.feed_posts(listing):
        post = plan.snapshot.posts[i]
        published, updated = blog.times[i]
        url = absolute(plan, plan.url(f"/blog/{post.slug}/"))
        cover = plan.post_summary[post.slug]["cover"]
        found.append(
            {
                "post": post,
                "url": url,
                "published": published,
                "updated": updated or published,
                "html": str(pages.markdown.render(post.body, pages.prefix))
                if blog.full_content
                else "",
                "image": absolute(plan, cover.url) if cover is not None else "",
            }
        )
    return found


def _meta(pages: PageRenderer, listing: Listing) -> dict[str, str]:
    plan = pages.plan
    site = plan.site_base["title"]
    title = site if listing.kind == "index" else f"{site}: {listing.name}"
    return {
        "title": title,
        "home": absolute(plan, plan.url(listing.url())),
        "description": plan.snapshot.description or title,
    }


def _generator(
    pages: PageRenderer, listing: Listing, self_url: str, entries: list[dict[str, Any]]
) -> FeedGenerator:
    plan = pages.plan
    meta = _meta(pages, listing)
    updated = max((e["updated"] for e in entries), default=EPOCH)
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.id(meta["home"])
    feed.title(_text(meta["title"]))
    feed.subtitle(_text(meta["description"]))
    feed.author({"name": _text(plan.site_base["title"])})
    feed.link(href=meta["home"], rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.language(plan.snapshot.language or "en")
    feed.generator("bgpub")
    feed.updated(updated)
    feed.lastBuildDate(updated)
    for entry in entries:
        post = entry["post"]
        item = feed.add_entry(order="append")
        item.id(entry["url"])
        item.guid(entry["url"], permalink=True)
        item.title(_text(post.title))
        item.link(href=entry["url"])
        item.published(entry["published"])
        item.updated(entry["updated"])
        if post.author:
            item.author({"name": _text(post.author)})
            item.dc.dc_creator(_text(post.author))
        for term in ([post.category] if post.category else []) + list(dict.fromkeys(post.tags)):
            item.category(term=_text(term))
        if post.excerpt or not entry["html"]:
            item.summary(_text(post.excerpt or post.title))
        if entry["html"]:
            item.content(_text(entry["html"]), type="html")
    return feed


def atom(pages: PageRenderer, output: Output) -> bytes:
    listing = output.listing
    assert listing is not None
    self_url = absolute(pages.plan, pages.plan.url("/" + output.path))
    feed: bytes = _generator(pages, listing, self_url, _entries(pages, listing)).atom_str(
        pretty=True
    )
    return feed


def rss(pages: PageRenderer, output: Output) -> bytes:
    listing = output.listing
    assert listing is not None
    self_url = absolute(pages.plan, pages.plan.url("/" + output.path))
    feed: bytes = _generator(pages, listing, self_url, _entries(pages, listing)).rss_str(
        pretty=True
    )
    return feed


def json_feed(pages: PageRenderer, output: Output) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    listing = output.listing
    assert listing is not None
    plan = pages.plan
    meta = _meta(pages, listing)
    items = []
    for entry in _entries(pages, listing):
        post = entry["post"]
        item: dict[str, Any] = {
            "id": entry["url"],
            "url": entry["url"],
            "title": post.title,
            "date_published": iso(entry["published"]),
            "date_modified": iso(entry["updated"]),
        }
        if entry["html"]:
            item["content_html"] = entry["html"]
        else:
            item["content_text"] = post.excerpt or post.title
        if post.excerpt:
            item["summary"] = post.excerpt
        if post.author:
            item["authors"] = [{"name": post.author}]
        tags = ([post.category] if post.category else []) + list(dict.fromkeys(post.tags))
        if tags:
            item["tags"] = tags
        if entry["image"]:
            item["image"] = entry["image"]
        items.append(item)
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": meta["title"],
        "home_page_url": meta["home"],
        "feed_url": absolute(plan, plan.url("/" + output.path)),
        "description": meta["description"],
        "language": plan.snapshot.language or "en",
        "items": items,
    }
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


FORMATS: dict[str, Callable[[PageRenderer, Output], bytes]] = {
    "feed-atom": atom,
    "feed-rss": rss,
    "feed-json": json_feed,
}
