"""A page's settings as one form edits them (every field of `domain.page_fields.PageSettings`: SEO
title and description, share image, navigation, noindex, the shared header/footer...), read together
and saved in one write with one audit row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bgpub.db.connection import database
from bgpub.db.models import Asset, Page, Project, User
from bgpub.domain.page_fields import PageSettings, settings_of
from bgpub.services import audit
from bgpub.services.lookup import find_page, find_project
from bgpub.services.page_setting_checks import check_page_settings
from bgpub.services.permissions import Action, require
from bgpub.services.revisions import bump_project, save_page


@dataclass(frozen=True)
class PageSettingsView:
    """What the page settings form shows; `revision` is what a save names to detect concurrent edits."""

    slug: str
    title: str
    settings: PageSettings = PageSettings()
    revision: int = 0


def _view(page: Page) -> PageSettingsView:
    return PageSettingsView(page.slug, page.title, settings_of(page), page.revision)


def page_settings(actor: User, project: str | Project, slug: str) -> PageSettingsView:
    """The settings of one page (any member)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return _view(find_page(project, slug))


def check_settings_of(project: Project, given: Mapping[str, object], where: str) -> dict[str, Any]:
    """The given settings checked against the project (image settings must name its image assets)."""

    def asset_type(name: str) -> str | None:
        asset = Asset.get_or_none((Asset.project == project) & (Asset.name == name))
        return None if asset is None else str(asset.type)

    hint = f"see 'bgpub asset list {project.name}'"
    return check_page_settings(given, where, asset_type, assets_hint=hint)


def set_page_settings(
    actor: User,
    project: str | Project,
    slug: str,
    *,
    expected_revision: int | None = None,
    **given: object,
) -> PageSettingsView:
    """Checks every given setting (by its kind, `domain.page_fields`), then writes the ones that
    changed; a setting not given (or given as None) stays as it is."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    page = find_page(project, slug)
    where = f"project {project.name}, page {slug}"
    given = check_settings_of(project, {k: v for k, v in given.items() if v is not None}, where)
    changes = {name: value for name, value in given.items() if getattr(page, name) != value}
    if not changes:
        return _view(page)
    with database.atomic():
        save_page(page, project, actor, changes, expected_revision)
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "page.update",
            "page",
            page.id,
            {"project": project.name, "slug": slug, "fields": sorted(changes)},
        )
    return _view(page)
