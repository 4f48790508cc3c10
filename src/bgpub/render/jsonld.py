"""schema.org JSON-LD for posts (`BlogPosting`) and the blog index (`Blog`), safe inside `<script>`."""

from __future__ import annotations

import json
from typing import Any

from bgpub.snapshot import PostSnapshot

# Characters that could end the script element or confuse an HTML parser, as JSON escapes.
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script(data: dict[str, Any]) -> str:
    """`<script type="application/ld+json">` whose text cannot close the element (`</` is escaped)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in _ESCAPES.items():
        text = text.replace(char, escaped)
    return f'<script type="application/ld+json">{text}</script>\n'


def posting_jsonld(post: PostSnapshot, context: dict[str, Any], url: str, image: str) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": context["published"],
        "dateModified": context["updated"] or context["published"],
    }
    if post.author:
        data["author"] = {"@type": "Person", "name": post.author}
    if image:
        data["image"] = image
    if post.excerpt:
        data["description"] = post.excerpt
    if post.tags:
        data["keywords"] = list(post.tags)
    if post.category:
        data["articleSection"] = post.category
    return script(data)


def blog_jsonld(name: str, description: str, url: str, language: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Blog",
        "name": name,
        "url": url,
        "inLanguage": language,
    }
    if description:
        data["description"] = description
    return script(data)
