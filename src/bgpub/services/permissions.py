"""Who may do what: the role matrix every mutating service checks before it writes."""

from __future__ import annotations

from enum import StrEnum

from bgpub.db.enums import Role, SubscriptionStatus
from bgpub.db.models import Organization, OrganizationMember, User
from bgpub.errors import PermissionDenied


class Action(StrEnum):
    READ = "read"
    EDIT = "edit"  # pages, component instances, assets, project settings
    PREVIEW = "preview"
    PUBLISH = "publish"  # publish and roll back
    MANAGE_TARGETS = "manage targets"
    MANAGE_WEBHOOKS = "manage webhooks"
    MANAGE_INTEGRATIONS = "manage integrations"
    MANAGE_MEMBERS = "manage members"
    CREATE_PROJECT = "create projects"
    DELETE_PROJECT = "delete projects"
    CHANGE_TIER = "change the subscription"
    TRANSFER_ORGANIZATION = "transfer the organization"
    DELETE_ORGANIZATION = "delete the organization"
    VIEW_AUDIT = "view the audit log"
    RENAME_ORGANIZATION = "rename the organization"


# The least role that may perform each action; roles are ordered OWNER > ADMIN > EDITOR > VIEWER.
MINIMUM_ROLE: dict[Action, Role] = {
    Action.READ: Role.VIEWER,
    Action.EDIT: Role.EDITOR,
    Action.PREVIEW: Role.EDITOR,
    Action.PUBLISH: Role.ADMIN,
    Action.MANAGE_TARGETS: Role.ADMIN,
    Action.MANAGE_WEBHOOKS: Role.ADMIN,
    Action.MANAGE_INTEGRATIONS: Role.ADMIN,
    Action.MANAGE_MEMBERS: Role.ADMIN,
    Action.CREATE_PROJECT: Role.ADMIN,
    Action.DELETE_PROJECT: Role.ADMIN,
    Action.CHANGE_TIER: Role.OWNER,
    Action.TRANSFER_ORGANIZATION: Role.OWNER,
    Action.DELETE_ORGANIZATION: Role.OWNER,
    Action.VIEW_AUDIT: Role.ADMIN,
    Action.RENAME_ORGANIZATION: Role.OWNER,
}

RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2, Role.OWNER: 3}

# Actions still allowed while the subscription is PAST_DUE or CANCELED (read-only apart from the tier).
ALLOWED_WHEN_LAPSED = {Action.READ, Action.CHANGE_TIER}


def role_of(user: User, organization: Organization) -> Role | None:
    member = (
        OrganizationMember.select(OrganizationMember.role)
        .where(
            (OrganizationMember.user == user) & (OrganizationMember.organization == organization)
        )
        .first()
    )
    return Role(member.role) if member else None


def require(user: User, organization: Organization, action: Action) -> Role:
    """Returns the user's role, or raises naming the role the action needs."""
    role = role_of(user, organization)
    needed = MINIMUM_ROLE[action]
    if role is None:
        raise PermissionDenied(
            f"{user.email} is not a member of organization {organization.slug!r}",
            where=organization.slug,
        )
    if RANK[role] < RANK[needed]:
        raise PermissionDenied(
            f"{action.value} needs the {needed.value} role; {user.email} is {role.value}",
            where=organization.slug,
        )
    lapsed = organization.subscription_status in (
        SubscriptionStatus.PAST_DUE,
        SubscriptionStatus.CANCELED,
    )
    if lapsed and action not in ALLOWED_WHEN_LAPSED:
        raise PermissionDenied(
            f"the subscription is {organization.subscription_status.value}: the organization is read-only "
            "until the tier is changed",
            where=organization.slug,
        )
    return role
