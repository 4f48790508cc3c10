"""Members of an organization: invitations, role changes and removals, never leaving it without an OWNER.

Front ends get `bgpub.domain.members` values; `owner_count` (used by organizations) takes a row."""

from __future__ import annotations

from bgpub.db.connection import database
from bgpub.db.enums import Role
from bgpub.db.mapping import member_value
from bgpub.db.models import Organization, OrganizationMember, User
from bgpub.domain.members import Member, MemberView
from bgpub.errors import Conflict, NotFound, PermissionDenied
from bgpub.services import audit, validation
from bgpub.services.lookup import find_organization
from bgpub.services.permissions import RANK, Action, require
from bgpub.services.users import find_or_create_user


def _membership(org: Organization, email: str) -> OrganizationMember:
    member: OrganizationMember | None = (
        OrganizationMember.select(OrganizationMember, User)
        .join(User)
        .where((OrganizationMember.organization == org) & (User.email == email))
        .first()
    )
    if member is None:
        raise NotFound(f"{email} is not a member", where=f"organization {org.slug}")
    return member


def owner_count(org: Organization) -> int:
    return (
        OrganizationMember.select()
        .where((OrganizationMember.organization == org) & (OrganizationMember.role == Role.OWNER))
        .count()
    )


def _check_may_manage(actor_role: Role, org: Organization, *roles: Role) -> None:
    """An ADMIN manages members below OWNER only; an OWNER manages anyone."""
    if actor_role == Role.OWNER:
        return
    if any(RANK[r] >= RANK[Role.OWNER] for r in roles):
        raise PermissionDenied(
            f"granting, changing or removing the OWNER role needs the {Role.OWNER.value} role; "
            f"you are {actor_role.value}",
            where=f"organization {org.slug}",
        )


def list_members(actor: User, org: str | Organization) -> list[MemberView]:
    org = find_organization(actor, org)
    require(actor, org, Action.READ)
    rows = (
        OrganizationMember.select(OrganizationMember, User)
        .join(User)
        .where(OrganizationMember.organization == org)
        .order_by(User.email)
    )
    ordered = sorted(rows, key=lambda m: (-RANK[Role(m.role)], m.user.email))
    return [
        MemberView(m.user.email, m.user.name, Role(m.role).value, m.user.db_role) for m in ordered
    ]


def add_member(
    actor: User, org: str | Organization, email: str, role: str | Role = Role.VIEWER
) -> Member:
    """Adds a member; an unknown email gets a user record (an invitation)."""
    org = find_organization(actor, org)
    actor_role = require(actor, org, Action.MANAGE_MEMBERS)
    where = f"organization {org.slug}"
    email = validation.email(email, where=where)
    role = validation.enum_value(Role, role, "role", where=where)
    _check_may_manage(actor_role, org, role)
    with database.atomic():
        user, created = find_or_create_user(email)
        exists = (
            OrganizationMember.select()
            .where((OrganizationMember.organization == org) & (OrganizationMember.user == user))
            .exists()
        )
        if exists:
            raise Conflict(f"{email} is already a member; use 'bgpub member role'", where=where)
        member = OrganizationMember.create(organization=org, user=user, role=role)
        audit.record(
            actor, org, "member.add", "user", user.id, {"role": role.value, "invited": created}
        )
    return member_value(member)


def change_role(actor: User, org: str | Organization, email: str, role: str | Role) -> Member:
    org = find_organization(actor, org)
    actor_role = require(actor, org, Action.MANAGE_MEMBERS)
    where = f"organization {org.slug}"
    email = validation.email(email, where=where)
    role = validation.enum_value(Role, role, "role", where=where)
    with database.atomic():
        member = _membership(org, email)
        old = Role(member.role)
        _check_may_manage(actor_role, org, old, role)
        if old == role:
            return member_value(member)
        if old == Role.OWNER and owner_count(org) <= 1:
            raise Conflict(
                f"{email} is the last OWNER; make another member OWNER first", where=where
            )
        member.role = role
        member.save()
        audit.record(
            actor, org, "member.role", "user", member.user_id, {"from": old.value, "to": role.value}
        )
    return member_value(member)


def remove_member(actor: User, org: str | Organization, email: str) -> None:
    """Removes a member; any member may remove themselves (leave), except the last OWNER."""
    org = find_organization(actor, org)
    where = f"organization {org.slug}"
    email = validation.email(email, where=where)
    leaving = email == actor.email
    actor_role = require(actor, org, Action.READ if leaving else Action.MANAGE_MEMBERS)
    with database.atomic():
        member = _membership(org, email)
        old = Role(member.role)
        if not leaving:
            _check_may_manage(actor_role, org, old)
        if old == Role.OWNER and owner_count(org) <= 1:
            raise Conflict(
                f"{email} is the last OWNER; transfer the organization or delete it instead",
                where=where,
            )
        member.delete_instance()
        audit.record(
            actor,
            org,
            "member.remove",
            "user",
            member.user_id,
            {"role": old.value, "left": leaving},
        )
