"""The first steps of every project operation: find the project the actor names and check that the
actor's role in its organization allows the action (PermissionDenied otherwise), then find the row the
operation is about by its slug, errors naming where."""

from __future__ import annotations

from typing import Any, TypeVar

from bgpub.db.models import BaseModel, Project, User
from bgpub.errors import NotFound
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require

_Row = TypeVar("_Row", bound=BaseModel)


def project_for(user: User, project: str | Project, action: Action) -> Project:
    """The project named by `project` (a reference or the row), once `action` is allowed to `user`
    (a step of the operations, not one itself: hence not named `actor`)."""
    found = find_project(user, project)
    require(user, found.organization, action)
    return found


def where_in(project: Project, kind: str, slug: str | None = None) -> str:
    """The `where=` of an error: the project, and the `kind` of thing named `slug` when there is one."""
    return f"project {project.name}" + (f", {kind} {slug}" if slug else "")


def row_by_slug(model: type[_Row], project: Project, slug: str, kind: str) -> _Row:
    """The project's `model` row with that slug; NotFound ("no post 'x'") otherwise."""
    table: Any = model  # every model passed here has `project` and `slug` columns
    row: _Row | None = table.get_or_none((table.project == project) & (table.slug == slug))
    if row is None:
        raise NotFound(f"no {kind} {slug!r}", where=f"project {project.name}")
    return row
