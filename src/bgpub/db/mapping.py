"""Rows to domain values: the one place a model becomes the plain type services hand to front ends."""

from __future__ import annotations

from bgpub.db.models import Asset, DeployTarget, Organization, OrganizationMember
from bgpub.domain import tenants
from bgpub.domain.assets import AssetRow
from bgpub.domain.enums import Role, SubscriptionStatus, SubscriptionTier, TargetKind
from bgpub.domain.members import Member
from bgpub.domain.targets import Target


def asset_row(asset: Asset) -> AssetRow:
    """An `assets` row as the domain's AssetRow (no model crosses into the CLI or the editor)."""
    focus = (
        None if asset.focus_x is None or asset.focus_y is None else (asset.focus_x, asset.focus_y)
    )
    return AssetRow(
        name=asset.name,
        type=str(asset.type),
        mime=asset.mime,
        size=asset.size,
        alt=asset.alt or "",
        focus=focus,
        hash=asset.hash,
        width=asset.width,
        height=asset.height,
    )


def target_value(target: DeployTarget) -> Target:
    """A `deploy_targets` row as the domain's Target (what `target add/update` echo back)."""
    return Target(
        project=target.project.name,
        name=target.name,
        kind=TargetKind(str(target.kind)),
        config=dict(target.config or {}),
    )


def member_value(member: OrganizationMember) -> Member:
    """An `organization_members` row (with its user) as the domain's Member."""
    return Member(
        organization=member.organization.slug,
        email=member.user.email,
        name=member.user.name or "",
        role=Role(str(member.role)),
    )


def organization_value(org: Organization) -> tenants.Organization:
    """An `organizations` row as the domain's Organization (slug, name, subscription)."""
    return tenants.Organization(
        slug=org.slug,
        name=org.name,
        tier=SubscriptionTier(str(org.tier)),
        subscription_status=SubscriptionStatus(str(org.subscription_status)),
        is_personal=bool(org.is_personal),
    )
