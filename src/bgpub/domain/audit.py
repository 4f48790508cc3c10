"""The audit trail as front ends see it: one plain entry per recorded operation, so no audit row
crosses into `bgpub audit`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AuditEntry:
    """Who did what, when, to which target: one line of `bgpub audit`. `actor_label` outlives the
    actor (it is anonymised when the user is deleted); `summary` holds names and counts, no secrets."""

    id: str
    organization_id: str | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    created_at: datetime
    summary: dict[str, Any] = field(default_factory=dict)
