"""The site settings form's save: the project's fields and its analytics in one transaction.

The analytics are an integration (an ADMIN's change) stored apart from the project's row. Saved one
after the other, a refused analytics change (an EDITOR's, or a value the check refuses) would leave
the other fields saved and the form saying it failed; here both are checked first, then written in
one transaction, so a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bgpub.db.connection import database
from bgpub.db.models import Project, User
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.projects import update_project
from bgpub.services.site_analytics import check_analytics, set_site_analytics


def save_site_settings(
    actor: User,
    project: str | Project,
    *,
    fields: Mapping[str, Any],
    analytics: tuple[str, str] | None = None,
) -> None:
    """`fields` are update_project's keyword arguments; `analytics` (kind, id) replaces the site's
    analytics, None leaves them alone."""
    found = find_project(actor, project)
    require(actor, found.organization, Action.EDIT)
    if analytics is not None:
        require(actor, found.organization, Action.MANAGE_INTEGRATIONS)
        check_analytics(*analytics, f"project {found.name}, settings, analytics")
    with database.atomic():
        update_project(actor, found, **fields)
        if analytics is not None:
            set_site_analytics(actor, found, *analytics)
