"""Change counters: the project's revision (the preview polls it) and each page's optimistic revision.

A page update names the revision it was based on; the write only happens when the row still has
that revision, so two editors never silently overwrite each other.
"""

from __future__ import annotations

from typing import Any

from bgpub.db.fields import utcnow
from bgpub.db.models import Page, Project, User
from bgpub.errors import Conflict


def project_revision(project_id: str) -> int | None:
    """The project's change counter (None once deleted); the preview polls it, so one primary-key read."""
    found: int | None = Project.select(Project.revision).where(Project.id == project_id).scalar()
    return found


def bump_project(project: Project) -> None:
    """Counts one content change of the project (in the caller's transaction)."""
    Project.update(revision=Project.revision + 1, updated_at=utcnow()).where(
        Project.id == project.id
    ).execute()
    project.revision = (project.revision or 0) + 1


def check_expected(page: Page, project: Project, expected_revision: int | None) -> None:
    if expected_revision is not None and expected_revision != page.revision:
        raise Conflict(
            f"page {page.slug!r} changed since it was loaded (now revision {page.revision}, "
            f"edit based on {expected_revision}); reload it and apply the change again",
            where=f"project {project.name}, page {page.slug}",
        )


def save_page(
    page: Page,
    project: Project,
    actor: User | None,
    changes: dict[str, Any],
    expected_revision: int | None = None,
) -> Page:
    """Writes `changes` to the page if it is still at the revision read (or `expected_revision`).

    Bumps the page's revision and updates the in-memory `page`; raises Conflict otherwise.
    """
    check_expected(page, project, expected_revision)
    base = page.revision
    values = dict(changes)
    values.update(revision=base + 1, updated_at=utcnow(), updated_by=actor.id if actor else None)
    fields = {getattr(Page, name): value for name, value in values.items()}
    done = Page.update(fields).where((Page.id == page.id) & (Page.revision == base)).execute()
    if done != 1:
        current = Page.select(Page.revision).where(Page.id == page.id).scalar()
        raise Conflict(
            f"page {page.slug!r} was changed by someone else meanwhile (now revision {current}); "
            "reload it and apply the change again",
            where=f"project {project.name}, page {page.slug}",
        )
    for name, value in values.items():
        if name != "updated_by":
            setattr(page, name, value)
    page.updated_by_id = values["updated_by"]
    return page
