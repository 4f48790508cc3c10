"""Blog pages: post details, pagination edges, taxonomy/author/archive pages, visibility, redirects, JSON-LD."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from blogrender_support import (
    BASE,
    NOW,
    blog,
    comment,
    html_pages,
    json_ld,
    post,
    render,
    replace_post,
    strict_html,
    tree,
    with_posts,
)

from bgpub.errors import RenderError


def _links(data: bytes, rel: str) -> list[str]:
    return [
        e.get("href") for e in tree(data).iter() if e.tag in ("a", "link") and e.get("rel") == rel
    ]


def _post_slugs(data: bytes) -> list[str]:
    return re.findall(r'class="blog-list__title"><a href="/blog/([^/]+)/"', data.decode())


def test_every_page_parses_strictly_and_announces_the_feeds(library, themes):
    files = render(with_posts(12), library, themes)
    for path, data in html_pages(files).items():
        assert strict_html(data) == [], path
        head = tree(data).find("head")
        alternates = {
            (e.get("type"), e.get("href")) for e in head.iter("link") if e.get("rel") == "alternate"
        }
        assert {
            ("application/atom+xml", "/blog/atom.xml"),
            ("application/rss+xml", "/blog/rss.xml"),
            ("application/feed+json", "/blog/feed.json"),
        } <= alternates, path
        if path.startswith("blog/tag/t1/"):  # a listing also announces its own feeds
            assert ("application/atom+xml", "/blog/tag/t1/atom.xml") in alternates


def test_post_page_shows_everything_a_reader_expects(library, themes):
    posts = tuple(post(n) for n in range(6))
    posts = (
        posts[:3]
        + (
            post(
                3,
                cover="cover.png",
                published_at="2026-01-04T08:30:00Z",
                updated_at="2026-02-01T09:00:00Z",
                tags=("t0", "u3"),
                comments=(
                    comment("Bea", "First!\n\nSecond paragraph."),
                    comment("Spammer", "buy now", status="SPAM"),
                    comment("Waiting", "pending text", status="PENDING"),
                ),
            ),
        )
        + posts[4:]
    )
    files = render(blog(posts), library, themes)
    page = files["blog/post-3/index.html"]
    text = page.decode()
    assert '<time datetime="2026-01-04T08:30:00Z">' in text  # published
    assert '<time datetime="2026-02-01T09:00:00Z">' in text and "Updated" in text
    assert 'href="/blog/author/ann-author/" rel="author"' in text and "1 min read" in text
    assert (
        'href="/blog/category/odd/" rel="tag"' in text and 'href="/blog/tag/t0/" rel="tag"' in text
    )
    assert _links(page, "prev") == ["/blog/post-2/"] and _links(page, "next") == ["/blog/post-4/"]
    assert re.search(
        r'<picture><source type="image/[a-z]+" srcset="/assets/cover-\d+\.[0-9a-f]{12}\.[a-z]+ \d+w"'
        r'.*?<img src="/assets/cover-\d+\.[0-9a-f]{12}\.png" srcset="[^"]+" sizes="[^"]+" alt="A cover"',
        text,
    )
    related = re.findall(r'<li><a href="/blog/(post-\d)/">', text.split("Related posts")[1])
    assert 0 < len(related) <= 3 and "post-3" not in related  # post-0 shares t0 with it
    assert "post-0" in related
    assert "First!" in text and "<p>Second paragraph.</p>" in text and "1 comment" in text
    assert "buy now" not in text and "pending text" not in text  # only approved comments
    [data] = [
        d for d in json_ld(page) if d["@type"] != "BreadcrumbList"
    ]  # breadcrumbs: tests/output
    assert data["@type"] == "BlogPosting" and data["headline"] == "Post 3"
    assert (
        data["datePublished"] == "2026-01-04T08:30:00Z"
        and data["dateModified"] == "2026-02-01T09:00:00Z"
    )
    assert data["author"] == {"@type": "Person", "name": "Ann Author"}
    assert (
        data["image"].startswith(f"{BASE}/assets/cover.") and data["url"] == f"{BASE}/blog/post-3/"
    )
    # an edit before publishing is no update: no "Updated" line
    quiet = render(
        blog(tuple(replace(p, updated_at="2025-12-01T00:00:00Z") for p in posts)), library, themes
    )
    assert "Updated" not in quiet["blog/post-1/index.html"].decode()


def test_blog_index_carries_blog_json_ld(library, themes):
    files = render(with_posts(2), library, themes)
    [data] = [d for d in json_ld(files["blog/index.html"]) if d["@type"] != "BreadcrumbList"]
    assert data == {
        "@context": "https://schema.org",
        "@type": "Blog",
        "name": "Journal",
        "url": f"{BASE}/blog/",
        "inLanguage": "en",
        "description": "A journal.",
    }


@pytest.mark.parametrize(
    ("count", "per_page", "pages"), [(0, 3, 1), (1, 3, 1), (3, 3, 1), (4, 3, 2), (7, 3, 3)]
)
def test_pagination_edges(library, themes, count, per_page, pages):
    snap = with_posts(count, settings={"base_url": BASE, "posts_per_page": per_page})
    files = render(snap, library, themes)
    found = sorted(p for p in files if re.fullmatch(r"blog/(page/\d+/)?index\.html", p))
    assert found == ["blog/index.html"] + [f"blog/page/{n}/index.html" for n in range(2, pages + 1)]
    shown = []
    for n in range(1, pages + 1):
        data = files["blog/index.html" if n == 1 else f"blog/page/{n}/index.html"]
        shown += _post_slugs(data)
        head_prev = [
            e.get("href") for e in tree(data).find("head").iter("link") if e.get("rel") == "prev"
        ]
        head_next = [
            e.get("href") for e in tree(data).find("head").iter("link") if e.get("rel") == "next"
        ]
        assert head_prev == ([] if n == 1 else ["/blog/" if n == 2 else f"/blog/page/{n - 1}/"])
        assert head_next == ([] if n == pages else [f"/blog/page/{n + 1}/"])
    expected = [p.slug for p in sorted(snap.posts, key=lambda p: p.date, reverse=True)]
    assert shown == expected  # every post once, newest first
    if count == 0:
        assert b"No posts yet." in files["blog/index.html"]
    # taxonomy pages paginate the same way
    odd = [p for p in snap.posts if p.category == "Odd"]
    assert ("blog/category/odd/page/2/index.html" in files) == (len(odd) > per_page)


def test_the_default_is_ten_posts_a_page(library, themes):
    files = render(with_posts(11), library, themes)
    assert (
        len(_post_slugs(files["blog/index.html"])) == 10
        and len(_post_slugs(files["blog/page/2/index.html"])) == 1
    )


@pytest.mark.parametrize("value", [0, -1, "10", 2.5, True, 1001])
def test_bad_posts_per_page_is_one_clear_error(library, themes, value):
    with pytest.raises(RenderError, match="posts_per_page") as info:
        render(with_posts(2, settings={"posts_per_page": value}), library, themes)
    assert info.value.where == "project journal, settings"


def test_archive_groups_by_year_and_month_and_authors_get_a_page(library, themes):
    posts = (
        post(1, date="2025-12-30"),
        post(2, date="2026-01-05", author="Bo"),
        post(3, date="2026-01-20"),
    )
    files = render(blog(posts), library, themes)
    archive = files["blog/archive/index.html"].decode()
    assert (
        archive.index("<h2>2026</h2>")
        < archive.index("January 2026")
        < archive.index("<h2>2025</h2>")
    )
    assert archive.index("post-3") < archive.index("post-2") < archive.index("post-1")
    assert _post_slugs(files["blog/author/bo/index.html"]) == ["post-2"]
    assert _post_slugs(files["blog/author/ann-author/index.html"]) == ["post-3", "post-1"]


def test_empty_categories_get_a_page_and_terms_with_one_slug_do_not_collide(library, themes):
    posts = (post(1, tags=("C++",)), post(2, tags=("c",)), post(3, tags=("Zoë",)))
    files = render(blog(posts, categories=("Even", "Odd", "Unused")), library, themes)
    assert b"No posts yet." in files["blog/category/unused/index.html"]
    assert _post_slugs(files["blog/tag/c/index.html"]) == ["post-1"]  # "C++" sorts first
    assert _post_slugs(files["blog/tag/c-2/index.html"]) == ["post-2"]
    assert _post_slugs(files["blog/tag/zoe/index.html"]) == ["post-3"]


@pytest.mark.parametrize(
    ("published_at", "shown"),
    [("2026-06-01T11:59:59Z", True), (NOW, True), ("2026-06-01T12:00:01Z", False), ("", False)],
)
def test_scheduled_posts_render_once_their_time_has_come(library, themes, published_at, shown):
    snap = with_posts(3)
    snap = replace_post(snap, 2, status="SCHEDULED", published_at=published_at)
    files = render(snap, library, themes)
    assert ("blog/post-2/index.html" in files) == shown
    for path in (
        "blog/index.html",
        "blog/atom.xml",
        "blog/rss.xml",
        "blog/feed.json",
        "sitemap.xml",
        "index.html",
        "blog/archive/index.html",
    ):
        assert (b"/blog/post-2/" in files[path]) == shown, path


@pytest.mark.parametrize("status", ["DRAFT", "ARCHIVED", "SCHEDULED"])
def test_unpublished_posts_stay_out_of_a_publish_and_drafts_show_in_preview(
    library, themes, status
):
    snap = replace_post(with_posts(3), 1, status=status, published_at="2099-01-01T00:00:00Z")
    files = render(snap, library, themes)
    assert not any(b"/blog/post-1/" in data for data in files.values())
    assert not any(b"DRAFT" in data for data in files.values())
    preview = render(snap, library, themes, drafts=True)
    if status == "ARCHIVED":
        assert "blog/post-1/index.html" not in preview
        return
    page = preview["blog/post-1/index.html"].decode()
    assert (
        'class="draft-ribbon"' in page
        and "DRAFT" in page
        and '<meta name="robots" content="noindex">' in page
    )
    assert "draft-ribbon" not in preview["blog/post-0/index.html"].decode()


def test_scheduled_posts_need_the_build_time(library, themes):
    snap = replace_post(with_posts(2), 0, status="SCHEDULED", published_at="2020-01-01T00:00:00Z")
    assert "blog/post-0/index.html" not in render(snap, library, themes, now="")
    with pytest.raises(RenderError, match="ISO 8601") as info:
        render(snap, library, themes, now="yesterday")
    assert info.value.where == "project journal, build time"


def test_aliases_redirect_to_the_post(library, themes):
    snap = replace_post(with_posts(2), 1, aliases=("old-name", "older-name"))
    files = render(snap, library, themes)
    for alias in ("old-name", "older-name"):
        page = files[f"blog/{alias}/index.html"]
        assert strict_html(page) == []
        head = tree(page).find("head")
        refresh = [m.get("content") for m in head.iter("meta") if m.get("http-equiv") == "refresh"]
        assert refresh == ["0; url=/blog/post-1/"]
        assert [e.get("href") for e in head.iter("link") if e.get("rel") == "canonical"] == [
            f"{BASE}/blog/post-1/"
        ]
        assert [m.get("content") for m in head.iter("meta") if m.get("name") == "robots"] == [
            "noindex"
        ]
    assert (
        files["_redirects"]
        == b"/blog/old-name/ /blog/post-1/ 301\n/blog/older-name/ /blog/post-1/ 301\n"
    )
    assert "_redirects" not in render(with_posts(2), library, themes)
    # an alias never replaces a real post
    clash = replace_post(with_posts(2), 1, aliases=("post-0",))
    assert b"Post 0" in render(clash, library, themes)["blog/post-0/index.html"]


def test_sitemap_has_lastmod_for_posts_and_listings(library, themes):
    snap = replace_post(
        with_posts(2), 1, published_at="2026-01-02T08:00:00Z", updated_at="2026-03-01T10:00:00Z"
    )
    sitemap = render(snap, library, themes)["sitemap.xml"].decode()
    # a page of a JSON snapshot has no date of its own: it gets the site's newest known change
    assert f"<url><loc>{BASE}/</loc><lastmod>2026-03-01T10:00:00Z</lastmod></url>" in sitemap
    assert f"<loc>{BASE}/blog/post-1/</loc><lastmod>2026-03-01T10:00:00Z</lastmod>" in sitemap
    assert f"<loc>{BASE}/blog/post-0/</loc><lastmod>2026-01-01T00:00:00Z</lastmod>" in sitemap
    assert f"<loc>{BASE}/blog/</loc><lastmod>2026-03-01T10:00:00Z</lastmod>" in sitemap


def test_a_site_without_posts_or_categories_has_no_blog(library, themes):
    files = render(blog((), categories=()), library, themes)
    assert not any(p.startswith("blog/") for p in files)
    assert b'rel="alternate"' not in files["index.html"]


def test_same_snapshot_and_build_give_the_same_bytes(library, themes):
    snap = with_posts(15)
    assert render(snap, library, themes) == render(snap, library, themes)
    # the build's time decides only what is due: with nothing scheduled, another time changes nothing
    assert render(snap, library, themes) == render(
        snap, library, themes, now="2030-01-01T00:00:00Z"
    )


@pytest.mark.parametrize("theme", ["aurora", "midnight", "terracotta"])
def test_every_theme_renders_the_blog(library, themes, theme):
    snap = replace_post(with_posts(4, theme=theme), 1, comments=(comment("Bea", "Hi"),))
    files = render(snap, library, themes, drafts=True)
    for path, data in html_pages(files).items():
        assert strict_html(data) == [], (theme, path)
    assert (
        b"post-nav" in files["blog/post-1/index.html"]
        and b"post-comments" in files["blog/post-1/index.html"]
    )


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"limit": 2}, ["post-5", "post-4"]),
        ({"category": "odd"}, ["post-5", "post-3", "post-1"]),
        ({"tag": "T0", "limit": 1}, ["post-3"]),
        ({"category": "Even", "tag": "t0"}, ["post-0"]),
        ({"tag": "missing"}, []),
    ],
)
def test_post_list_component_filters_by_count_category_and_tag(library, themes, props, expected):
    from bgpub.domain.blocks import Block
    from bgpub.snapshot import PageSnapshot

    snap = with_posts(6)
    home = PageSnapshot(
        slug="home", title="Home", is_home=True, blocks=(Block("blog-post-list", props),)
    )
    html = render(replace(snap, pages=(home,)), library, themes)["index.html"].decode()
    assert re.findall(r'class="c-post-list__title"><a href="/blog/([^/]+)/"', html) == expected
    assert ("No posts yet" in html) == (not expected)


def test_long_listings_link_the_first_last_and_nearby_pages(library, themes):
    files = render(
        with_posts(30, settings={"base_url": BASE, "posts_per_page": 2}), library, themes
    )
    page = files["blog/page/8/index.html"]
    nav = tree(page).find(".//nav[@class='pagination']")
    numbers = [a.text for a in nav.iter("a") if a.text.isdigit()]
    assert numbers == ["1", "6", "7", "9", "10", "15"]
    assert [s.text for s in nav.iter("span") if s.get("aria-current") == "page"] == ["8"]
    assert [li.text for li in nav.iter("li") if li.get("aria-hidden") == "true"] == ["…", "…"]
    assert strict_html(page) == []


@pytest.mark.parametrize(
    "alias", ["../escape", "a/../../b", "/abs", "Upper", "assets/x", "a b", "", "x\n"]
)
def test_unsafe_aliases_are_refused(library, themes, alias):
    snap = replace_post(with_posts(2), 1, aliases=(alias,))
    with pytest.raises(RenderError, match="alias") as info:
        render(snap, library, themes)
    assert info.value.where == "project journal, post post-1, aliases"
