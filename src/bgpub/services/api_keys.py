"""API keys for scripts and integrations: shown once, stored as a lookup prefix and an Argon2 hash.

A key reads `bgp_<prefix>_<secret>`; the prefix finds the row, the hash checks the whole key, so a
copy of the database gives no usable key.
"""

from __future__ import annotations

import secrets as token_source
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bgpub.db.connection import database
from bgpub.db.fields import utcnow
from bgpub.db.models import ApiKey, Organization, Project, User
from bgpub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from bgpub.services import audit, validation
from bgpub.services.lookup import find_organization
from bgpub.services.permissions import Action, require

KEY_PERMISSIONS = ("read", "write", "delete")
PREFIX_LENGTH = 8
HASHER = PasswordHasher()


@dataclass(frozen=True)
class ApiKeyView:
    name: str
    prefix: str
    permissions: tuple[str, ...]
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked: bool


def _view(row: ApiKey) -> ApiKeyView:
    return ApiKeyView(
        row.name,
        row.prefix,
        tuple(row.permissions or ()),
        row.created_at,
        row.last_used_at,
        row.expires_at,
        row.revoked_at is not None,
    )


def create_api_key(
    actor: User,
    org: str | Organization,
    name: str,
    permissions: list[str] | None = None,
    expires_at: datetime | None = None,
    project: str | None = None,
) -> tuple[ApiKeyView, str]:
    """A new key (ADMIN); the plain key is returned once and never stored. With `project`, the key
    works for that project of the organization only."""
    org = find_organization(actor, org)
    require(actor, org, Action.MANAGE_INTEGRATIONS)
    where = f"organization {org.slug}, api key"
    only = None
    if project is not None:
        only = Project.get_or_none((Project.organization == org) & (Project.name == project))
        if only is None:
            raise NotFound(f"no project {project!r} in {org.slug}", where=where, field="project")
    name = validation.required_text(name, "name", max_length=100, where=where)
    permissions = sorted(set(permissions or ["read"]))
    unknown = [p for p in permissions if p not in KEY_PERMISSIONS]
    if unknown:
        raise InvalidInput(
            f"unknown permission {unknown[0]!r}: use {', '.join(KEY_PERMISSIONS)}",
            where=where,
            field="permissions",
        )
    if (
        ApiKey.select()
        .where((ApiKey.organization == org) & (ApiKey.name == name) & ApiKey.revoked_at.is_null())
        .exists()
    ):
        raise Conflict(f"a key called {name!r} exists; revoke it first", where=where)
    prefix = token_source.token_hex(PREFIX_LENGTH // 2)
    plain = f"bgp_{prefix}_{token_source.token_urlsafe(32)}"
    with database.atomic():
        row = ApiKey.create(
            organization=org,
            created_by=actor,
            name=name,
            prefix=prefix,
            key_hash=HASHER.hash(plain),
            permissions=permissions,
            expires_at=expires_at,
            project=only,
        )
        audit.record(
            actor,
            org,
            "apikey.create",
            "api_key",
            row.id,
            {
                "name": name,
                "prefix": prefix,
                "permissions": permissions,
                "project": only.name if only else None,
            },
        )
    return _view(row), plain


def list_api_keys(actor: User, org: str | Organization) -> list[ApiKeyView]:
    org = find_organization(actor, org)
    require(actor, org, Action.MANAGE_INTEGRATIONS)
    rows = ApiKey.select().where(ApiKey.organization == org).order_by(ApiKey.created_at)
    return [_view(row) for row in rows]


def revoke_api_key(actor: User, org: str | Organization, prefix: str) -> None:
    org = find_organization(actor, org)
    require(actor, org, Action.MANAGE_INTEGRATIONS)
    with database.atomic():
        row = ApiKey.get_or_none((ApiKey.organization == org) & (ApiKey.prefix == prefix))
        if row is None:
            raise NotFound(f"no api key with prefix {prefix!r}", where=f"organization {org.slug}")
        row.revoked_at = utcnow()
        row.save()
        audit.record(
            actor, org, "apikey.revoke", "api_key", row.id, {"name": row.name, "prefix": prefix}
        )


def verify_api_key(plain: str) -> ApiKey:
    """The key's row if `plain` is a valid, unexpired, unrevoked key; one vague error otherwise."""
    refused = PermissionDenied("invalid or revoked api key", where="api key")
    parts = plain.split("_") if isinstance(plain, str) else []
    if len(parts) < 3 or parts[0] != "bgp":
        raise refused
    row = ApiKey.get_or_none(ApiKey.prefix == parts[1])
    if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= utcnow()):
        raise refused
    try:
        HASHER.verify(row.key_hash, plain)
    except (VerificationError, InvalidHashError):
        raise refused from None
    ApiKey.update(last_used_at=utcnow()).where(ApiKey.id == row.id).execute()
    return row
