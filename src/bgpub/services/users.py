"""Users and their personal data: invitations create them, `export` shows everything stored, `delete` anonymises.

Anonymising keeps the rows other people rely on (audit trail, authored versions) but removes the
email, name and avatar, the memberships, and the email from every audit summary.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from bgpub.db.connection import database, is_postgres
from bgpub.db.enums import Role
from bgpub.db.fields import utcnow
from bgpub.db.mapping import user_value
from bgpub.db.models import (
    ApiKey,
    Asset,
    AuditLog,
    BlogComment,
    BlogPost,
    Component,
    Deployment,
    Order,
    Organization,
    OrganizationMember,
    Page,
    Project,
    User,
    Version,
)
from bgpub.domain import users as domain
from bgpub.errors import Conflict, NotFound, PermissionDenied
from bgpub.services import audit, orders, validation

ANONYMOUS_LABEL = "deleted user"


def find_user(email: str) -> User:
    email = validation.email(email)
    user: User | None = User.select().where(User.email == email).first()
    if user is None:
        raise NotFound(f"no user {email!r}", where="user")
    return user


def find_or_create_user(email: str, name: str = "") -> tuple[User, bool]:
    """The user with this (normalised) email, created as an invitation when unknown."""
    email = validation.email(email)
    user = User.select().where(User.email == email).first()
    if user is not None:
        return user, False
    return User.create(email=email, name=name), True


def email_known(email: str) -> bool:
    """Whether a (not deleted) user with this address exists; `bgpub config user.email` asks first."""
    email = validation.email(email)
    return User.select().where((User.email == email) & User.deleted_at.is_null()).exists()


def user_count() -> int:
    return User.select().where(User.deleted_at.is_null()).count()


def rename_user(actor: User, new_email: str) -> domain.User:
    """The actor takes a new email address (their memberships, projects and history stay theirs)."""
    new_email = validation.email(new_email, "email", where=f"user {actor.email}")
    if new_email == actor.email:
        return user_value(actor)
    if User.select().where(User.email == new_email).exists():
        raise Conflict(
            f"{new_email} is already another user's address", where=f"user {actor.email}"
        )
    old_email = actor.email
    with database.atomic():
        User.update(email=new_email, updated_at=utcnow()).where(User.id == actor.id).execute()
        audit.record(
            actor, None, "user.rename", "user", actor.id, {"from": old_email, "to": new_email}
        )
    return user_value(User.get_by_id(actor.id))


def _self_only(actor: User, user: User, what: str) -> None:
    if actor.id != user.id:
        raise PermissionDenied(
            f"only {user.email} may {what} their personal data (administrators act with --as)",
            where=f"user {user.email}",
        )


def _when(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (datetime, date)) else value


def _project_label(project_id: str | None) -> str:
    if project_id is None:
        return ""
    project = (
        Project.select(Project.name, Organization.slug)
        .join(Organization)
        .where(Project.id == project_id)
        .first()
    )
    return f"{project.organization.slug}/{project.name}" if project else project_id


def export_user(actor: User, email: str) -> dict[str, Any]:
    """Everything bgpub stores about the user, as JSON-ready data (API key hashes excluded: not data about them)."""
    user = find_user(email)
    _self_only(actor, user, "export")
    memberships = (
        OrganizationMember.select(OrganizationMember, Organization)
        .join(Organization)
        .where(OrganizationMember.user == user)
        .order_by(Organization.slug)
    )
    data: dict[str, Any] = {
        "user": {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "avatar_url": user.avatar_url,
            "db_role": user.db_role,
            "created_at": _when(user.created_at),
            "updated_at": _when(user.updated_at),
            "deleted_at": _when(user.deleted_at),
        },
        "memberships": [
            {
                "organization": m.organization.slug,
                "role": Role(m.role).value,
                "since": _when(m.created_at),
            }
            for m in memberships
        ],
        "projects_created": [
            _project_label(p.id)
            for p in Project.select(Project.id).where(Project.created_by == user)
        ],
        "pages_last_edited": [
            {"project": _project_label(p.project_id), "page": p.slug, "at": _when(p.updated_at)}
            for p in Page.select().where(Page.updated_by == user)
        ],
        "assets_uploaded": [
            {
                "project": _project_label(a.project_id),
                "name": a.name,
                "size": a.size,
                "at": _when(a.created_at),
            }
            for a in Asset.select().where(Asset.uploaded_by == user)
        ],
        "versions_published": [
            {
                "project": _project_label(v.project_id),
                "number": v.number,
                "message": v.message,
                "at": _when(v.created_at),
            }
            for v in Version.select(
                Version.project, Version.number, Version.message, Version.created_at
            ).where(Version.author == user)
        ],
        "deployments": [
            {
                "project": _project_label(d.project_id),
                "target": d.target_name,
                "status": str(d.status),
                "at": _when(d.started_at),
            }
            for d in Deployment.select().where(Deployment.actor == user)
        ],
        "blog_posts": [
            {"project": _project_label(p.project_id), "slug": p.slug, "title": p.title}
            for p in BlogPost.select().where(BlogPost.author == user)
        ],
        "saved_components": [c.key for c in Component.select().where(Component.created_by == user)],
        "api_keys_created": [
            {"name": k.name, "prefix": k.prefix, "created_at": _when(k.created_at)}
            for k in ApiKey.select().where(ApiKey.created_by == user)
        ],
        "blog_comments": [
            {
                "post": c.post_id,
                "author_name": c.author_name,
                "body": c.body,
                "at": _when(c.created_at),
            }
            for c in BlogComment.select().where(BlogComment.author_email == user.email)
        ],
        "orders": [
            {
                "project": _project_label(o.project_id),
                "number": o.number,
                "total_cents": o.total_cents,
                "currency": o.currency,
                "status": str(o.status),
                "at": _when(o.created_at),
            }
            for o in Order.select().where(Order.customer_email == user.email)
        ],
        "audit_entries": [
            {
                "action": a.action,
                "target_type": a.target_type,
                "target_id": a.target_id,
                "summary": a.summary,
                "at": _when(a.created_at),
            }
            for a in AuditLog.select().where(AuditLog.actor == user).order_by(AuditLog.created_at)
        ],
    }
    json.dumps(data)  # fail here, not in the caller, if anything is not JSON-ready
    return data


def last_owner_of(user: User) -> list[str]:
    """Slugs of the organizations where the user is the only OWNER."""
    slugs = []
    owned = (
        OrganizationMember.select(OrganizationMember, Organization)
        .join(Organization)
        .where((OrganizationMember.user == user) & (OrganizationMember.role == Role.OWNER))
    )
    for member in owned:
        owners = (
            OrganizationMember.select()
            .where(
                (OrganizationMember.organization == member.organization_id)
                & (OrganizationMember.role == Role.OWNER)
            )
            .count()
        )
        if owners <= 1:
            slugs.append(member.organization.slug)
    return sorted(slugs)


def _scrub(value: Any, secret: str) -> Any:
    if isinstance(value, str):
        return value.replace(secret, "[deleted]")
    if isinstance(value, list):
        return [_scrub(v, secret) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, secret) for k, v in value.items()}
    return value


def check_user_deletable(actor: User, email: str) -> domain.User:
    """The user `delete_user` would anonymise, or the error it would raise: front ends ask this before
    asking for confirmation, so nobody confirms the deletion of a user who does not exist."""
    return user_value(_deletable(actor, email))


def _deletable(actor: User, email: str) -> User:
    """The row behind `check_user_deletable`, which `delete_user` goes on to anonymise."""
    user = find_user(email)
    _self_only(actor, user, "delete")
    from bgpub.services.actors import database_login_user

    if database_login_user() is not None:
        raise PermissionDenied(
            "anonymising rewrites audit rows and drops the login: run it on the owner connection",
            where=f"user {user.email}",
        )
    sole = last_owner_of(user)
    if sole:
        raise Conflict(
            f"{user.email} is the last OWNER of {', '.join(sole)}; transfer or delete "
            f"{'it' if len(sole) == 1 else 'them'} first",
            where=f"user {user.email}",
        )
    return user


def delete_user(actor: User, email: str) -> domain.User:
    """Anonymises the user: audit rows stay (without the email), memberships go. Refused while they
    are the last OWNER of an organization."""
    user = _deletable(actor, email)
    old_email = user.email
    with database.atomic():
        OrganizationMember.delete().where(OrganizationMember.user == user).execute()
        mentions = AuditLog.select().where(
            (AuditLog.actor == user)
            | (AuditLog.actor_label == old_email)
            | (AuditLog.summary.cast("text").contains(old_email))
        )
        for row in mentions:
            row.actor_label = (
                ANONYMOUS_LABEL
                if row.actor_id == user.id or row.actor_label == old_email
                else row.actor_label
            )
            row.summary = _scrub(row.summary, old_email)
            row.save()
        BlogComment.update(author_email=None).where(BlogComment.author_email == old_email).execute()
        BlogPost.update(author_name="").where(
            BlogPost.author == user
        ).execute()  # bylines are personal data
        orders.anonymise_buyer(old_email)  # the buyer's name and e-mail go, the amounts stay
        if user.db_role and is_postgres():
            from bgpub.services.database_logins import drop_login

            drop_login(user.db_role)
        now = utcnow()
        User.update(
            email=f"deleted-{user.id}@deleted.invalid",
            name="",
            avatar_url=None,
            db_role=None,
            deleted_at=now,
            updated_at=now,
        ).where(User.id == user.id).execute()
        audit.record(None, None, "user.delete", "user", user.id, {})
    return user_value(User.get_by_id(user.id))
