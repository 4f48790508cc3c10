"""What the post services return: `PostView`, a plain value built from a post row (never the row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bgpub.db.enums import PostStatus
from bgpub.db.models import BlogPost, BlogPostTag, BlogTag
from bgpub.services import post_fields


@dataclass(frozen=True)
class PostView:
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
            "published_at": post_fields.snapshot_time(self.published_at),
            "updated_at": post_fields.snapshot_time(self.edited_at),
            "aliases": list(self.aliases),
        }


def view_of(row: BlogPost) -> PostView:
    user = row.author
    tags = (
        BlogTag.select(BlogTag.name)
        .join(BlogPostTag)
        .where(BlogPostTag.post == row)
        .order_by(BlogTag.name)
        .scalars()
    )
    return PostView(
        slug=row.slug,
        title=row.title,
        status=PostStatus(row.status).value,
        excerpt=row.excerpt,
        body=row.body,
        author=row.author_name or (user.name if user else ""),
        author_email=user.email if user else "",
        category=row.category.name if row.category else "",
        tags=tuple(tags),
        cover=row.cover_asset,
        published_at=row.published_at,
        edited_at=row.edited_at,
        aliases=tuple(row.aliases or ()),
    )
