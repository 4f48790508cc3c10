"""The last step of every change to a project's content, inside its transaction: the project's
revision moves on (so a build knows the published site is behind) and one audit row says who did
what, naming the project."""

from __future__ import annotations

from typing import Any

from bgpub.db.models import Project, User
from bgpub.services import audit
from bgpub.services.revisions import bump_project


def record_change(
    user: User | None, project: Project, action: str, kind: str, key: Any, details: dict[str, Any]
) -> None:
    """Bumps the project's revision and writes the audit row `{"project": name, **details}` naming
    `user` (a step of the operations, not one itself: hence not named `actor`)."""
    bump_project(project)
    audit.record(
        user, project.organization, action, kind, key, {"project": project.name, **details}
    )
