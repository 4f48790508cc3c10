"""Comment moderation by members: the queue, approve, spam, remove, and `add` for tests and seeds.

The collector stores readers' comments PENDING (services.comments); members with EDIT decide here.
Only APPROVED comments are ever rendered.
"""

from __future__ import annotations

from datetime import datetime

from bgpub.db.connection import database
from bgpub.db.enums import CommentStatus
from bgpub.db.models import BlogComment, BlogPost, Project, User
from bgpub.domain.comments import CommentView
from bgpub.errors import NotFound
from bgpub.services import post_fields
from bgpub.services.comments import comments_of
from bgpub.services.permissions import Action
from bgpub.services.project_access import project_for
from bgpub.services.project_changes import record_change


def _row(project: Project, comment_id: str) -> BlogComment:
    row: BlogComment | None = (
        BlogComment.select()
        .join(BlogPost)
        .where((BlogPost.project == project) & (BlogComment.id == comment_id))
        .first()
    )
    if row is None:
        raise NotFound(f"no comment {comment_id!r}", where=f"project {project.name}")
    return row


def _view(row: BlogComment) -> CommentView:
    return CommentView(
        row.id,
        row.post.slug,
        row.author_name,
        row.body,
        CommentStatus(row.status).value,
        row.created_at,
    )


def list_comments(
    actor: User, project: str | Project, status: str | None = None
) -> list[CommentView]:
    """Newest first; `status` PENDING, APPROVED or SPAM narrows the list."""
    project = project_for(actor, project, Action.READ)
    if status:
        status = post_fields.comment_status(status, where=f"project {project.name}").value
    return comments_of(project, status)


def set_comment_status(
    actor: User, project: str | Project, comment_id: str, status: str
) -> CommentView:
    project = project_for(actor, project, Action.EDIT)
    chosen = post_fields.comment_status(
        status, where=f"project {project.name}, comment {comment_id}"
    )
    row = _row(project, comment_id)
    if CommentStatus(row.status) == chosen:
        return _view(row)
    with database.atomic():
        row.status = chosen
        row.save(only=[BlogComment.status, BlogComment.updated_at])
        record_change(
            actor,
            project,
            f"comment.{chosen.value.lower()}",
            "blog_comment",
            row.id,
            {"post": row.post.slug},
        )
    return _view(row)


def approve_comment(actor: User, project: str | Project, comment_id: str) -> CommentView:
    return set_comment_status(actor, project, comment_id, CommentStatus.APPROVED.value)


def mark_spam(actor: User, project: str | Project, comment_id: str) -> CommentView:
    return set_comment_status(actor, project, comment_id, CommentStatus.SPAM.value)


def remove_comment(actor: User, project: str | Project, comment_id: str) -> CommentView:
    project = project_for(actor, project, Action.EDIT)
    row = _row(project, comment_id)
    view = _view(row)
    with database.atomic():
        row.delete_instance()
        record_change(
            actor, project, "comment.remove", "blog_comment", comment_id, {"post": view.post}
        )
    return view


def add_comment(
    actor: User,
    project: str | Project,
    post_slug: str,
    author: str,
    body: str,
    *,
    status: str = "PENDING",
    at: object = None,
) -> CommentView:
    """A comment written by a member (tests, seeds, a comment taken over by hand) on any post."""
    project = project_for(actor, project, Action.EDIT)
    where = f"project {project.name}, post {post_slug}, comment"
    post = BlogPost.get_or_none((BlogPost.project == project) & (BlogPost.slug == post_slug))
    if post is None:
        raise NotFound(f"no post {post_slug!r}", where=f"project {project.name}")
    author = post_fields.comment_author(author, where)
    body = post_fields.comment_body(body, where)
    chosen = post_fields.comment_status(status, where)
    when: datetime | None = post_fields.moment(at, "date", where) if at not in (None, "") else None
    with database.atomic():
        extra = {"created_at": when, "updated_at": when} if when else {}
        row = BlogComment.create(post=post, author_name=author, body=body, status=chosen, **extra)
        record_change(actor, project, "comment.add", "blog_comment", row.id, {"post": post_slug})
    return _view(row)
