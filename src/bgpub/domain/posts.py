"""Blog posts as front ends see them: a post's fields, byline, taxonomy and times, and the one text
form of a time in snapshots and exports; plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

SNAPSHOT_TIME = "%Y-%m-%dT%H:%M:%SZ"


def snapshot_time(value: datetime | None) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` (the snapshot's form), or '' for no time."""
    return value.strftime(SNAPSHOT_TIME) if value else ""


@dataclass(frozen=True)
class PostView:
    """A blog post as `post list/show`, the editor and exports see it."""

    slug: str
    title: str
    status: str
    excerpt: str = ""
    body: str = ""
    author: str = ""  # the byline shown: the text given, else the linked user's name
    author_email: str = ""  # the linked member, if any
    category: str = ""
    tags: tuple[str, ...] = ()
    cover: str | None = None
    published_at: datetime | None = None
    edited_at: datetime | None = None
    aliases: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "status": self.status,
            "excerpt": self.excerpt,
            "author": self.author,
            "author_email": self.author_email,
            "category": self.category,
            "tags": list(self.tags),
            "cover": self.cover,
            "published_at": snapshot_time(self.published_at),
            "updated_at": snapshot_time(self.edited_at),
            "aliases": list(self.aliases),
        }
