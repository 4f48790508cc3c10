"""The first step of every project operation: find the project the actor names and check that the
actor's role in its organization allows the action (PermissionDenied otherwise)."""

from __future__ import annotations

from bgpub.db.models import Project, User
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require


def project_for(actor: User, project: str | Project, action: Action) -> Project:
    """The project named by `project` (a reference or the row), once `action` is allowed on it."""
    found = find_project(actor, project)
    require(actor, found.organization, action)
    return found
