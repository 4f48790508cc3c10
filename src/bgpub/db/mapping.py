"""Rows to domain values: the one place a model becomes the plain type services hand to front ends."""

from __future__ import annotations

from bgpub.db.models import (
    Asset,
    DeployTarget,
    Organization,
    OrganizationMember,
    Page,
    Project,
)
from bgpub.domain import tenants
from bgpub.domain.assets import AssetRow
from bgpub.domain.blocks import Block
from bgpub.domain.enums import ProjectStatus, Role, SubscriptionStatus, SubscriptionTier, TargetKind
from bgpub.domain.members import Member
from bgpub.domain.page_details import PageDetails
from bgpub.domain.pages import PageDocument
from bgpub.domain.project_details import ProjectDetails
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


def page_details(page: Page, project: str) -> PageDetails:
    """A `pages` row as the domain's PageDetails; `project` is its project's name (given, so a list
    of pages costs no query per page)."""
    return PageDetails(
        project=project,
        slug=page.slug,
        title=page.title,
        position=page.position,
        is_home=bool(page.is_home),
        show_in_nav=bool(page.show_in_nav),
        noindex=bool(page.noindex),
        blocks=len(page.blocks or []),
        revision=page.revision,
    )


def page_document(page: Page, project: str) -> PageDocument:
    """A `pages` row as the document the editor edits: its blocks as domain Blocks."""
    blocks = tuple(
        Block(b.get("component", ""), dict(b.get("props") or {})) for b in page.blocks or []
    )
    return PageDocument(project, page.slug, page.title, page.revision, blocks, bool(page.is_home))


def project_details(project: Project, *, pages: int = 0) -> ProjectDetails:
    """A `projects` row as the domain's ProjectDetails; `pages` is its page count when the caller
    counted them (a mapping runs no query of its own but the organization's slug)."""
    return ProjectDetails(
        organization=project.organization.slug,
        name=project.name,
        title=project.title,
        theme=project.theme,
        status=ProjectStatus(str(project.status)),
        revision=project.revision,
        description=project.description or "",
        language=project.language or "en",
        subdomain=project.subdomain or "",
        custom_domain=project.custom_domain or "",
        theme_overrides=dict(project.theme_overrides or {}),
        settings=dict(project.settings or {}),
        pages=pages,
        organization_id=str(project.organization_id),
        id=str(project.id),
    )
