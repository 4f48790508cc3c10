"""Organizations: the tenants that own projects, carry the subscription and have members with roles.

Front ends get `bgpub.domain.tenants` values; `summarize` takes a row (services' own helper; front
ends call `show_organization`)."""

from __future__ import annotations

from peewee import IntegrityError

from bgpub.db.connection import database
from bgpub.db.enums import Role, SubscriptionStatus, SubscriptionTier
from bgpub.db.mapping import organization_value
from bgpub.db.models import Organization, OrganizationMember, User
from bgpub.domain import tenants
from bgpub.domain.tenants import OrganizationSummary
from bgpub.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from bgpub.services import audit, limits, validation
from bgpub.services.lookup import find_organization, member_organizations
from bgpub.services.permissions import Action, require, role_of


def summarize(actor: User, organization: Organization) -> OrganizationSummary:
    """An organization row's summary for the actor (internal: front ends call `show_organization`)."""
    role = require(actor, organization, Action.READ)
    use = limits.usage(organization)
    return OrganizationSummary(
        slug=organization.slug,
        name=organization.name,
        tier=SubscriptionTier(organization.tier).value,
        status=SubscriptionStatus(organization.subscription_status).value,
        role=role.value,
        is_personal=organization.is_personal,
        members=OrganizationMember.select()
        .where(OrganizationMember.organization == organization)
        .count(),
        projects=use["projects"],
        projects_allowed=use["projects_allowed"],
        storage_bytes=use["storage_bytes"],
        storage_allowed=use["storage_allowed"],
    )


def list_organizations(actor: User) -> list[OrganizationSummary]:
    """Every organization the actor belongs to, personal first."""
    return [summarize(actor, org) for org in member_organizations(actor)]


def show_organization(actor: User, slug: str) -> OrganizationSummary:
    """`bgpub org show`: the named organization's summary (outsiders get NotFound, not a hint)."""
    return summarize(actor, find_organization(actor, slug))


def get_organization(actor: User, slug: str) -> tenants.Organization:
    """The named organization if the actor is a member (outsiders get NotFound, not a hint)."""
    return organization_value(find_organization(actor, slug))


def create_organization(actor: User, slug: str, name: str | None = None) -> tenants.Organization:
    """A new organization on the FREE tier with the actor as its OWNER."""
    slug = validation.slug(slug, "organization slug", where="org create")
    name = validation.required_text(name or slug, "name", where=f"organization {slug}")
    if Organization.select().where(Organization.slug == slug).exists():
        raise Conflict(f"the slug {slug!r} is taken; choose another", where=f"organization {slug}")
    try:
        with database.atomic():
            org = Organization.create(slug=slug, name=name)
            OrganizationMember.create(organization=org, user=actor, role=Role.OWNER)
            audit.record(
                actor, org, "org.create", "organization", org.id, {"slug": slug, "name": name}
            )
    except IntegrityError:  # a concurrent create took the slug between the check and the insert
        raise Conflict(
            f"the slug {slug!r} is taken; choose another", where=f"organization {slug}"
        ) from None
    return organization_value(org)


def rename_organization(actor: User, slug: str | Organization, name: str) -> tenants.Organization:
    org = find_organization(actor, slug)
    require(actor, org, Action.RENAME_ORGANIZATION)
    name = validation.required_text(name, "name", where=f"organization {org.slug}")
    with database.atomic():
        old = org.name
        org.name = name
        org.save()
        audit.record(actor, org, "org.rename", "organization", org.id, {"from": old, "to": name})
    return organization_value(org)


def change_tier(
    actor: User,
    slug: str | Organization,
    tier: str | SubscriptionTier,
    status: str | SubscriptionStatus = SubscriptionStatus.ACTIVE,
) -> tenants.Organization:
    """Moves to another tier (the one change a lapsed organization may make); refuses a downgrade
    below what is already used, so no organization is left over its limits."""
    org = find_organization(actor, slug)
    require(actor, org, Action.CHANGE_TIER)
    where = f"organization {org.slug}"
    tier = validation.enum_value(SubscriptionTier, tier, "tier", where=where)
    status = validation.enum_value(SubscriptionStatus, status, "status", where=where)
    allowed = limits.LIMITS[tier]
    use = limits.usage(org)
    if allowed.projects is not None and use["projects"] > allowed.projects:
        raise LimitExceeded(
            f"the {tier.value} tier allows {allowed.projects} project(s) but {use['projects']} exist; "
            "delete some first",
            where=where,
        )
    if allowed.storage_bytes is not None and use["storage_bytes"] > allowed.storage_bytes:
        raise LimitExceeded(
            f"the {tier.value} tier allows {limits.human_bytes(allowed.storage_bytes)} of storage but "
            f"{limits.human_bytes(use['storage_bytes'])} are used; delete assets first",
            where=where,
        )
    with database.atomic():
        old_tier, old_status = org.tier, org.subscription_status
        org.tier = tier
        org.subscription_status = status
        org.save()
        audit.record(
            actor,
            org,
            "org.tier",
            "organization",
            org.id,
            {"from": f"{old_tier.value}/{old_status.value}", "to": f"{tier.value}/{status.value}"},
        )
    return organization_value(org)


def transfer_organization(
    actor: User, slug: str | Organization, new_owner_email: str
) -> tenants.Organization:
    """Hands ownership to another member; the actor stays on as ADMIN."""
    org = find_organization(actor, slug)
    require(actor, org, Action.TRANSFER_ORGANIZATION)
    where = f"organization {org.slug}"
    email = validation.email(new_owner_email, where=where)
    target = User.select().where(User.email == email).first()
    if target is None or role_of(target, org) is None:
        raise NotFound(
            f"{email} is not a member; add them first with 'bgpub member add'", where=where
        )
    if target.id == actor.id:
        raise InvalidInput(f"{email} already owns the organization", where=where)
    with database.atomic():
        OrganizationMember.update(role=Role.OWNER).where(
            (OrganizationMember.organization == org) & (OrganizationMember.user == target)
        ).execute()
        OrganizationMember.update(role=Role.ADMIN).where(
            (OrganizationMember.organization == org) & (OrganizationMember.user == actor)
        ).execute()
        audit.record(actor, org, "org.transfer", "user", target.id, {"to_role": Role.OWNER.value})
    return organization_value(org)


def delete_organization(actor: User, slug: str | Organization, *, confirm: str) -> None:
    """Deletes the organization and everything it owns; `confirm` must repeat the slug."""
    org = find_organization(actor, slug)
    require(actor, org, Action.DELETE_ORGANIZATION)
    where = f"organization {org.slug}"
    if confirm != org.slug:
        raise InvalidInput(
            f"type the slug {org.slug!r} to confirm the deletion", where=where, field="confirm"
        )
    try:
        with database.atomic():
            audit.record(actor, None, "org.delete", "organization", org.id, {"slug": org.slug})
            org.delete_instance()
    except IntegrityError:
        raise Conflict(
            "a project has orders, which are financial records and cannot be deleted; archive it instead",
            where=where,
        ) from None
