"""What the post services return: `PostView` (bgpub.domain.posts), a plain value built from a post row
(never the row)."""

from __future__ import annotations

from bgpub.db.enums import PostStatus
from bgpub.db.models import BlogPost, BlogPostTag, BlogTag
from bgpub.domain.posts import PostView


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
