"""The audit trail: one row per mutating operation, written inside that operation's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bgpub.db.mapping import audit_entry
from bgpub.db.models import AuditLog, Organization, User
from bgpub.domain.audit import AuditEntry


def record(
    actor: User | None,
    organization: Organization | None,
    action: str,
    target_type: str = "",
    target_id: str = "",
    summary: dict[str, Any] | None = None,
) -> AuditEntry:
    """`summary` must never hold secrets: callers pass names and counts, not values. Returns the
    entry as written (tests read it back)."""
    row = AuditLog.create(
        organization=organization,
        actor=actor,
        actor_label=actor.email if actor else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summary or {},
    )
    return audit_entry(row)


def list_entries(
    actor: User, organization: str | Organization, since: datetime | None = None, limit: int = 1000
) -> list[AuditEntry]:
    """The organization's audit entries, oldest first, from `since` on (ADMIN and up)."""
    from bgpub.services.lookup import find_organization
    from bgpub.services.permissions import Action, require

    org = find_organization(actor, organization)
    require(actor, org, Action.VIEW_AUDIT)
    query = AuditLog.select().where(AuditLog.organization == org)
    if since is not None:
        query = query.where(AuditLog.created_at >= since)
    return [audit_entry(e) for e in query.order_by(AuditLog.created_at, AuditLog.id).limit(limit)]
