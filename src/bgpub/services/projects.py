"""Projects: create (blank or from a starter site), list, show, change settings, archive and delete.

Front ends get domain values (`bgpub.domain.project_details`): `new_project`, `show_project`,
`list_projects`, `update_project`, `archive_project`. `create_project` and `get_project` return rows
for other services (importing, seeding, drafts) and test set-ups only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from peewee import fn

from bgpub.db.connection import database
from bgpub.db.enums import DeploymentStatus, ProjectStatus
from bgpub.db.mapping import project_details
from bgpub.db.models import (
    Asset,
    Deployment,
    Order,
    Organization,
    OrganizationMember,
    Page,
    Project,
    User,
    Version,
)
from bgpub.db.rows import tuple_rows
from bgpub.domain.project_details import ProjectDetails, ProjectSummary
from bgpub.domain.slugs import PROJECT_NAME_MAX_LENGTH
from bgpub.errors import Conflict, InvalidInput
from bgpub.render.themes import validate_overrides
from bgpub.services import audit, limits, validation
from bgpub.services.library import current_themes
from bgpub.services.lookup import find_organization, find_project, page_count, split_project_ref
from bgpub.services.permissions import Action, require
from bgpub.services.revisions import bump_project

LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
SETTINGS_KEYS = (
    "base_url",
    "seo_image",
    "footer_note",
    "collector_url",
    "publish_on_sellout",
    "icon",
    "image_widths",
    "shop_email",
)


def check_name(name: object, where: str = "project") -> str:
    return validation.slug(name, "project name", max_length=PROJECT_NAME_MAX_LENGTH, where=where)


def check_theme(theme: object, where: str) -> str:
    themes = current_themes()
    if not isinstance(theme, str) or theme not in themes:
        known = ", ".join(themes) or "none installed"
        raise InvalidInput(f"unknown theme {theme!r} (known: {known})", where=where, field="theme")
    return theme


def check_token_names(overrides: Mapping[str, str], theme: str, where: str) -> None:
    """An override must name a token the theme (or its parents) defines, or it silently does nothing."""
    themes = current_themes()
    known: set[str] = set()
    for part in themes.chain(theme, where) if theme in themes else []:
        known |= set(part.tokens)
    for name in overrides:
        if known and name not in known:
            raise InvalidInput(
                f"unknown token {name!r} for theme {theme!r} (known: {', '.join(sorted(known))})",
                where=f"{where}, theme overrides",
                field=name,
            )


def check_language(value: object, where: str) -> str:
    if not isinstance(value, str) or not LANGUAGE_RE.fullmatch(value):
        raise InvalidInput(
            f"invalid language {value!r}: a tag such as 'en' or 'pt-BR'",
            where=where,
            field="language",
        )
    return value


def check_base_url(value: object, where: str) -> str:
    if value == "":
        return ""
    parsed = urlparse(value) if isinstance(value, str) else None
    if (
        parsed is None
        or parsed.scheme not in ("http", "https")
        or not parsed.netloc
        or parsed.query
        or parsed.fragment
    ):
        raise InvalidInput(
            f"invalid base_url {value!r}: expected https://host[/path]",
            where=where,
            field="base_url",
        )
    return str(value).rstrip("/")


def check_settings(settings: object, where: str, asset_names: set[str] | None) -> dict[str, Any]:
    """Site-wide settings: base_url, seo_image (an asset name), footer_note and collector_url (where
    `bgpub collect` runs: published forms and the page-view beacon point there); nothing else."""
    if not isinstance(settings, Mapping):
        raise InvalidInput("settings must be an object", where=where)
    unknown = sorted(set(settings) - set(SETTINGS_KEYS))
    if unknown:
        raise InvalidInput(
            f"unknown setting {unknown[0]!r} (known: {', '.join(SETTINGS_KEYS)})", where=where
        )
    result: dict[str, Any] = {}
    if "base_url" in settings:
        result["base_url"] = check_base_url(settings["base_url"], f"{where}, base_url")
    for key in ("seo_image", "icon"):  # icon: the site's icons are made from it (render/icons.py)
        if key in settings:
            image = settings[key]
            if image not in ("", None):
                if not isinstance(image, str) or (
                    asset_names is not None and image not in asset_names
                ):
                    raise InvalidInput(
                        f"{key} {image!r} is not an asset of this project", where=where, field=key
                    )
            result[key] = image
    if (
        "image_widths" in settings
        and (widths := _widths(settings["image_widths"], where)) is not None
    ):
        result["image_widths"] = widths
    if settings.get("collector_url") not in (None, ""):
        from bgpub.services.collector_sites import check_collector_url

        result["collector_url"] = check_collector_url(
            settings["collector_url"], f"{where}, collector_url"
        )
    if "footer_note" in settings:
        result["footer_note"] = validation.optional_text(
            settings["footer_note"], "footer_note", max_length=500, where=where, multiline=True
        )
    if settings.get("shop_email") not in (
        None,
        "",
    ):  # the shop's "ask for this item" mailto (render/shop.py)
        result["shop_email"] = validation.email(settings["shop_email"], "shop_email", where=where)
    if (
        "publish_on_sellout" in settings
    ):  # the shop: a sell-out asks for a publish (services.sellout_publishing)
        result["publish_on_sellout"] = _flag(
            settings["publish_on_sellout"], "publish_on_sellout", where
        )
    return result


def _widths(value: object, where: str) -> list[int] | None:
    """Rendition widths of the site's photos: `480,960,1600` or a list of 1 to 8 numbers from 16 to
    8192; empty removes the setting (the defaults apply)."""
    if value in ("", None, []):
        return None
    parts: Any = value.split(",") if isinstance(value, str) else value  # JSON: a list, or text
    try:
        widths = (
            sorted({int(str(p).strip()) for p in parts})
            if isinstance(parts, list | tuple)
            else None
        )
    except ValueError:
        widths = None
    if (
        not widths
        or len(widths) > 8
        or widths[0] < 16
        or widths[-1] > 8192
        or any(isinstance(p, bool) for p in parts)
    ):
        raise InvalidInput(
            f"image_widths {value!r}: give 1 to 8 widths from 16 to 8192 pixels, such as 480,960,1600",
            where=where,
            field="image_widths",
        )
    return widths


def _flag(value: object, field: str, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0", ""):
        return False
    raise InvalidInput(f"{field} is true or false, got {value!r}", where=where, field=field)


def require_name(name: object) -> None:
    """An explicitly given name must not be empty (None means "not given"; '' is a mistake)."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("project name is required", where="project", field="name")


def resolve_new(
    actor: User, name: str, organization: str | Organization | None
) -> tuple[Organization, str]:
    """The organization and bare name of a project about to be created (`org/name` accepted)."""
    org_slug, bare = split_project_ref(name)
    org = find_organization(actor, organization if organization is not None else org_slug)
    bare = check_name(bare, where=f"project {name}")
    if Project.select().where((Project.organization == org) & (Project.name == bare)).exists():
        raise Conflict(
            f"a project called {bare!r} already exists in {org.slug}", where=f"project {bare}"
        )
    return org, bare


def create_project(
    actor: User,
    name: str,
    *,
    title: str = "",
    description: str = "",
    theme: str | None = None,
    language: str = "en",
    organization: str | Organization | None = None,
    starter: str | Path | None = None,
) -> Project:
    """A new project: blank, or a copy of a starter site (a name in sites/ or a folder path)."""
    require_name(name)
    if starter is not None:
        from bgpub.services.importing import create_from_starter

        return create_from_starter(
            actor, name, starter, theme=theme, organization=organization, title=title
        )
    org, bare = resolve_new(actor, name, organization)
    require(actor, org, Action.CREATE_PROJECT)
    where = f"project {bare}"
    title = validation.optional_text(title, "title", max_length=200, where=where) or bare
    description = validation.optional_text(description, "description", where=where, multiline=True)
    theme = check_theme(theme or "aurora", where) if theme or current_themes() else "aurora"
    language = check_language(language, where)
    limits.check_project_quota(org)
    with database.atomic():
        project = Project.create(
            organization=org,
            created_by=actor,
            name=bare,
            title=title,
            description=description,
            theme=theme,
            language=language,
        )
        audit.record(
            actor, org, "project.create", "project", project.id, {"name": bare, "theme": theme}
        )
    return project


def new_project(
    actor: User,
    name: str,
    *,
    title: str = "",
    theme: str | None = None,
    organization: str | Organization | None = None,
    starter: str | Path | None = None,
) -> ProjectDetails:
    """`create_project` for front ends (`bgpub new`, the editor): the new project's settings."""
    made = create_project(
        actor, name, title=title, theme=theme, organization=organization, starter=starter
    )
    return project_details(made, pages=page_count(made))


def get_project(actor: User, project: str | Project) -> Project:
    """The project row if the actor may read it (services only; front ends: show_project)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return project


def show_project(actor: User, project: str | Project) -> ProjectDetails:
    """`bgpub project show` and the editor's settings forms: the project's fields and page count."""
    record = get_project(actor, project)
    return project_details(record, pages=page_count(record))


def show_previewable_project(actor: User, project: str | Project) -> ProjectDetails:
    """The project a preview serves, once the actor may preview it (EDITOR: docs/permissions.md)."""
    record = get_project(actor, project)
    require(actor, record.organization, Action.PREVIEW)
    return project_details(record)


def list_projects(actor: User, *, include_archived: bool = False) -> list[ProjectSummary]:
    """The projects of every organization the actor belongs to (four queries in all, whatever their number)."""
    query = (
        Project.select(Project, Organization)
        .join(Organization)
        .join(OrganizationMember, on=(OrganizationMember.organization == Organization.id))
        .where(OrganizationMember.user == actor)
        .order_by(Organization.slug, Project.name)
    )
    if not include_archived:
        query = query.where(Project.status != ProjectStatus.ARCHIVED)
    projects = list(query)
    ids = [p.id for p in projects]
    counts: dict[str, int] = {}
    versions: dict[str, int] = {}
    if ids:
        counts = dict(
            tuple_rows(
                Page.select(Page.project, fn.COUNT(Page.id))
                .where(Page.project.in_(ids))
                .group_by(Page.project)
            )
        )
        versions = dict(
            tuple_rows(
                Version.select(Version.project, fn.MAX(Version.number))
                .where(Version.project.in_(ids))
                .group_by(Version.project)
            )
        )
        authors = _last_authors(ids)
        live = _live_versions(ids)
    return [
        ProjectSummary(
            name=p.name,
            organization=p.organization.slug,
            title=p.title,
            theme=p.theme,
            status=p.status.value,
            pages=counts.get(p.id, 0),
            revision=p.revision,
            updated_at=p.updated_at,
            published_at=p.published_at,
            last_version=versions.get(p.id),
            live_version=live.get(p.id),
            last_author=authors.get(p.id, ""),
        )
        for p in projects
    ]


def _last_authors(project_ids: list[str]) -> dict[str, str]:
    """Per project, the e-mail of who published its latest version (one query for every project)."""
    latest = (
        Version.select(Version.project.alias("pid"), fn.MAX(Version.number).alias("top"))
        .where(Version.project.in_(project_ids))
        .group_by(Version.project)
        .alias("latest")
    )
    rows = tuple_rows(
        Version.select(Version.project, User.email)
        .join(latest, on=((Version.project == latest.c.pid) & (Version.number == latest.c.top)))
        .switch(Version)
        .join(User, on=(Version.author == User.id))
    )
    return {project_id: email for project_id, email in rows}


def _live_versions(project_ids: list[str]) -> dict[str, int]:
    """Per project, the version its most recent successful deployment (publish or rollback) put live."""
    rows = tuple_rows(
        Deployment.select(Deployment.project, Version.number)
        .join(Version, on=(Deployment.version == Version.id))
        .where(
            Deployment.project.in_(project_ids) & (Deployment.status == DeploymentStatus.SUCCEEDED)
        )
        .order_by(Deployment.finished_at, Deployment.started_at)
    )
    return {project_id: number for project_id, number in rows}


def update_project(
    actor: User,
    project: str | Project,
    *,
    title: str | None = None,
    description: str | None = None,
    language: str | None = None,
    theme: str | None = None,
    theme_overrides: Mapping[str, str | None] | None = None,
    settings: Mapping[str, Any] | None = None,
    subdomain: str | None = None,
    custom_domain: str | None = None,
) -> ProjectDetails:
    """Changes site-wide fields; `settings` and `theme_overrides` are merged (a None value removes a key)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    where = f"project {project.name}"
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = validation.required_text(title, "title", max_length=200, where=where)
    if description is not None:
        changes["description"] = validation.optional_text(
            description, "description", where=where, multiline=True
        )
    if language is not None:
        changes["language"] = check_language(language, where)
    if theme is not None:
        changes["theme"] = check_theme(theme, where)
    if theme_overrides is not None:
        merged = {**project.theme_overrides, **theme_overrides}
        merged = {k: v for k, v in merged.items() if v is not None}
        validate_overrides(merged, f"{where}, theme overrides")
        check_token_names(merged, changes.get("theme", project.theme), where)
        changes["theme_overrides"] = merged
    if settings is not None:
        merged = {k: v for k, v in {**project.settings, **settings}.items() if v is not None}
        names = {n for (n,) in tuple_rows(Asset.select(Asset.name).where(Asset.project == project))}
        changes["settings"] = check_settings(merged, f"{where}, settings", names)
    if subdomain is not None:
        changes["subdomain"] = validation.subdomain(subdomain, where=where) if subdomain else None
    if custom_domain is not None:
        changes["custom_domain"] = (
            validation.domain(custom_domain, where=where) if custom_domain else None
        )
    for field in ("subdomain", "custom_domain"):
        value = changes.get(field)
        column = getattr(Project, field)
        if (
            value
            and Project.select().where((column == value) & (Project.id != project.id)).exists()
        ):
            raise Conflict(
                f"{field} {value!r} is used by another project", where=where, field=field
            )
    if not changes:
        return project_details(project)
    with database.atomic():
        for name, value in changes.items():
            setattr(project, name, value)
        project.save(only=[getattr(Project, n) for n in changes] + [Project.updated_at])
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "project.update",
            "project",
            project.id,
            {"fields": sorted(changes)},
        )
    return project_details(project)


def archive_project(
    actor: User, project: str | Project, *, archived: bool = True
) -> ProjectDetails:
    """Hides the project from lists (and un-archives with archived=False); nothing is deleted."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.DELETE_PROJECT)
    status = (
        ProjectStatus.ARCHIVED
        if archived
        else (ProjectStatus.PUBLISHED if project.published_at else ProjectStatus.DRAFT)
    )
    with database.atomic():
        project.status = status
        project.save(only=[Project.status, Project.updated_at])
        audit.record(
            actor,
            project.organization,
            "project.archive" if archived else "project.unarchive",
            "project",
            project.id,
            {"name": project.name},
        )
    return project_details(project)


def delete_project(actor: User, project: str | Project) -> None:
    """Deletes the project and everything in it; the caller asks for confirmation first.

    Refused while the project has orders (financial records): archive it instead.
    """
    project = find_project(actor, project)
    require(actor, project.organization, Action.DELETE_PROJECT)
    where = f"project {project.name}"
    orders = Order.select().where(Order.project == project).count()
    if orders:
        raise Conflict(
            f"has {orders} order(s), which must be kept; archive the project instead", where=where
        )
    with database.atomic():
        audit.record(
            actor,
            project.organization,
            "project.delete",
            "project",
            project.id,
            {"name": project.name},
        )
        project.delete_instance()
