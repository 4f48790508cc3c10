"""What a blog import reads before it writes: posts, pages, comments and findings, in plain records.

The readers (`front_matter` for Markdown folders, `wxr` for WordPress exports) produce these from
files without touching the database; `post_imports` checks them against the project and writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from bgpub.db.enums import CommentStatus, PostStatus
from bgpub.domain.slugs import slugify

MAX_SLUG = 200


@dataclass(frozen=True)
class Finding:
    """Something the import could not keep or had to change, and where (`file:line` or `item 12`)."""

    where: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"where": self.where, "message": self.message}


@dataclass
class IncomingComment:
    author: str
    email: str
    body: str  # plain text
    status: CommentStatus
    created_at: datetime | None


@dataclass
class IncomingPost:
    """One post (or, with `kind == "page"`, one page) as read from the source."""

    source: str  # where it came from: a relative file path or `item N (post_name)`
    title: str
    slug: str
    body: str  # Markdown
    status: PostStatus = PostStatus.PUBLISHED
    published_at: datetime | None = None
    edited_at: datetime | None = (
        None  # last edit after publishing (Hugo's lastmod, WordPress's post_modified)
    )
    excerpt: str = ""
    author: str = ""  # byline as written
    author_email: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)  # SEO keywords, kept apart from tags
    aliases: list[str] = field(default_factory=list)
    cover: str = ""  # a file reference relative to the source folder, resolved by the writer
    attachments: list[str] = field(default_factory=list)  # further files the post refers to
    comments: list[IncomingComment] = field(default_factory=list)
    kind: str = "post"  # "post" or "page"


@dataclass
class ImportReport:
    """What an import wrote, what it skipped and why, and what it had to leave out or change."""

    project: str
    source: str
    posts: list[str] = field(default_factory=list)  # slugs
    pages: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # created by this import
    tags: list[str] = field(default_factory=list)
    comments: int = 0
    skipped: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "source": self.source,
            "posts": self.posts,
            "pages": self.pages,
            "assets": self.assets,
            "categories": self.categories,
            "tags": self.tags,
            "comments": self.comments,
            "skipped": [f.as_json() for f in self.skipped],
            "notes": [f.as_json() for f in self.notes],
        }


def slug_of(text: str) -> str:
    """A URL slug from any text (accents folded to ASCII, the shared rule of `bgpub.domain.slugs`), "" for none."""
    return slugify(text, max_length=MAX_SLUG, fallback="")


def alias_slug(alias: str) -> str:
    """An earlier address (`/posts/old-name/`, `old-name.html`) as the earlier slug it stood for."""
    parts = [
        p
        for p in PurePosixPath(alias.split("?", 1)[0].split("#", 1)[0]).parts
        if p not in ("/", "")
    ]
    last = parts[-1] if parts else ""
    return slug_of(Path(last).stem if "." in last else last)


def relative_file(base: PurePosixPath, ref: str) -> str:
    """`ref` (a path relative to the folder `base`, itself relative to the import's root) as a
    normalised path under the root. Raises ValueError for absolute paths, drive letters, URLs and
    anything that climbs out of the root (`../../etc/passwd`): an import reads only its own folder."""
    text = ref.strip().replace("\\", "/")
    if not text:
        raise ValueError("the path is empty")
    if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.IGNORECASE):
        raise ValueError(f"{ref!r} is not a file beside the import (a URL or a drive path)")
    if text.startswith("/") or "\x00" in text:
        raise ValueError(
            f"{ref!r} is an absolute path; only paths inside the import's folder are read"
        )
    parts: list[str] = list(base.parts)
    for part in PurePosixPath(text).parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise ValueError(f"{ref!r} leads outside the import's folder")
            parts.pop()
        else:
            parts.append(part)
    if not parts:
        raise ValueError(f"{ref!r} is not a file")
    return "/".join(parts)


def as_utc(value: object) -> datetime | None:
    """A date or time from a front matter or an export as naive UTC (how every table stores time).

    Strings are ISO 8601 (`2024-03-01`, `2024-03-01 10:00`, `2024-03-01T10:00:00+02:00`); a time
    without a zone is taken as UTC. Raises ValueError for anything else.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD or ISO 8601)") from None
    else:
        raise ValueError(f"{value!r} is not a date")
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if not 1900 <= moment.year <= 9999:
        raise ValueError(f"{value!r} is out of range")
    return moment
