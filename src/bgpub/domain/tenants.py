"""Organizations (the tenants) as front ends see them: the organization and its subscription, and a
summary of its use against its tier's limits; plain values, so no row crosses into the CLI or editor.

(`bgpub.domain.organizations` holds the editor's one-line `OrganizationRow`.)"""

from __future__ import annotations

from dataclasses import dataclass

from bgpub.domain.enums import SubscriptionStatus, SubscriptionTier


@dataclass(frozen=True)
class Organization:
    """An organization just created or changed: what `bgpub org create/tier` report back."""

    slug: str
    name: str
    tier: SubscriptionTier
    subscription_status: SubscriptionStatus
    is_personal: bool = False


@dataclass(frozen=True)
class OrganizationSummary:
    """What `org list`/`org show` and the editor display: the actor's role, usage and limits."""

    slug: str
    name: str
    tier: str
    status: str
    role: str
    is_personal: bool
    members: int
    projects: int
    projects_allowed: int | None
    storage_bytes: int
    storage_allowed: int | None
