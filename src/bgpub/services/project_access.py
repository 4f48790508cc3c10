"""The first steps of every project operation: find the project the actor names and check that the
actor's role in its organization allows the action (PermissionDenied otherwise), then find the row the
operation is about by its slug, errors naming where."""

from __future__ import annotations

from typing import Any

from bgpub.db.models import Project, User
from bgpub.errors import NotFound
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require


def project_for(user: User, project: str | Project, action: Action) -> Project:
    """The project named by `project` (a reference or the row), once `action` is allowed to `user`
    (a step of the operations, not one itself: hence not named `actor`)."""
    found = find_project(user, project)
    require(user, found.organization, action)
    return found


def where_in(project: Project, kind: str, slug: str | None = None) -> str:
    """The `where=` of an error: the project, and the `kind` of thing named `slug` when there is one."""
    return f"project {project.name}" + (f", {kind} {slug}" if slug else "")


def row_by_slug(model: Any, project: Project, slug: str, kind: str) -> Any:
    """The project's `model` row with that slug; NotFound ("no post 'x'") otherwise."""
    row = model.get_or_none((model.project == project) & (model.slug == slug))
    if row is None:
        raise NotFound(f"no {kind} {slug!r}", where=f"project {project.name}")
    return row
