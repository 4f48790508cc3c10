"""Builders for the import tests: Markdown folders, WordPress exports, images, and table counts."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from bgpub.db.models import (
    Asset,
    AuditLog,
    BlogCategory,
    BlogComment,
    BlogPost,
    BlogPostTag,
    BlogTag,
    Page,
)

COUNTED = (BlogPost, BlogCategory, BlogTag, BlogPostTag, BlogComment, Page, Asset, AuditLog)
ACTIVE_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "style",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "link",
    "meta",
    "base",
    "noscript",
    "template",
}


def executable_parts(html: str) -> list[str]:
    """Elements, attributes and URLs in rendered HTML that could run anything (text that only mentions
    `javascript:` is not one: it is shown, not followed)."""
    from bs4 import BeautifulSoup

    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        if element.name in ACTIVE_ELEMENTS:
            found.append(f"<{element.name}>")
        for name, value in element.attrs.items():
            text = "".join(str(value).split()).lower()
            if name.lower().startswith("on") or name.lower() in ("style", "srcdoc"):
                found.append(f"{name} on <{element.name}>")
            elif name.lower() in ("href", "src", "action", "formaction", "data") and not (
                text.startswith(("http:", "https:", "mailto:", "tel:", "/", "#")) or ":" not in text
            ):
                found.append(f"{name}={value!r}")
    return found


def png(width: int = 4, height: int = 3, colour: str = "red") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def counts() -> dict[str, int]:
    """Rows per table the imports write, to show a refused import wrote nothing."""
    return {model.__name__: model.select().count() for model in COUNTED}


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def comment(
    cid: int,
    author: str,
    body: str,
    approved: str,
    *,
    email: str = "",
    date: str = "2024-01-03 10:00:00",
    kind: str = "",
) -> str:
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author>{cdata(author)}</wp:comment_author>"
        f"<wp:comment_author_email>{escape(email)}</wp:comment_author_email>"
        f"<wp:comment_date>{date}</wp:comment_date><wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
        f"<wp:comment_content>{cdata(body)}</wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type>"
        f"<wp:comment_parent>0</wp:comment_parent></wp:comment>"
    )


def item(
    post_id: int,
    title: str,
    *,
    name: str = "",
    content: str = "",
    excerpt: str = "",
    status: str = "publish",
    kind: str = "post",
    creator: str = "ada",
    date_gmt: str = "2024-01-02 09:30:00",
    parent: int = 0,
    categories: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    meta: dict[str, str] | None = None,
    comments: tuple[str, ...] = (),
    attachment_url: str = "",
    modified_gmt: str = "",
) -> str:
    terms = "".join(
        f'<category domain="category" nicename="{c.lower()}">{cdata(c)}</category>'
        for c in categories
    )
    terms += "".join(
        f'<category domain="post_tag" nicename="{t.lower()}">{cdata(t)}</category>' for t in tags
    )
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{k}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value>"
        "</wp:postmeta>"
        for k, v in (meta or {}).items()
    )
    url = (
        f"<wp:attachment_url>{escape(attachment_url)}</wp:attachment_url>" if attachment_url else ""
    )
    return (
        f"<item><title>{escape(title)}</title><link>https://old.example/?p={post_id}</link>"
        f'<dc:creator>{cdata(creator)}</dc:creator><guid isPermaLink="false">https://old.example/?p={post_id}</guid>'
        f"<description></description><content:encoded>{cdata(content)}</content:encoded>"
        f"<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded><wp:post_id>{post_id}</wp:post_id>"
        f"<wp:post_date>{date_gmt}</wp:post_date><wp:post_date_gmt>{date_gmt}</wp:post_date_gmt>"
        f"<wp:post_modified_gmt>{modified_gmt}</wp:post_modified_gmt>"
        f"<wp:post_name>{escape(name)}</wp:post_name><wp:status>{status}</wp:status>"
        f"<wp:post_parent>{parent}</wp:post_parent><wp:post_type>{kind}</wp:post_type>{url}{terms}{metas}"
        + "".join(comments)
        + "</item>"
    )


def author(login: str, email: str, name: str) -> str:
    return (
        f"<wp:author><wp:author_id>1</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(email)}</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>"
    )


def wxr(*items: str, authors: tuple[str, ...] = (), version: str = "1.2", prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" ?>\n{prolog}'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/{v}/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/{v}/">'
        "<channel><title>Old blog</title><link>https://old.example</link>"
        "<wp:wxr_version>{v}</wp:wxr_version>".replace("{v}", version)
        + "".join(authors)
        + "".join(items)
        + "</channel></rss>"
    )
