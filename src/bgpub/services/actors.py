"""Who is acting: the configured user (like git's user.email), created on a fresh workspace."""

from __future__ import annotations

import getpass
import re

from bgpub.config import Settings, write_config_value
from bgpub.db.connection import database, is_postgres
from bgpub.db.enums import Role, SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember, User
from bgpub.errors import NotFound, PermissionDenied


def _find(email: str) -> User | None:
    found: User | None = User.select().where(User.email == email.strip().lower()).first()
    return found


def database_login_user() -> User | None:
    """On PostgreSQL, the user whose own login (`bgpub db grant`) this connection uses, if any."""
    if not is_postgres():
        return None
    login = database.execute_sql("SELECT current_user").fetchone()[0]
    found: User | None = (
        User.select().where((User.db_role == login) & User.deleted_at.is_null()).first()
    )
    return found


def resolve_actor(settings: Settings, as_email: str | None = None) -> User:
    """A member's own database login acts as that member; otherwise --as, then user.email."""
    login_user = database_login_user()
    if login_user is not None:
        if as_email and _find(as_email) != login_user:
            raise PermissionDenied(
                f"this database login belongs to {login_user.email}; it cannot act as anyone else",
                where="--as",
            )
        return login_user
    if as_email:
        if not settings.allow_impersonation:
            raise PermissionDenied(
                "--as is not allowed here; set 'bgpub config user.impersonation true' to allow it",
                where="--as",
            )
        user = _find(as_email)
        if user is None:
            raise NotFound(f"no user {as_email!r}", where="--as")
        return user
    if settings.user_email:
        user = _find(settings.user_email)
        if user is None and User.select().count() == 0:
            return _bootstrap_first_user(settings)
        if user is None:
            raise NotFound(
                f"the configured user {settings.user_email!r} does not exist in this database",
                where="user.email",
            )
        return user
    if User.select().count() == 0:
        return _bootstrap_first_user(settings)
    raise NotFound(
        "no acting user configured; run 'bgpub config user.email EMAIL'", where="user.email"
    )


def _bootstrap_first_user(settings: Settings) -> User:
    """A fresh workspace gets its first user, OWNER of a personal organization, and remembers them.

    Tiers are for shared databases: the personal organization of a local SQLite workspace has no
    limits (ENTERPRISE); on PostgreSQL a new organization is FREE until an OWNER runs `bgpub org tier`.
    """
    email = (settings.user_email or "").strip().lower()
    source = email.partition("@")[0] if email else getpass.getuser()
    login = re.sub(r"[^a-z0-9]+", "-", source.lower()).strip("-")[:63].strip("-") or "me"
    email = email or f"{login}@localhost"
    with database.atomic():
        user = User.create(email=email, name=login)
        tier = SubscriptionTier.FREE if is_postgres() else SubscriptionTier.ENTERPRISE
        org = Organization.create(name=f"{login}'s sites", slug=login, is_personal=True, tier=tier)
        OrganizationMember.create(organization=org, user=user, role=Role.OWNER)
    write_config_value("user.email", email, settings.workspace)
    return user
