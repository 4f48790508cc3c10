"""Scheduled posts going live: each project with posts whose time has come is published once.

A run marks the due SCHEDULED posts PUBLISHED and publishes the project to its default target (as
`bgpub publish` with no --target does); if that publish fails the posts are SCHEDULED again, so the
next run retries. A second run finds nothing due and publishes nothing. The clock is `posts.now()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bgpub.db.connection import database
from bgpub.db.enums import PostStatus
from bgpub.db.models import BlogPost, Project, User
from bgpub.errors import BgpubError
from bgpub.services import audit, posts
from bgpub.services.lookup import member_organizations
from bgpub.services.permissions import Action, require
from bgpub.services.revisions import bump_project


@dataclass(frozen=True)
class ScheduleOutcome:
    project: str
    posts: tuple[str, ...]
    version: int | None = None
    error: str = ""


def _due_posts(project: Project) -> list[BlogPost]:
    return list(
        BlogPost.select()
        .where(
            (BlogPost.project == project)
            & (BlogPost.status == PostStatus.SCHEDULED)
            & (BlogPost.published_at <= posts.now())
        )
        .order_by(BlogPost.published_at, BlogPost.slug)
    )


def due_projects(actor: User) -> list[Project]:
    """The actor's projects with at least one scheduled post whose time has come."""
    orgs = [o.id for o in member_organizations(actor)]
    if not orgs:
        return []
    due = BlogPost.select(BlogPost.project).where(
        (BlogPost.status == PostStatus.SCHEDULED) & (BlogPost.published_at <= posts.now())
    )
    return list(
        Project.select()
        .where(Project.organization.in_(orgs) & Project.id.in_(due))
        .order_by(Project.name)
    )


def _mark(actor: User, project: Project, rows: list[BlogPost], status: PostStatus) -> None:
    with database.atomic():
        BlogPost.update(status=status).where(BlogPost.id.in_([r.id for r in rows])).execute()
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "post.scheduled" if status == PostStatus.PUBLISHED else "post.schedule-retry",
            "project",
            project.id,
            {"project": project.name, "posts": [r.slug for r in rows]},
        )


def run_due(actor: User, publish: Callable[..., object] | None = None) -> list[ScheduleOutcome]:
    """Publishes every project of the actor whose scheduled posts came due; one outcome per project."""
    if publish is None:
        from bgpub.services.publishing import publish_project

        publish = publish_project
    outcomes = []
    for project in due_projects(actor):
        rows = _due_posts(project)
        slugs = tuple(r.slug for r in rows)
        try:
            require(actor, project.organization, Action.PUBLISH)
        except BgpubError as exc:
            outcomes.append(ScheduleOutcome(project.name, slugs, error=str(exc)))
            continue
        _mark(actor, project, rows, PostStatus.PUBLISHED)
        try:
            result = publish(actor, project, message=f"scheduled: {', '.join(slugs)}")
        except BgpubError as exc:
            _mark(actor, project, rows, PostStatus.SCHEDULED)
            outcomes.append(ScheduleOutcome(project.name, slugs, error=str(exc)))
            continue
        outcomes.append(ScheduleOutcome(project.name, slugs, getattr(result, "version", None)))
    return outcomes
