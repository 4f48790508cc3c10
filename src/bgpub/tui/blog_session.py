"""The blog's calls for the Posts, post editor and Comments screens: one service call each, as the actor.

Kept beside (not inside) the EditorSession protocol so the blog screens stay self-contained; like the
session, every method runs in a worker thread on that thread's connection and returns plain views.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bgpub.domain.comments import CommentView
from bgpub.domain.enums import AssetType, CommentStatus, PostStatus
from bgpub.domain.posts import PostView
from bgpub.tui.service_session import connected

STATUSES = (PostStatus.DRAFT.value, PostStatus.PUBLISHED.value, PostStatus.SCHEDULED.value)
COMMENT_STATUSES = tuple(s.value for s in CommentStatus)


@dataclass(frozen=True)
class PostForm:
    """What the post editor's form holds, as the user typed it."""

    title: str = ""
    slug: str = ""
    category: str = ""
    tags: str = ""  # comma-separated
    excerpt: str = ""
    status: str = "DRAFT"
    publish_at: str = ""  # 'YYYY-MM-DD HH:MM' (UTC) or ''
    body: str = ""
    cover: str = ""  # an image asset's name, or '' for no cover

    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @classmethod
    def of(cls, post: PostView) -> PostForm:
        at = post.published_at.strftime("%Y-%m-%d %H:%M") if post.published_at else ""
        return cls(
            post.title,
            post.slug,
            post.category,
            ", ".join(post.tags),
            post.excerpt,
            post.status,
            at,
            post.body,
            post.cover or "",
        )


class BlogSession:
    """Posts, taxonomy and comment moderation of the workspace's actor."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    @connected
    def posts(self, project: str, status: str | None = None) -> list[PostView]:
        from bgpub.services.posts import list_posts

        return list_posts(self.actor, project, status=status or None)

    @connected
    def post(self, project: str, slug: str) -> PostView:
        from bgpub.services.posts import get_post

        return get_post(self.actor, project, slug)

    @connected
    def terms(self, project: str) -> tuple[list[str], list[str]]:
        """The names of the project's categories and tags (the editor's picker and completion)."""
        from bgpub.services.taxonomy import list_categories, list_tags

        return (
            [c.name for c in list_categories(self.actor, project)],
            [t.name for t in list_tags(self.actor, project)],
        )

    @connected
    def images(self, project: str) -> list[str]:
        """The names of the project's image assets: the cover picker's choices."""
        from bgpub.services.assets import list_assets

        return [a.name for a in list_assets(self.actor, project) if a.type == AssetType.IMAGE]

    @connected
    def save_post(self, project: str, slug: str | None, form: PostForm) -> PostView:
        """Creates the post (`slug` None) or updates every field of it in one write."""
        from bgpub.services.posts import create_post, update_post

        at = form.publish_at.strip() or None
        if slug is None:
            return create_post(
                self.actor,
                project,
                form.title,
                slug=form.slug.strip() or None,
                body=form.body,
                excerpt=form.excerpt,
                category=form.category.strip() or None,
                tags=form.tag_names(),
                cover=form.cover or None,
                status=form.status,
                publish_at=at,
            )
        return update_post(
            self.actor,
            project,
            slug,
            title=form.title,
            new_slug=form.slug.strip() or slug,
            body=form.body,
            excerpt=form.excerpt,
            category=form.category.strip(),
            tags=form.tag_names(),
            cover=form.cover or None,
            status=form.status,
            publish_at=at,
        )

    @connected
    def toggle_published(self, project: str, slug: str) -> PostView:
        """PUBLISHED goes back to DRAFT; anything else is published now."""
        from bgpub.services.posts import get_post, publish_post, unpublish_post

        if get_post(self.actor, project, slug).status == PostStatus.PUBLISHED:
            return unpublish_post(self.actor, project, slug)
        return publish_post(self.actor, project, slug)

    @connected
    def remove_post(self, project: str, slug: str) -> None:
        from bgpub.services.posts import remove_post

        remove_post(self.actor, project, slug)

    @connected
    def comments(self, project: str, status: str | None = None) -> list[CommentView]:
        from bgpub.services.moderation import list_comments

        return list_comments(self.actor, project, status or None)

    @connected
    def moderate(self, project: str, comment_id: str, decision: str) -> CommentView:
        """`approve`, `spam` or `remove` one comment."""
        from bgpub.services import moderation

        operation = {
            "approve": moderation.approve_comment,
            "spam": moderation.mark_spam,
            "remove": moderation.remove_comment,
        }[decision]
        return operation(self.actor, project, comment_id)


def blog_of(app: Any) -> BlogSession:
    """The blog calls of the app's session (the real one carries the workspace and its actor)."""
    blog = getattr(app, "_bgpub_blog", None)
    if blog is None:
        blog = BlogSession(app.session.actor)
        app._bgpub_blog = blog
    return blog
