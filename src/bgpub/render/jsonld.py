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


def site_jsonld(name: str, url: str, description: str, language: str, logo: str = "") -> str:
    """The home page's `WebSite` and the `Organization` behind it, one `@graph` (search engines'
    site name and knowledge panel)."""
    organization: dict[str, Any] = {
        "@type": "Organization",
        "@id": f"{url}#organization",
        "name": name,
        "url": url,
    }
    if logo:
        organization["logo"] = logo
    website: dict[str, Any] = {
        "@type": "WebSite",
        "@id": f"{url}#website",
        "name": name,
        "url": url,
        "inLanguage": language,
        "publisher": {"@id": f"{url}#organization"},
    }
    if description:
        website["description"] = description
    return script({"@context": "https://schema.org", "@graph": [website, organization]})


def breadcrumbs_jsonld(trail: list[tuple[str, str]]) -> str:
    """`BreadcrumbList` of a nested page: (name, absolute URL) from the home page down to the page."""
    items = [
        {"@type": "ListItem", "position": n, "name": name, "item": url}
        for n, (name, url) in enumerate(trail, start=1)
    ]
    return script(
        {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
    )
