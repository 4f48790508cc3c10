"""A page's settings as one form edits them: SEO title and description, share image, navigation,
noindex and the shared header/footer, read together and saved in one write with one audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bgpub.db.connection import database
from bgpub.db.models import Page, Project, User
from bgpub.errors import InvalidInput
from bgpub.services import audit, validation
from bgpub.services.lookup import find_page, find_project
from bgpub.services.pages import check_social_image
from bgpub.services.permissions import Action, require
from bgpub.services.revisions import bump_project, save_page

FLAGS = ("show_in_nav", "noindex", "show_header", "show_footer")


@dataclass(frozen=True)
class PageSettingsView:
    """What the page settings form shows; `revision` is what a save names to detect concurrent edits."""

    slug: str
    title: str
    seo_title: str = ""
    seo_description: str = ""
    social_image: str = ""
    show_in_nav: bool = True
    noindex: bool = False
    show_header: bool = True
    show_footer: bool = True
    revision: int = 0


def _view(page: Page) -> PageSettingsView:
    return PageSettingsView(
        page.slug,
        page.title,
        page.seo_title or "",
        page.seo_description or "",
        page.social_image or "",
        bool(page.show_in_nav),
        bool(page.noindex),
        bool(page.show_header),
        bool(page.show_footer),
        page.revision,
    )


def page_settings(actor: User, project: str | Project, slug: str) -> PageSettingsView:
    """The settings of one page (any member)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return _view(find_page(project, slug))


def set_page_settings(
    actor: User,
    project: str | Project,
    slug: str,
    *,
    seo_title: str | None = None,
    seo_description: str | None = None,
    social_image: str | None = None,
    show_in_nav: bool | None = None,
    noindex: bool | None = None,
    show_header: bool | None = None,
    show_footer: bool | None = None,
    expected_revision: int | None = None,
) -> PageSettingsView:
    """Checks every given field, then writes the ones that changed (None leaves a field as it is)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    page = find_page(project, slug)
    where = f"project {project.name}, page {slug}"
    given: dict[str, Any] = {}
    if seo_title is not None:
        given["seo_title"] = validation.optional_text(
            seo_title, "seo_title", max_length=200, where=where
        )
    if seo_description is not None:
        given["seo_description"] = validation.optional_text(
            seo_description, "seo_description", max_length=500, where=where, multiline=True
        )
    if social_image is not None:
        given["social_image"] = check_social_image(project, social_image, where)
    for name, value in zip(FLAGS, (show_in_nav, noindex, show_header, show_footer), strict=True):
        if value is None:
            continue
        if not isinstance(value, bool):
            raise InvalidInput(f"{name} must be true or false", where=where, field=name)
        given[name] = value
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
