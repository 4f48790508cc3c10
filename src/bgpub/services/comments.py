"""Blog comments from published posts: stored PENDING by the collector, approved by people or API keys."""

from __future__ import annotations

from typing import Any

from bgpub.db.connection import database
from bgpub.db.enums import CommentStatus, PostStatus
from bgpub.db.fields import new_id, utcnow
from bgpub.db.models import BlogComment, BlogPost, Project
from bgpub.domain.comments import CommentView
from bgpub.errors import InvalidInput, NotFound
from bgpub.services import audit, validation
from bgpub.services.lookup import project_row

MAX_BODY = 5000


def record_comment(
    project_id: str,
    post_slug: str,
    name: object,
    email: object,
    body: object,
    comment_id: str | None = None,
) -> str:
    """A PENDING comment on a published post of the project; the id can be fixed by the caller so a
    retried write never doubles it."""
    where = f"project {project_id}, post {post_slug}, comment"
    post = BlogPost.get_or_none(
        (BlogPost.project == project_id)
        & (BlogPost.slug == post_slug)
        & (BlogPost.status == PostStatus.PUBLISHED)
    )
    if post is None:
        raise NotFound("no such published post", where=f"project {project_id}, post {post_slug}")
    name = validation.required_text(name, "name", max_length=100, where=where)
    text = validation.required_text(body, "body", max_length=MAX_BODY, where=where, multiline=True)
    if email not in (None, ""):
        if (
            not isinstance(email, str)
            or len(email) > 254
            or "@" not in email
            or any(c.isspace() for c in email)
        ):
            raise InvalidInput("invalid email address", where=where, field="email")
    row_id = comment_id or new_id()
    now = utcnow()
    with database.atomic():
        BlogComment.insert(
            id=row_id,
            post=post.id,
            author_name=name,
            author_email=email or None,
            body=text,
            status=CommentStatus.PENDING.value,
            created_at=now,
            updated_at=now,
        ).on_conflict_ignore().execute()
    return row_id


def comments_of(
    project: Project | str, status: str | None = None, limit: int | None = None
) -> list[CommentView]:
    """Newest first, without e-mail addresses; no permission check (callers have done it)."""
    query = (
        BlogComment.select(BlogComment, BlogPost.slug)
        .join(BlogPost)
        .where(BlogPost.project == project)
        .order_by(BlogComment.created_at.desc(), BlogComment.id)
    )
    if status:
        query = query.where(BlogComment.status == status.upper())
    if limit:
        query = query.limit(limit)
    return [
        CommentView(
            c.id, c.post.slug, c.author_name, c.body, CommentStatus(c.status).value, c.created_at
        )
        for c in query
    ]


def pending_count(project: Project | str) -> int:
    return (
        BlogComment.select()
        .join(BlogPost)
        .where((BlogPost.project == project) & (BlogComment.status == CommentStatus.PENDING))
        .count()
    )


def moderate_comment(key: Any, project: Project | str, comment_id: str, status: str) -> CommentView:
    """Approves (or marks as spam) a comment of the project (a row or its id); the API key's scope
    was checked."""
    project = project_row(project)
    try:
        new_status = CommentStatus(status.upper())
    except ValueError:
        raise InvalidInput(
            f"unknown status {status!r}; use APPROVED, PENDING or SPAM",
            where="comment",
            field="status",
        ) from None
    row = (
        BlogComment.select()
        .join(BlogPost)
        .where((BlogPost.project == project) & (BlogComment.id == comment_id))
        .first()
    )
    if row is None:
        raise NotFound(f"no comment {comment_id!r}", where=f"project {project.name}")
    with database.atomic():
        row.status = new_status
        row.save(only=[BlogComment.status, BlogComment.updated_at])
        audit.record(
            None,
            project.organization,
            f"comment.{new_status.value.lower()}",
            "blog_comment",
            row.id,
            {"api_key": key.prefix},
        )
    return CommentView(
        row.id, row.post.slug, row.author_name, row.body, new_status.value, row.created_at
    )


def delete_comment(key: Any, project: Project | str, comment_id: str) -> None:
    """Deletes a comment of the project (a row or its id); the API key's scope was checked."""
    project = project_row(project)
    row = (
        BlogComment.select()
        .join(BlogPost)
        .where((BlogPost.project == project) & (BlogComment.id == comment_id))
        .first()
    )
    if row is None:
        raise NotFound(f"no comment {comment_id!r}", where=f"project {project.name}")
    with database.atomic():
        row.delete_instance()
        audit.record(
            None,
            project.organization,
            "comment.delete",
            "blog_comment",
            comment_id,
            {"api_key": getattr(key, "prefix", "")},
        )
