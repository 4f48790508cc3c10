"""Blog posts: write, edit, list, publish, unpublish, schedule and remove them.

Services return `PostView`s (plain values, never rows). A slug is unique per project and editable;
the slug a post leaves behind is kept in `aliases`, so the old URL redirects to the new one. A
content edit of a published post sets `edited_at` (the "updated" date readers see). `now()` is the
one clock of posts and scheduling, so tests move time by replacing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from peewee import JOIN, fn

from bgpub.db.connection import database
from bgpub.db.enums import PostStatus
from bgpub.db.fields import utcnow
from bgpub.db.models import (
    Asset,
    BlogCategory,
    BlogPost,
    BlogPostTag,
    BlogTag,
    OrganizationMember,
    Project,
    User,
)
from bgpub.domain.posts import PostView
from bgpub.domain.slugs import slugify, unique_slug
from bgpub.errors import Conflict, InvalidInput
from bgpub.services import audit, post_fields, validation
from bgpub.services.lookup import find_project  # noqa: F401  (kept: callers reach it here)
from bgpub.services.permissions import Action
from bgpub.services.post_views import view_of
from bgpub.services.project_access import project_for, row_by_slug, where_in
from bgpub.services.project_changes import record_change
from bgpub.services.revisions import bump_project
from bgpub.services.taxonomy import category_row, tag_rows

UNCHANGED: Any = object()  # the default of update_post's fields: leave that field as it is
CONTENT = ("title", "slug", "excerpt", "body", "category", "tags", "author", "cover")


def now() -> datetime:
    """The current time as naive UTC (replaced in tests to move the clock)."""
    return utcnow().replace(microsecond=0)


def build_time() -> str:
    """`now()` as the renderer's build time (ISO 8601 UTC): scheduled posts due by then are published."""
    return now().strftime("%Y-%m-%dT%H:%M:%SZ")


def _where(project: Project, slug: str | None = None) -> str:
    return where_in(project, "post", slug)


def _row(project: Project, slug: str) -> BlogPost:
    return row_by_slug(BlogPost, project, slug, "post")


def _author(project: Project, value: str, where: str) -> tuple[User | None, str]:
    """An e-mail address names a member of the organization; any other text is a byline."""
    if "@" in value:
        email = validation.email(value, "author", where=where)
        user = (
            User.select()
            .join(OrganizationMember)
            .where(
                (OrganizationMember.organization == project.organization_id) & (User.email == email)
            )
            .first()
        )
        if user is None:
            raise InvalidInput(
                f"author {email!r} is not a member of organization {project.organization.slug!r}; "
                "give their address or a byline",
                where=where,
                field="author",
            )
        return user, ""
    return None, post_fields.byline(value, where)


def _urls(project: Project, other_than: str | None = None) -> dict[str, str]:
    """Every post URL segment in use (slugs and aliases) -> the slug of the post it serves."""
    query = BlogPost.select(BlogPost.id, BlogPost.slug, BlogPost.aliases).where(
        BlogPost.project == project
    )
    used: dict[str, str] = {}
    for row in query:
        if row.id != other_than:
            used.update(dict.fromkeys(row.aliases or (), row.slug))
            used[row.slug] = row.slug
    return used


def _check_slug(project: Project, slug: str, where: str, post_id: str | None = None) -> None:
    """Free: no other post has it, nor redirects from it (an alias keeps its old URL working)."""
    owner = _urls(project, other_than=post_id).get(slug)
    if owner == slug:
        raise Conflict(f"a post with slug {slug!r} already exists", where=where)
    if owner is not None:
        raise Conflict(
            f"slug {slug!r} is an earlier slug of post {owner!r} and redirects to it; choose another",
            where=where,
        )


def _cover(project: Project, name: str | None, where: str) -> str | None:
    if not name:
        return None
    if not Asset.select().where((Asset.project == project) & (Asset.name == name)).exists():
        raise InvalidInput(
            f"cover {name!r} is not an asset of the project", where=where, field="cover"
        )
    return name


def _timing(
    status: PostStatus, at: object, where: str, current: datetime | None
) -> datetime | None:
    """The `published_at` a status needs: PUBLISHED now (or `at`), SCHEDULED a future `at`."""
    when = post_fields.moment(at, "publish time", where) if at not in (None, "") else None
    if status == PostStatus.SCHEDULED:
        if when is None:
            raise InvalidInput(
                "a scheduled post needs a publish time", where=where, field="publish_at"
            )
        if when <= now():
            raise InvalidInput(
                f"publish time {post_fields.snapshot_time(when)} is not in the future "
                f"(now {post_fields.snapshot_time(now())})",
                where=where,
                field="publish_at",
            )
        return when
    if status == PostStatus.PUBLISHED:
        if when is not None and when > now():
            raise InvalidInput(
                f"publish time {post_fields.snapshot_time(when)} is in the future; schedule the post "
                "instead",
                where=where,
                field="publish_at",
            )
        return when or (current if current and current <= now() else now())
    return when or current


def _known_name(model: type[BlogCategory] | type[BlogTag], project: Project, ref: str) -> str:
    """The name of the category or tag called (or slugged) `ref`, else `ref` itself."""
    if not ref:
        return ref
    name = (
        model.select(model.name)
        .where((model.project == project) & ((model.name == ref) | (model.slug == ref)))
        .order_by(model.name != ref)
        .scalar()
    )
    return name or ref


def _set_tags(row: BlogPost, project: Project, names: Iterable[str], where: str) -> None:
    clean = [post_fields.tag_name(n, where) for n in names]
    BlogPostTag.delete().where(BlogPostTag.post == row).execute()
    for tag in tag_rows(project, clean):
        BlogPostTag.create(post=row, tag=tag)


def get_post(actor: User, project: str | Project, slug: str) -> PostView:
    project = project_for(actor, project, Action.READ)
    return view_of(_row(project, slug))


def list_posts(
    actor: User,
    project: str | Project,
    *,
    status: str | None = None,
    tag: str | None = None,
    category: str | None = None,
    search: str | None = None,
) -> list[PostView]:
    """Newest first (by publish time, then creation); filters combine."""
    project = project_for(actor, project, Action.READ)
    query = (
        BlogPost.select(BlogPost)
        .join(BlogCategory, JOIN.LEFT_OUTER, on=(BlogPost.category == BlogCategory.id))
        .where(BlogPost.project == project)
    )
    if status:
        query = query.where(BlogPost.status == post_fields.status(status, _where(project)))
    if category:
        query = query.where((BlogCategory.name == category) | (BlogCategory.slug == category))
    if tag:
        tagged = (
            BlogPostTag.select(BlogPostTag.post)
            .join(BlogTag)
            .where((BlogTag.project == project) & ((BlogTag.name == tag) | (BlogTag.slug == tag)))
        )
        query = query.where(BlogPost.id.in_(tagged))
    if search:
        needle = f"%{search}%"
        query = query.where(
            (BlogPost.title**needle) | (BlogPost.body**needle) | (BlogPost.excerpt**needle)
        )
    query = query.order_by(
        fn.COALESCE(BlogPost.published_at, BlogPost.created_at).desc(), BlogPost.slug
    )
    return [view_of(row) for row in query]


def create_post(
    actor: User,
    project: str | Project,
    title: str,
    *,
    slug: str | None = None,
    body: str = "",
    excerpt: str = "",
    category: str | None = None,
    tags: Iterable[str] = (),
    author: str | None = None,
    cover: str | None = None,
    status: str = "DRAFT",
    publish_at: object = None,
) -> PostView:
    """A new post; its slug derives from the title unless given (then it must be free)."""
    project = project_for(actor, project, Action.EDIT)
    where = _where(project)
    title = post_fields.title(title, where)
    if slug:
        slug = post_fields.slug(slug, where)
        _check_slug(project, slug, where)
    else:
        slug = unique_slug(slugify(title), set(_urls(project)))
    where = _where(project, slug)
    body, excerpt = post_fields.body(body, where), post_fields.excerpt(excerpt, where)
    user, byline = _author(project, author, where) if author else (None, "")
    chosen = post_fields.status(status, where)
    published_at = _timing(chosen, publish_at, where, None)
    cover = _cover(project, cover, where)
    category = post_fields.category_name(category, where) if category else None
    tags = [post_fields.tag_name(t, where) for t in tags]
    with database.atomic():
        row = BlogPost.create(
            project=project,
            author=user or (actor if not byline else None),
            author_name=byline,
            category=category_row(project, category, create=True) if category else None,
            title=title,
            slug=slug,
            excerpt=excerpt,
            body=body,
            cover_asset=cover,
            status=chosen,
            published_at=published_at,
            aliases=[],
            created_at=now(),  # the same clock as published_at: listings order drafts among posts by it
        )
        _set_tags(row, project, tags, where)
        record_change(
            actor,
            project,
            "post.create",
            "blog_post",
            row.id,
            {"slug": slug, "status": chosen.value},
        )
    return view_of(row)


def update_post(
    actor: User,
    project: str | Project,
    slug: str,
    *,
    title: Any = UNCHANGED,
    new_slug: Any = UNCHANGED,
    body: Any = UNCHANGED,
    excerpt: Any = UNCHANGED,
    category: Any = UNCHANGED,
    tags: Any = UNCHANGED,
    author: Any = UNCHANGED,
    cover: Any = UNCHANGED,
    status: Any = UNCHANGED,
    publish_at: Any = UNCHANGED,
) -> PostView:
    """Changes the given fields in one write; `category=''`/`cover=None` clear them, `tags` replaces all."""
    project = project_for(actor, project, Action.EDIT)
    row = _row(project, slug)
    where = _where(project, slug)
    before = view_of(row)
    changes: dict[str, Any] = {}
    if title is not UNCHANGED:
        changes["title"] = post_fields.title(title, where)
    if new_slug is not UNCHANGED and new_slug != row.slug:
        changes["slug"] = post_fields.slug(new_slug, where)
        _check_slug(project, changes["slug"], where, row.id)
    if body is not UNCHANGED:
        changes["body"] = post_fields.body(body, where)
    if excerpt is not UNCHANGED:
        changes["excerpt"] = post_fields.excerpt(excerpt, where)
    if cover is not UNCHANGED:
        changes["cover_asset"] = _cover(project, cover, where)
    if author is not UNCHANGED:
        user, byline = _author(project, author, where) if author else (None, "")
        changes["author"], changes["author_name"] = user, byline
    new_category = (
        post_fields.category_name(category, where)
        if category not in (UNCHANGED, "", None)
        else category
    )
    new_tags = [post_fields.tag_name(t, where) for t in tags] if tags is not UNCHANGED else None
    if status is not UNCHANGED or publish_at is not UNCHANGED:
        chosen = (
            post_fields.status(status, where) if status is not UNCHANGED else PostStatus(row.status)
        )
        at = None if publish_at is UNCHANGED else publish_at
        if (
            chosen == PostStatus.SCHEDULED
            and at is None
            and row.published_at
            and row.published_at > now()
        ):
            at = row.published_at
        changes["status"], changes["published_at"] = (
            chosen,
            _timing(chosen, at, where, row.published_at),
        )
    category_changed = new_category is not UNCHANGED and (
        _known_name(BlogCategory, project, new_category or "") != before.category
    )
    tags_changed = new_tags is not None and (
        tuple(sorted({_known_name(BlogTag, project, t) for t in new_tags})) != before.tags
    )
    edited = sorted(
        {
            "author" if k == "author_name" else k.removesuffix("_asset")
            for k in changes
            if k not in ("status", "published_at") and getattr(row, k) != changes[k]
        }
        | ({"category"} if category_changed else set())
        | ({"tags"} if tags_changed else set())
    )
    timing = "status" in changes and (
        changes["status"] != PostStatus(row.status) or changes["published_at"] != row.published_at
    )
    if not edited and not timing:
        return before
    with database.atomic():
        if "slug" in changes:
            aliases = [a for a in (row.aliases or []) if a != changes["slug"]]
            changes["aliases"] = aliases + ([row.slug] if row.slug not in aliases else [])
        if category_changed:
            changes["category"] = (
                category_row(project, new_category, create=True) if new_category else None
            )
        for name, value in changes.items():
            setattr(row, name, value)
        if tags_changed and new_tags is not None:
            _set_tags(row, project, new_tags, where)
        live = (
            PostStatus(row.status) == PostStatus.PUBLISHED
            and row.published_at
            and row.published_at <= now()
        )
        if edited and live and before.status == PostStatus.PUBLISHED.value:
            row.edited_at = now()
        row.save()
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "post.update",
            "blog_post",
            row.id,
            {
                "project": project.name,
                "slug": row.slug,
                "fields": edited + (["status"] if timing else []),
            },
        )
    return view_of(row)


def publish_post(actor: User, project: str | Project, slug: str, at: object = None) -> PostView:
    """Makes the post live now (or at the past time `at`)."""
    return update_post(actor, project, slug, status=PostStatus.PUBLISHED, publish_at=at)


def unpublish_post(actor: User, project: str | Project, slug: str) -> PostView:
    """Back to DRAFT: left out of the next publish (its first publish time is kept for a re-publish)."""
    return update_post(actor, project, slug, status=PostStatus.DRAFT)


def schedule_post(actor: User, project: str | Project, slug: str, at: object) -> PostView:
    """Publishes the post at the future time `at` (`bgpub schedule run` or the next publish after it)."""
    return update_post(actor, project, slug, status=PostStatus.SCHEDULED, publish_at=at)


def remove_post(actor: User, project: str | Project, slug: str) -> None:
    project = project_for(actor, project, Action.EDIT)
    row = _row(project, slug)
    with database.atomic():
        row.delete_instance()  # tags' links and comments go with it (CASCADE)
        record_change(actor, project, "post.remove", "blog_post", row.id, {"slug": slug})
