"""Reads a WordPress export (WXR: RSS 2.0 with WordPress's namespaces) into posts, pages and comments.

Parsed with defusedxml and DTDs forbidden, so entity bombs (billion laughs) and external entities are
refused before any expansion. The WXR versions 1.0 to 1.2 differ only in their namespace URIs, so
elements are matched by a short kind (`wp`, `content`, `excerpt`, `dc`) and their local name.
Nothing here touches the database.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from bgpub.db.enums import CommentStatus, PostStatus
from bgpub.errors import InvalidInput
from bgpub.services import validation
from bgpub.services.html_markdown import plain_text, to_markdown
from bgpub.services.post_sources import (
    Finding,
    IncomingComment,
    IncomingPost,
    as_utc,
    relative_file,
    slug_of,
)

MAX_EXPORT_BYTES = 256 * 1024 * 1024
STATUS = {
    "publish": PostStatus.PUBLISHED,
    "draft": PostStatus.DRAFT,
    "pending": PostStatus.DRAFT,
    "future": PostStatus.SCHEDULED,
    "private": PostStatus.DRAFT,
}
COMMENT_STATUS = {"1": CommentStatus.APPROVED, "0": CommentStatus.PENDING}
ZERO_DATE = "0000-00-00 00:00:00"
URL_IN_HTML = re.compile(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
UPLOAD_PREFIXES = ("", "uploads", "wp-content/uploads")


@dataclass
class Author:
    login: str
    email: str
    name: str


@dataclass
class WxrExport:
    posts: list[IncomingPost] = field(
        default_factory=list
    )  # posts and pages, in the export's order
    skipped: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    authors: dict[str, Author] = field(default_factory=dict)


def _key(tag: str) -> str:
    """`{http://wordpress.org/export/1.2/}post_id` -> `wp:post_id`."""
    if not tag.startswith("{"):
        return tag
    space, local = tag[1:].split("}", 1)
    if "/excerpt/" in space:
        return f"excerpt:{local}"
    if space.startswith(("http://wordpress.org/export/", "https://wordpress.org/export/")):
        return f"wp:{local}"
    if "rss/1.0/modules/content" in space:
        return f"content:{local}"
    if "purl.org/dc/" in space:
        return f"dc:{local}"
    return local


def _fields(element: Element) -> dict[str, str]:
    """Each child's text by key (the first of a repeated key wins)."""
    found: dict[str, str] = {}
    for child in element:
        found.setdefault(
            _key(child.tag),
            (child.text or "").strip()
            if _key(child.tag) != "content:encoded"
            else child.text or "",
        )
    return found


def load_export(path: Path) -> Element:
    """The export's <channel>, or one InvalidInput: too big, not XML, an entity bomb, not a WXR file."""
    where = f"file {path.name}"
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise InvalidInput(f"cannot read the export: {exc.strerror or exc}", where=where) from None
    if size > MAX_EXPORT_BYTES:
        raise InvalidInput(
            f"the export is larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MB ({size} bytes); "
            "split it with WordPress's export filters",
            where=where,
        )
    try:
        tree = parse(str(path), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InvalidInput(
            "the export declares a DTD or entities (an entity bomb or an external reference); "
            "a WordPress export has none, refused",
            where=where,
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise InvalidInput(
            f"not well-formed XML at line {line}, column {column + 1}", where=where
        ) from None
    except OSError as exc:
        raise InvalidInput(f"cannot read the export: {exc.strerror or exc}", where=where) from None
    root = tree.getroot()
    assert root is not None  # a parsed document has a root
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise InvalidInput("not a WordPress export (no <rss><channel>)", where=where)
    return channel


def read_export(path: Path) -> WxrExport:
    """Posts, pages and their comments and attachments from the export at `path`."""
    channel = load_export(path)
    export = WxrExport()
    for element in channel:
        key = _key(element.tag)
        if key == "wp:author":
            data = _fields(element)
            login = data.get("wp:author_login", "")
            export.authors[login] = Author(
                login,
                data.get("wp:author_email", "").lower(),
                data.get("wp:author_display_name", "") or login,
            )
    items = channel.findall("item")
    attachments = _attachments(items, export)
    ignored: Counter[str] = Counter()
    for number, item in enumerate(items, start=1):
        data = _fields(item)
        kind = data.get("wp:post_type", "post")
        if kind == "attachment":
            continue
        if kind not in ("post", "page"):
            ignored[kind] += 1
            continue
        where = f"item {number} ({data.get('wp:post_name') or data.get('title') or data.get('wp:post_id', '?')})"
        try:
            post = _item(item, data, kind, where, export, attachments)
        except ValueError as exc:
            export.skipped.append(Finding(where, str(exc)))
            continue
        if post is not None:
            export.posts.append(post)
    for kind, count in sorted(ignored.items()):
        export.skipped.append(
            Finding(
                f"{count} item(s) of type {kind!r}",
                "only posts, pages and their attachments are imported",
            )
        )
    return export


@dataclass
class Attachment:
    file: str  # under the export's folder, "" when the export's path for it is refused
    url: str
    parent: str
    problem: str = ""


@dataclass
class Attachments:
    """Attachments by post id, by parent post and by address: a post finds its own in a few look-ups."""

    ids: dict[str, Attachment] = field(default_factory=dict)
    by_parent: dict[str, list[str]] = field(default_factory=dict)
    by_url: dict[str, str] = field(default_factory=dict)


def _attachments(items: list[Element], export: WxrExport) -> Attachments:
    """Every attachment, each with its file as a path under the export's folder (or why not)."""
    found = Attachments()
    for item in items:
        data = _fields(item)
        if data.get("wp:post_type") != "attachment":
            continue
        meta = _postmeta(item)
        url = data.get("wp:attachment_url", "")
        ref = meta.get("_wp_attached_file") or _upload_path(url)
        attachment = Attachment("", url, data.get("wp:post_parent", "0"))
        try:
            attachment.file = relative_file(PurePosixPath(), ref)
        except ValueError as exc:
            attachment.problem = str(exc)
        attachment_id = data.get("wp:post_id", "")
        found.ids[attachment_id] = attachment
        found.by_parent.setdefault(attachment.parent, []).append(attachment_id)
        if url:
            found.by_url[url] = attachment_id
    return found


def _upload_path(url: str) -> str:
    path = unquote(urlsplit(url).path)
    marker = "/wp-content/uploads/"
    return path.split(marker, 1)[1] if marker in path else PurePosixPath(path).name


def _postmeta(item: Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    for element in item:
        if _key(element.tag) == "wp:postmeta":
            data = _fields(element)
            meta.setdefault(data.get("wp:meta_key", ""), data.get("wp:meta_value", ""))
    return meta


def _date(data: dict[str, str], gmt: str, local: str, where: str) -> datetime | None:
    for key in (gmt, local):
        value = data.get(key, "")
        if value and value != ZERO_DATE:
            try:
                return as_utc(value)
            except ValueError as exc:
                raise ValueError(f"{key.removeprefix('wp:')}: {exc}") from None
    return None


def _item(
    item: Element,
    data: dict[str, str],
    kind: str,
    where: str,
    export: WxrExport,
    attachments: Attachments,
) -> IncomingPost | None:
    status = data.get("wp:status", "")
    if status not in STATUS:
        raise ValueError(f"status {status!r} (trash, auto-draft or unknown) is not imported")
    if kind == "page" and STATUS[status] is not PostStatus.PUBLISHED:
        raise ValueError(
            f"a {status} page: pages here have no draft state, so only published pages are imported"
        )
    try:
        title = validation.required_text(
            data.get("title", ""), "title", max_length=200, where=where
        )
    except InvalidInput as exc:
        raise ValueError(exc.message) from None
    slug = slug_of(unquote(data.get("wp:post_name", ""))) or slug_of(title)
    if (
        not slug
    ):  # a title with no letters that have an ASCII form: the WordPress id keeps it stable
        slug = f"{kind}-{slug_of(data.get('wp:post_id', '')) or 'untitled'}"
        export.notes.append(
            Finding(
                where, f"no ASCII slug can be made from its name or title: imported as {slug!r}"
            )
        )
    published = _date(data, "wp:post_date_gmt", "wp:post_date", where)
    try:
        modified = _date(data, "wp:post_modified_gmt", "wp:post_modified", where)
    except ValueError:  # only the "updated" line is lost
        modified = None
    edited = modified if published and modified and modified > published else None
    converted = to_markdown(data.get("content:encoded", ""))
    notes = [
        Finding(where, f"removed {what}: nothing executable is imported")
        for what in converted.removed
    ]
    notes += [
        Finding(where, f"WordPress shortcode {code} has no equivalent here: kept as plain text")
        for code in converted.shortcodes
    ]
    categories = [
        (c.text or "").strip() for c in item.findall("category") if c.get("domain") == "category"
    ]
    tags = [
        (c.text or "").strip() for c in item.findall("category") if c.get("domain") == "post_tag"
    ]
    categories = [c for c in dict.fromkeys(categories) if c and c != "Uncategorized"]
    if len(categories) > 1:
        notes.append(
            Finding(
                where,
                f"a post has one category: kept {categories[0]!r}, not "
                + ", ".join(map(repr, categories[1:])),
            )
        )
    author = export.authors.get(data.get("dc:creator", ""))
    post = IncomingPost(
        source=where,
        title=title,
        slug=slug,
        body=converted.markdown,
        status=STATUS[status],
        published_at=published,
        edited_at=edited,
        excerpt=plain_text(data.get("excerpt:encoded", "")),
        author=author.name if author else data.get("dc:creator", ""),
        author_email=author.email if author else "",
        category=categories[0] if categories else "",
        tags=[t[:100] for t in dict.fromkeys(tags) if t],
        kind=kind,
    )
    post_id = data.get("wp:post_id", "")
    thumbnail = _postmeta(item).get("_thumbnail_id", "")
    content = data.get("content:encoded", "")
    used = [thumbnail] if thumbnail in attachments.ids else []
    used += attachments.by_parent.get(post_id, []) if post_id not in ("", "0") else []
    used += [
        attachments.by_url[url] for url in URL_IN_HTML.findall(content) if url in attachments.by_url
    ]
    for attachment_id in dict.fromkeys(used):
        attachment = attachments.ids[attachment_id]
        if attachment.problem:
            notes.append(
                Finding(where, f"attachment {attachment_id} not imported: {attachment.problem}")
            )
        elif attachment_id == thumbnail:
            post.cover = attachment.file
        elif attachment.file not in post.attachments:
            post.attachments.append(attachment.file)
    post.comments = _comments(item, where, export)
    export.notes.extend(notes)
    return post


def _comments(item: Element, where: str, export: WxrExport) -> list[IncomingComment]:
    comments = []
    for element in item:
        if _key(element.tag) != "wp:comment":
            continue
        data = _fields(element)
        label = f"{where}, comment {data.get('wp:comment_id', '?')}"
        approved = data.get("wp:comment_approved", "")
        if data.get("wp:comment_type", "") in ("pingback", "trackback"):
            export.skipped.append(Finding(label, f"a {data['wp:comment_type']}, not a comment"))
            continue
        if approved not in COMMENT_STATUS:
            export.skipped.append(
                Finding(
                    label,
                    f"marked {approved or 'unknown'!r} in WordPress (spam and trash "
                    "are not imported)",
                )
            )
            continue
        body = plain_text(data.get("wp:comment_content", ""))
        try:
            created = _date(data, "wp:comment_date_gmt", "wp:comment_date", label)
            body = validation.required_text(
                body, "body", max_length=5000, where=label, multiline=True
            )
            author = (
                validation.optional_text(
                    plain_text(data.get("wp:comment_author", "")),
                    "author",
                    max_length=100,
                    where=label,
                )
                or "Anonymous"
            )
        except (ValueError, InvalidInput) as exc:
            export.skipped.append(Finding(label, getattr(exc, "message", str(exc))))
            continue
        comments.append(
            IncomingComment(
                author,
                data.get("wp:comment_author_email", "").lower()[:254],
                body,
                COMMENT_STATUS[approved],
                created,
            )
        )
    return comments


def attachment_candidates(file: str) -> list[str]:
    """Where an upload may sit beside the export: as given, under `uploads/` or `wp-content/uploads/`."""
    return [f"{prefix}/{file}" if prefix else file for prefix in UPLOAD_PREFIXES]
