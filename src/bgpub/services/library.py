"""The component library in the database: sync from components/, list, and organizations' saved components.

Files in components/ are the source of truth for templates; the `component_library` table mirrors
their manifests (so the TUI and other machines can list them) and `components` holds customised
copies with their own defaults, usable as a block's component key like a library one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bgpub.db.connection import database
from bgpub.db.enums import ComponentType
from bgpub.db.mapping import saved_component
from bgpub.db.models import Component, ComponentLibrary, Organization, Page, Project, User
from bgpub.db.rows import dict_rows, tuple_rows
from bgpub.domain.components import SavedComponent
from bgpub.domain.props import PropSpec
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.render.components import ComponentLibrary as LoadedLibrary
from bgpub.render.components import ComponentSpec, load_library, validate_props
from bgpub.render.themes import ThemeSet, load_themes
from bgpub.services import audit, sources, validation
from bgpub.services.lookup import find_organization
from bgpub.services.permissions import Action, require

Library = LoadedLibrary  # public name of what current_library returns, for the front ends' types


def current_library(dirs: Iterable[str | Path] | None = None) -> LoadedLibrary:
    """The components on disk (BGPUB_COMPONENTS_PATH or the repository's components/)."""
    return load_library(sources.components_dirs() if dirs is None else dirs)


def current_themes(dirs: Iterable[str | Path] | None = None) -> ThemeSet:
    return load_themes(sources.themes_dirs() if dirs is None else dirs)


@dataclass(frozen=True)
class SyncReport:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    missing: tuple[str, ...]  # in the table but no longer on disk: kept, reported


@dataclass(frozen=True)
class LibraryEntry:
    key: str
    name: str
    type: str
    description: str
    props: tuple[PropSpec, ...]
    base: str | None = None  # set for an organization's saved component
    organization: str | None = None
    defaults: dict[str, Any] = dataclasses.field(default_factory=dict)


def token_problem(value: object) -> str | None:
    """Why a theme token value would be refused, or None: the renderer's own rule, so the editor
    refuses a value as it types it, not when the build reads it."""
    from bgpub.render.themes import token_problem as renderer_rule

    return renderer_rule(value)


def _schema(spec: ComponentSpec) -> dict[str, Any]:
    return {
        "region": spec.region,
        "uses": list(spec.uses),
        "props": [p.to_dict() for p in spec.props],
    }


def _props(schema: dict[str, Any] | None) -> tuple[PropSpec, ...]:
    """The prop specs a `component_library` row's schema stores."""
    return tuple(PropSpec.from_dict(p) for p in (schema or {}).get("props", ()))


def _row_values(spec: ComponentSpec) -> dict[str, Any]:
    kind = spec.type if spec.type in ComponentType.__members__ else ComponentType.CONTENT.value
    return {
        "name": spec.name[:100],
        "type": ComponentType(kind),
        "description": spec.description,
        "schema": _schema(spec),
        "checksum": spec.fingerprint,
    }


def upsert_library_row(spec: ComponentSpec, existing: ComponentLibrary | None) -> ComponentLibrary:
    """Creates or refreshes the table row mirroring a component on disk."""
    values = _row_values(spec)
    if existing is None:
        return ComponentLibrary.create(key=spec.key, **values)
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    return existing


def sync_library(actor: User, dirs: Iterable[str | Path] | None = None) -> SyncReport:
    """Mirrors components/ into the table: adds new keys, updates changed ones, deletes none.

    Idempotent: a second run reports everything unchanged and writes nothing but its audit row.
    """
    org = find_organization(actor)
    require(actor, org, Action.EDIT)
    library = current_library(dirs)
    rows = {row.key: row for row in ComponentLibrary.select()}
    added, updated, unchanged = [], [], []
    with database.atomic():
        for key, spec in library.items():
            row = rows.get(key)
            if row is None:
                upsert_library_row(spec, None)
                added.append(key)
            elif row.checksum != spec.fingerprint:
                upsert_library_row(spec, row)
                updated.append(key)
            else:
                unchanged.append(key)
        missing = sorted(set(rows) - set(library))
        audit.record(
            actor,
            org,
            "library.sync",
            "component_library",
            "",
            {"added": len(added), "updated": len(updated), "missing": len(missing)},
        )
    return SyncReport(tuple(added), tuple(updated), tuple(unchanged), tuple(missing))


def list_library(actor: User) -> list[LibraryEntry]:
    """Synced library components by key, then the actor's organizations' saved components."""
    entries = [
        LibraryEntry(
            key=row.key,
            name=row.name,
            type=str(row.type.value),
            description=row.description,
            props=_props(row.schema),
        )
        for row in ComponentLibrary.select().order_by(ComponentLibrary.key)
    ]
    from bgpub.services.lookup import member_organizations

    orgs = member_organizations(actor)
    if orgs:
        query = (
            Component.select(Component, ComponentLibrary, Organization)
            .join(ComponentLibrary)
            .switch(Component)
            .join(Organization)
            .where(Component.organization.in_([o.id for o in orgs]))
            .order_by(Organization.slug, Component.key)
        )
        for row in query:
            entries.append(
                LibraryEntry(
                    key=row.key,
                    name=row.name,
                    type=str(row.library.type.value),
                    description=row.description,
                    props=_props(row.library.schema),
                    base=row.library.key,
                    organization=row.organization.slug,
                    defaults=dict(row.defaults or {}),
                )
            )
    return entries


def saved_components_of(organization: Organization | str) -> tuple[SavedComponent, ...]:
    """The organization's saved components in snapshot form, by key (what validate_props needs)."""
    org_id = organization.id if isinstance(organization, Organization) else organization
    query = dict_rows(
        Component.select(
            Component.key,
            Component.name,
            Component.description,
            Component.defaults,
            ComponentLibrary.key.alias("base"),
        )
        .join(ComponentLibrary)
        .where(Component.organization == org_id)
        .order_by(Component.key)
    )
    return tuple(
        SavedComponent(
            key=r["key"],
            base=r["base"],
            name=r["name"],
            description=r["description"],
            defaults=dict(r["defaults"] or {}),
        )
        for r in query
    )


def relaxed(library: LoadedLibrary, key: str) -> LoadedLibrary:
    """A one-component library where no prop is required: checks partial props such as defaults."""
    spec = library[key]
    props = tuple(dataclasses.replace(p, required=False) for p in spec.props)
    return LoadedLibrary([dataclasses.replace(spec, props=props)])


def check_defaults(
    library: LoadedLibrary, base: str, defaults: Mapping[str, Any], where: str
) -> dict[str, Any]:
    """Validates a saved component's defaults (types and names; required props may be left out)."""
    if base not in library:
        raise InvalidInput(f"unknown library component {base!r}", where=where)
    if not isinstance(defaults, Mapping):
        raise InvalidInput("defaults must be an object of prop: value", where=where)
    validate_props(relaxed(library, base), base, defaults, where)
    return dict(defaults)


def save_component(
    actor: User,
    key: str,
    base: str,
    *,
    name: str | None = None,
    description: str = "",
    defaults: Mapping[str, Any] | None = None,
    organization: str | Organization | None = None,
) -> SavedComponent:
    """Creates or updates an organization's customised component `key` based on library `base`."""
    org = find_organization(actor, organization)
    require(actor, org, Action.EDIT)
    where = f"organization {org.slug}, component {key}"
    key = validation.slug(key, "component key", where=where)
    library = current_library()
    if key in library:
        raise Conflict(f"{key!r} is a library component; choose another key", where=where)
    defaults = check_defaults(library, base, defaults or {}, where)
    label = validation.required_text(
        name or library[base].name, "name", max_length=100, where=where
    )
    description = validation.optional_text(description, "description", where=where, multiline=True)
    with database.atomic():
        lib_row = ComponentLibrary.get_or_none(ComponentLibrary.key == base)
        if lib_row is None or lib_row.checksum != library[base].fingerprint:
            lib_row = upsert_library_row(library[base], lib_row)
        row = Component.get_or_none((Component.organization == org) & (Component.key == key))
        created = row is None
        if row is None:
            row = Component.create(
                organization=org,
                library=lib_row,
                created_by=actor,
                key=key,
                name=label,
                description=description,
                defaults=defaults,
            )
        else:
            row.library, row.name, row.description, row.defaults = (
                lib_row,
                label,
                description,
                defaults,
            )
            row.save()
        _bump_users_of(org, key)
        audit.record(
            actor,
            org,
            "component.save",
            "component",
            row.id,
            {"key": key, "base": base, "created": created},
        )
    return saved_component(row, base)


def pages_using(org: Organization, key: str) -> list[tuple[str, str]]:
    """(project, page) pairs of the organization whose blocks use component `key`."""
    query = tuple_rows(
        Page.select(Project.name, Page.slug, Page.blocks)
        .join(Project)
        .where((Project.organization == org) & Page.blocks.cast("text").contains(f'"{key}"'))
        .order_by(Project.name, Page.position)
    )
    return [
        (p, s) for p, s, blocks in query if any(b.get("component") == key for b in _blocks(blocks))
    ]


def _blocks(value: Any) -> list[dict[str, Any]]:
    import json

    if isinstance(value, str):
        value = json.loads(value)
    return [b for b in (value or []) if isinstance(b, dict)]


def _bump_users_of(org: Organization, key: str) -> None:
    names = {p for p, _ in pages_using(org, key)}
    if names:
        Project.update(revision=Project.revision + 1).where(
            (Project.organization == org) & (Project.name.in_(sorted(names)))
        ).execute()


def remove_component(
    actor: User, key: str, *, organization: str | Organization | None = None
) -> None:
    """Deletes a saved component; refused while a page uses it, naming the pages."""
    org = find_organization(actor, organization)
    require(actor, org, Action.EDIT)
    where = f"organization {org.slug}, component {key}"
    row = Component.get_or_none((Component.organization == org) & (Component.key == key))
    if row is None:
        raise NotFound(f"no saved component {key!r}", where=f"organization {org.slug}")
    users = pages_using(org, key)
    if users:
        shown = ", ".join(f"{p}/{s}" for p, s in users[:10]) + (" ..." if len(users) > 10 else "")
        raise Conflict(f"still used by {len(users)} page(s): {shown}", where=where)
    with database.atomic():
        row.delete_instance()
        audit.record(actor, org, "component.remove", "component", row.id, {"key": key})
