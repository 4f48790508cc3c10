"""Hostile text in post titles, bodies, excerpts, authors, categories, tags and comments stays text
everywhere it lands: pages, JSON-LD, feeds."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import feedparser
import pytest
from blogrender_support import blog, comment, html_pages, json_ld, post, render, strict_html

sys.path.insert(0, str(Path(__file__).parents[1] / "render"))
from render_xss_check import executable_vectors  # noqa: E402

PAYLOADS = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<!--<script>",
    "]]></content><script>alert(1)</script>",
    "javascript:alert(1)",
    "\u2028</SCRIPT >\u2029",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_post_text_never_runs(library, themes, payload):
    body = f"{payload}\n\n[x](javascript:alert(1)) <b onclick=x>raw</b>\n\n{payload}"
    hostile = post(
        1,
        title=payload,
        excerpt=payload,
        body=body,
        author=payload,
        category=payload,
        tags=(payload, "ok"),
        comments=(comment(payload, payload + "\n\n" + payload),),
    )
    snap = blog((post(0, tags=(payload,)), hostile, post(2, tags=(payload,))), title=payload)
    files = render(snap, library, themes)
    pages = html_pages(files)
    assert len(pages) > 8
    for path, data in pages.items():
        assert executable_vectors(data) == [], path
        assert strict_html(data) == [], path
        lower = data.lower()
        assert lower.count(b"<script") == lower.count(b'<script type="application/ld+json">'), path
        for block in json_ld(data):  # parsed back: the title is intact data
            assert payload in json.dumps(block, ensure_ascii=False) or block["@type"] == "Blog"
    [posting] = [d for d in json_ld(files["blog/post-1/index.html"]) if d["@type"] == "BlogPosting"]
    assert posting["headline"] == payload and posting["author"]["name"] == payload
    for path, data in files.items():
        if path.endswith((".xml",)) and path != "sitemap.xml":
            parsed = feedparser.parse(data)
            assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
            for (
                entry
            ) in parsed.entries:  # feedparser sanitizes like a reader: nothing executable survives
                for content in entry.get("content", []):
                    assert (
                        "<script" not in content.value.lower()
                        and "onclick" not in content.value.lower()
                    )
        if path.endswith(".json") and "feed" in path:
            json.loads(data)
    atom = feedparser.parse(files["blog/atom.xml"])
    assert atom.entries[1].title == payload.strip()  # the title round-trips as text
