"""Every feed read by feedparser (a real feed client): no bozo errors, entries, dates and absolute links."""

from __future__ import annotations

import json
from dataclasses import replace

import feedparser
import pytest
from blogrender_support import BASE, blog, post, render, replace_post, with_posts

FEEDS = ("atom.xml", "rss.xml", "feed.json")


def _feeds(files: dict[str, bytes]) -> dict[str, bytes]:
    return {p: d for p, d in files.items() if p.endswith(FEEDS)}


def test_every_feed_parses_cleanly_with_entries_dates_and_links(library, themes):
    snap = replace_post(with_posts(30), 29, cover="cover.png", updated_at="2026-09-01T00:00:00Z")
    files = render(snap, library, themes)
    feeds = _feeds(files)
    # the blog, each category and each tag, three formats each
    terms = 1 + 2 + len({t for p in snap.posts for t in p.tags})
    assert len(feeds) == 3 * terms
    for path, data in feeds.items():
        if path.endswith(".json"):
            continue
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.feed.link.startswith(BASE + "/blog/"), path
        assert 0 < len(parsed.entries) <= 20, path
        dates = [e.published_parsed for e in parsed.entries]
        assert all(dates) and dates == sorted(dates, reverse=True), path  # newest first
        for entry in parsed.entries:
            assert entry.link.startswith(f"{BASE}/blog/post-") and entry.link.endswith("/")
            assert files[entry.link[len(BASE) + 1 :] + "index.html"]  # links to a page that exists
            assert entry.title.startswith("Post ")
    atom = feedparser.parse(files["blog/atom.xml"])
    assert atom.feed.updated == "2026-09-01T00:00:00+00:00"  # the newest change, never the clock
    newest = atom.entries[0]
    assert (
        newest.content[0].value.strip() == "<p>Body of post 29.</p>"
        and newest.author == "Ann Author"
    )
    assert {t.term for t in newest.tags} == {"Odd", "t2", "u4"}
    rss = feedparser.parse(files["blog/rss.xml"])
    assert rss.version == "rss20" and atom.version == "atom10"
    assert (
        rss.entries[0].author == "Ann Author"
        and "Body of post 29." in rss.entries[0].content[0].value
    )


def test_json_feed_1_1(library, themes):
    snap = replace_post(with_posts(3), 2, cover="cover.png")
    data = json.loads(render(snap, library, themes)["blog/feed.json"])
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["home_page_url"] == f"{BASE}/blog/" and data["feed_url"] == f"{BASE}/blog/feed.json"
    assert [i["id"] for i in data["items"]] == [f"{BASE}/blog/post-{n}/" for n in (2, 1, 0)]
    first = data["items"][0]
    assert (
        first["date_published"] == "2026-01-03T00:00:00Z"
        and first["content_html"] == "<p>Body of post 2.</p>\n"
    )
    assert first["authors"] == [{"name": "Ann Author"}] and first["image"].startswith(
        f"{BASE}/assets/cover."
    )
    tag = json.loads(render(snap, library, themes)["blog/tag/t0/feed.json"])
    assert [i["id"] for i in tag["items"]] == [f"{BASE}/blog/post-0/"]


def test_excerpt_setting_leaves_the_body_out(library, themes):
    files = render(
        with_posts(3, settings={"base_url": BASE, "feed_content": "excerpt"}), library, themes
    )
    atom = feedparser.parse(files["blog/atom.xml"])
    assert (
        atom.bozo == 0
        and "content" not in atom.entries[0]
        and atom.entries[0].summary == "Excerpt 2"
    )
    assert (
        b"Body of post" not in files["blog/rss.xml"]
        and b"Body of post" not in files["blog/feed.json"]
    )
    with pytest.raises(Exception, match="feed_content"):
        render(with_posts(1, settings={"feed_content": "everything"}), library, themes)


def test_without_a_base_url_feeds_use_the_custom_domain_else_site_paths(library, themes):
    files = render(with_posts(2, settings={}, custom_domain="words.example.org"), library, themes)
    assert (
        feedparser.parse(files["blog/atom.xml"]).entries[0].link
        == "https://words.example.org/blog/post-1/"
    )
    bare = render(with_posts(2, settings={}), library, themes)
    parsed = feedparser.parse(
        bare["blog/atom.xml"],
        response_headers={
            "content-location": "https://x.test/blog/atom.xml",
            "content-type": "application/atom+xml",
        },
    )
    assert parsed.bozo == 0 and parsed.entries[0].link == "https://x.test/blog/post-1/"


def test_an_empty_blog_still_has_valid_feeds_dated_without_the_clock(library, themes):
    files = render(blog(()), library, themes)
    for path in ("blog/atom.xml", "blog/rss.xml"):
        parsed = feedparser.parse(files[path])
        assert parsed.bozo == 0 and parsed.entries == []
    assert b"1970-01-01" in files["blog/atom.xml"]
    assert files == render(blog(()), library, themes, now="2031-01-01T00:00:00Z")


def test_feeds_carry_at_most_twenty_posts_and_survive_control_characters(library, themes):
    snap = with_posts(25)
    snap = replace(
        snap,
        title="Journal\x0b",
        posts=(replace(snap.posts[0], title="Bell\x07 post"), *snap.posts[1:]),
    )
    files = render(snap, library, themes)
    parsed = feedparser.parse(files["blog/atom.xml"])
    assert parsed.bozo == 0 and len(parsed.entries) == 20
    tagged = feedparser.parse(files["blog/tag/t0/rss.xml"])
    assert tagged.bozo == 0 and any(e.title == "Bell post" for e in tagged.entries)


def test_feed_dates_come_from_posts(library, themes):
    snap = blog((post(1, published_at="2026-02-03T04:05:06Z"),))
    parsed = feedparser.parse(render(snap, library, themes)["blog/rss.xml"])
    assert parsed.entries[0].published == "Tue, 03 Feb 2026 04:05:06 +0000"
    assert parsed.feed.updated == "Tue, 03 Feb 2026 04:05:06 +0000"
