"""The audit trail: one row per mutating operation, written inside that operation's transaction."""

from __future__ import annotations

from typing import Any

from bgpub.db.models import AuditLog, Organization, User


def record(
    actor: User | None,
    organization: Organization | None,
    action: str,
    target_type: str = "",
    target_id: str = "",
    summary: dict[str, Any] | None = None,
) -> AuditLog:
    """`summary` must never hold secrets: callers pass names and counts, not values."""
    return AuditLog.create(
        organization=organization,
        actor=actor,
        actor_label=actor.email if actor else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summary or {},
    )
