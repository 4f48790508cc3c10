"""A blog snapshot to render, and the checks every blog test shares (strict HTML, JSON-LD, feeds)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import html5lib

from bgpub.render import BuildInfo, render_site
from bgpub.snapshot import (
    AssetSnapshot,
    Block,
    CommentSnapshot,
    PageSnapshot,
    PostSnapshot,
    ProjectSnapshot,
)

PNG = b"\x89PNG\r\n\x1a\nblog cover bytes"
PNG_HASH = hashlib.sha256(PNG).hexdigest()
BASE = "https://blog.example.com"
NOW = "2026-06-01T12:00:00Z"


def blobs(digest: str) -> bytes:
    assert digest == PNG_HASH
    return PNG


def post(n: int, **changes) -> PostSnapshot:
    """Post n: dated n days into 2026 (bigger n is newer), tagged by n's remainders."""
    values = {
        "slug": f"post-{n}",
        "title": f"Post {n}",
        "excerpt": f"Excerpt {n}",
        "body": f"Body of post {n}.",
        "date": f"2026-{1 + (n // 28) % 12:02d}-{1 + n % 28:02d}",
        "author": "Ann Author",
        "category": "Even" if n % 2 == 0 else "Odd",
        "tags": tuple(sorted({f"t{n % 3}", f"u{n % 5}"})),
    }
    values.update(changes)
    return PostSnapshot(**values)


def blog(posts: tuple[PostSnapshot, ...] = (), **changes) -> ProjectSnapshot:
    home = PageSnapshot(
        slug="home",
        title="Home",
        is_home=True,
        blocks=(Block("rich-text", {"body": "Welcome."}), Block("blog-post-list", {"limit": 3})),
    )
    values = {
        "name": "journal",
        "title": "Journal",
        "description": "A journal.",
        "theme": "aurora",
        "settings": {"base_url": BASE},
        "pages": (home,),
        "posts": posts,
        "categories": ("Even", "Odd"),
        "assets": (
            AssetSnapshot(
                name="cover.png",
                hash=PNG_HASH,
                mime="image/png",
                size=len(PNG),
                alt="A cover",
                width=10,
                height=5,
            ),
        ),
    }
    values.update(changes)
    return ProjectSnapshot(**values)


def render(snapshot: ProjectSnapshot, library, themes, **build) -> dict[str, bytes]:
    build.setdefault("now", NOW)
    return render_site(snapshot, library, themes, blobs, BuildInfo(**build))


def strict_html(data: bytes) -> list[str]:
    """Parse errors of a strict HTML5 parse (empty when the page is well formed)."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(data)
    return [f"{pos}: {code} {extra}" for pos, code, extra in parser.errors]


def tree(data: bytes):
    return html5lib.parse(data, namespaceHTMLElements=False)


def json_ld(data: bytes) -> list[dict]:
    """Every JSON-LD block of a page, parsed with json."""
    return [
        json.loads(s.text)
        for s in tree(data).iter("script")
        if s.get("type") == "application/ld+json"
    ]


def html_pages(files: dict[str, bytes]) -> dict[str, bytes]:
    return {p: d for p, d in files.items() if p.endswith(".html")}


def with_posts(count: int, **changes) -> ProjectSnapshot:
    return blog(tuple(post(n) for n in range(count)), **changes)


def replace_post(snapshot: ProjectSnapshot, index: int, **changes) -> ProjectSnapshot:
    posts = list(snapshot.posts)
    posts[index] = replace(posts[index], **changes)
    return replace(snapshot, posts=tuple(posts))


def comment(
    author: str, body: str, status: str = "APPROVED", date: str = "2026-05-02T10:00:00Z"
) -> CommentSnapshot:
    return CommentSnapshot(author=author, body=body, date=date, status=status)
