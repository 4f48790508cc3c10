"""Integrations (Stripe, analytics, mailing...): their configs are encrypted at rest and shown masked.

Only names of config keys ever leave this module in lists, audit rows and errors; the values are
decrypted only by `integration_config`, for the code that talks to the service (ADMIN and up).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from peewee import IntegrityError

from bgpub.db.connection import database
from bgpub.db.enums import IntegrationType
from bgpub.db.models import Integration, Project, User
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.services import audit, secrets, validation
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require

CONFIG_KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class IntegrationView:
    """An integration as people see it: config values masked."""

    name: str
    type: str
    enabled: bool
    config: dict[str, str]
    readable: bool = True  # False when no key here opens the config (the row still lists)


def _where(project: Project, name: str | None = None) -> str:
    return f"project {project.name}" + (f", integration {name}" if name else "")


def _check_config(config: object, where: str) -> dict[str, str]:
    if not isinstance(config, dict) or not config:
        raise InvalidInput(
            "config must be a non-empty set of KEY=VALUE pairs", where=where, field="config"
        )
    checked: dict[str, str] = {}
    for key, value in config.items():
        if not isinstance(key, str) or not CONFIG_KEY_RE.fullmatch(key):
            raise InvalidInput(
                "config keys use a-z, 0-9, '_' and '-' and start with a letter",
                where=where,
                field="config",
            )
        if not isinstance(value, str) or not value:
            # never echo the value: it is probably a secret
            raise InvalidInput(
                f"config key {key!r} needs a non-empty text value", where=where, field=key
            )
        checked[key] = value
    return checked


def _find(project: Project, name: str) -> Integration:
    row = Integration.get_or_none((Integration.project == project) & (Integration.name == name))
    if row is None:
        raise NotFound(
            f"no integration {name!r} (see 'bgpub integration list {project.name}')",
            where=_where(project),
        )
    return row


def _view(row: Integration) -> IntegrationView:
    """Masked values; a config no key here opens shows as unreadable instead of failing the whole list."""
    plain = secrets.decrypt_or_none(row.config_encrypted)
    keys = sorted(json.loads(plain)) if plain else []
    return IntegrationView(
        row.name,
        IntegrationType(row.type).value,
        row.enabled,
        {k: secrets.MASK for k in keys},
        readable=plain is not None,
    )


def add_integration(
    actor: User,
    project: str | Project,
    type: str | IntegrationType,
    name: str,
    config: dict[str, str],
) -> IntegrationView:
    """Stores a new integration with its config encrypted (ADMIN)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_INTEGRATIONS)
    where = _where(project)
    kind = validation.enum_value(IntegrationType, type, "type", where=where)
    name = validation.slug(name, "integration name", where=where)
    config = _check_config(config, _where(project, name))
    if (
        Integration.select()
        .where((Integration.project == project) & (Integration.name == name))
        .exists()
    ):
        raise Conflict(f"an integration called {name!r} exists", where=where)
    token = secrets.encrypt(json.dumps(config, sort_keys=True))
    try:
        with database.atomic():
            row = Integration.create(project=project, type=kind, name=name, config_encrypted=token)
            audit.record(
                actor,
                project.organization,
                "integration.add",
                "integration",
                row.id,
                {"name": name, "type": kind.value, "keys": sorted(config)},
            )
    except IntegrityError:
        raise Conflict(f"an integration called {name!r} exists", where=where) from None
    return _view(row)


def list_integrations(actor: User, project: str | Project) -> list[IntegrationView]:
    """Every integration of the project, config values masked (any member)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    rows = Integration.select().where(Integration.project == project).order_by(Integration.name)
    return [_view(row) for row in rows]


def integration_config(actor: User, project: str | Project, name: str) -> dict[str, str]:
    """The decrypted config, for code that calls the service; never print it (ADMIN)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_INTEGRATIONS)
    found: dict[str, str] = json.loads(secrets.decrypt(_find(project, name).config_encrypted))
    return found


def set_integration_enabled(
    actor: User, project: str | Project, name: str, enabled: bool
) -> IntegrationView:
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_INTEGRATIONS)
    with database.atomic():
        row = _find(project, name)
        row.enabled = bool(enabled)
        row.save()
        audit.record(
            actor,
            project.organization,
            "integration.enable" if enabled else "integration.disable",
            "integration",
            row.id,
            {"name": name},
        )
    return _view(row)


def remove_integration(actor: User, project: str | Project, name: str) -> None:
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_INTEGRATIONS)
    with database.atomic():
        row = _find(project, name)
        row.delete_instance()
        audit.record(
            actor, project.organization, "integration.remove", "integration", row.id, {"name": name}
        )


def rotate_secrets(
    actor: User | None, *, drop_old_keys: bool = True, start_over: bool = False
) -> dict[str, int]:
    """Re-encrypts every stored secret (every `*_encrypted` column) under a new key, in one transaction.

    See `secrets.rotate_keys`: a row no key here opens stops the rotation with nothing changed. Run it
    on the owner connection: a member's own login sees only their organizations and is refused.
    """
    action = "secrets.start_over" if start_over else "secrets.rotate"
    return secrets.rotate_keys(
        lambda counts: audit.record(actor, None, action, "", "", counts),
        drop_old_keys=drop_old_keys,
        start_over=start_over,
    )


def config_from_pairs(pairs: list[str]) -> dict[str, Any]:
    """`KEY=VALUE` arguments as a dict (the CLI's input form)."""
    config: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InvalidInput(
                f"expected KEY=VALUE, got a value without '=' (item {len(config) + 1})",
                where="integration config",
            )
        config[key.strip()] = value
    return config
