"""Who an API request is: a Bearer key checked once (Argon2 is slow on purpose), then its scope and
project for each call. The collector caches the checked principal for a minute."""

from __future__ import annotations

from typing import Any

from bgpub.db.mapping import project_details
from bgpub.db.models import Order, Organization, Project
from bgpub.domain.api_keys import ApiPrincipal
from bgpub.domain.project_details import ProjectDetails
from bgpub.errors import NotFound, PermissionDenied
from bgpub.services.api_keys import verify_api_key


def verify_bearer(plain: str) -> ApiPrincipal:
    """The key behind `plain` (its last-used time is recorded); PermissionDenied if none is valid."""
    row = verify_api_key(plain)
    return ApiPrincipal(
        row.id, row.prefix, row.organization_id, frozenset(row.permissions or ()), row.project_id
    )


def api_project(principal: ApiPrincipal, ref: str, scope: str) -> ProjectDetails:
    """The project `ref` (its id or name) of the key's organization, if the key has `scope` for it;
    handlers pass its `id` on to the services they call."""
    if scope not in principal.scopes:
        raise PermissionDenied(
            f"this key lacks the {scope!r} scope", where=f"api key {principal.prefix}"
        )
    query = (
        Project.select(Project, Organization)
        .join(Organization)
        .where(Project.organization == principal.organization_id)
    )
    project: Project | None = (
        query.where(Project.id == ref).first() or query.where(Project.name == ref).first()
    )
    if project is None or (principal.project_id and principal.project_id != project.id):
        raise NotFound("no such project for this key", where=f"project {ref}")
    return project_details(project)


def orders_of(project: Project | str, limit: int = 100) -> list[dict[str, Any]]:
    rows = Order.select().where(Order.project == project).order_by(Order.number.desc()).limit(limit)
    return [
        {
            "number": o.number,
            "status": o.status.value if hasattr(o.status, "value") else o.status,
            "total_cents": o.total_cents,
            "currency": o.currency,
            "customer_name": o.customer_name,
            "created_at": o.created_at.isoformat(),
        }
        for o in rows
    ]
