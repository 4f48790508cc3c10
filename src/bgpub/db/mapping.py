"""Rows to domain values: the one place a model becomes the plain type services hand to front ends."""

from __future__ import annotations

from bgpub.db.models import (
    Asset,
    AuditLog,
    Component,
    DeployTarget,
    Organization,
    OrganizationMember,
    Page,
    Project,
    User,
    Webhook,
)
from bgpub.domain import tenants
from bgpub.domain.assets import AssetRow
from bgpub.domain.audit import AuditEntry
from bgpub.domain.blocks import Block
from bgpub.domain.components import SavedComponent
from bgpub.domain.enums import ProjectStatus, Role, SubscriptionStatus, SubscriptionTier, TargetKind
from bgpub.domain.members import Member
from bgpub.domain.page_details import PageDetails
from bgpub.domain.pages import PageDocument
from bgpub.domain.project_details import ProjectDetails
from bgpub.domain.targets import Target
from bgpub.domain.users import User as UserValue
from bgpub.domain.webhooks import AddedWebhook


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


def audit_entry(entry: AuditLog) -> AuditEntry:
    """An `audit_logs` row as the domain's AuditEntry (what `bgpub audit` prints)."""
    return AuditEntry(
        id=str(entry.id),
        organization_id=None if entry.organization_id is None else str(entry.organization_id),
        actor_label=entry.actor_label or "",
        action=entry.action,
        target_type=entry.target_type or "",
        target_id=entry.target_id or "",
        created_at=entry.created_at,
        summary=dict(entry.summary or {}),
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


def user_value(user: User) -> UserValue:
    """A `users` row as the domain's User (what `config user.email --rename` and `user delete` echo)."""
    return UserValue(
        id=str(user.id), email=user.email, name=user.name or "", deleted_at=user.deleted_at
    )


def saved_component(component: Component, base: str) -> SavedComponent:
    """A `components` row as the domain's SavedComponent; `base` is its library component's key
    (given, so the mapping runs no query for the library row)."""
    return SavedComponent(
        key=component.key,
        base=base,
        name=component.name,
        description=component.description or "",
        defaults=dict(component.defaults or {}),
    )


def added_webhook(hook: Webhook, secret: str) -> AddedWebhook:
    """A `webhooks` row just created, with its plain `secret` (held nowhere else in plain text)."""
    return AddedWebhook(
        id=str(hook.id),
        url=hook.url,
        events=tuple(hook.events or ()),
        allow_private=bool(hook.allow_private),
        secret=secret,
    )
