"""Helpers of the blog tests (a distinct module name: test folders share sys.modules)."""

from __future__ import annotations

from datetime import datetime

from bgpub.db.models import (
    AuditLog,
    BlogCategory,
    BlogComment,
    BlogPost,
    BlogPostTag,
    BlogTag,
    Project,
)

COUNTED = (Project, BlogPost, BlogCategory, BlogTag, BlogPostTag, BlogComment, AuditLog)


def counts() -> dict[str, int]:
    """Rows per blog table, to show a refused operation wrote nothing."""
    return {model.__name__: model.select().count() for model in COUNTED}


def post_rows() -> list[tuple]:
    """Every post's stored fields, to show nothing changed (not only the row counts)."""
    return [
        (
            p.slug,
            p.title,
            p.body,
            p.status,
            p.published_at,
            p.edited_at,
            tuple(p.aliases),
            p.category_id,
        )
        for p in BlogPost.select().order_by(BlogPost.slug)
    ]


class Clock:
    """A settable `posts.now()`: tests move time instead of sleeping."""

    def __init__(self, start: str = "2026-12-01 08:00:00"):
        self.value = datetime.fromisoformat(start)

    def __call__(self) -> datetime:
        return self.value

    def move_to(self, moment: str) -> None:
        self.value = datetime.fromisoformat(moment)
