"""Page templates: save a page's blocks under a name, and start new pages from one.

A template belongs to the organization, not to one project. Webflow users reuse layouts across the
sites of a workspace (shared Libraries) and Publii users pick a page template in any site using the
theme; bgpub's own saved components are organization-wide too. So a "pricing page" saved in one of a
team's sites starts pages in all of them. A template keeps what the page placed (its blocks, with
`section` blocks as references), never the site header and footer, which each project has its own of.

Each change checks the permission, runs in one transaction and writes one audit row; results are
plain values (`PageTemplateView`, `NewPage`), never rows.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import IntegrityError

from bgpub.db.connection import database
from bgpub.db.models import Organization, PageTemplate, Project, User
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.services import audit, validation
from bgpub.services.blocks import replace_blocks
from bgpub.services.lookup import find_page
from bgpub.services.pages import add_page
from bgpub.services.permissions import Action
from bgpub.services.project_access import project_for

MAX_TEMPLATES = 500  # per organization: a catalogue to choose from, not an archive
MAX_TEMPLATE_BLOCKS = 500


@dataclass(frozen=True)
class PageTemplateView:
    """A template as front ends show it; `blocks` are deep copies of the stored ones."""

    name: str
    organization: str
    title: str
    description: str
    seo_description: str
    blocks: tuple[dict[str, Any], ...]
    source: str
    created_by: str
    updated_at: datetime | None

    @property
    def components(self) -> tuple[str, ...]:
        return tuple(str(b.get("component", "")) for b in self.blocks)


@dataclass(frozen=True)
class NewPage:
    """The page made from a template."""

    slug: str
    title: str
    position: int
    is_home: bool
    blocks: int
    template: str


def _view(row: PageTemplate, org: Organization) -> PageTemplateView:
    creator = row.created_by.email if row.created_by_id and row.created_by else ""
    return PageTemplateView(
        row.name,
        org.slug,
        row.title,
        row.description or "",
        row.seo_description or "",
        tuple(copy.deepcopy(b) for b in row.blocks or []),
        row.source or "",
        creator,
        row.updated_at,
    )


def check_template_name(name: object, where: str = "page template") -> str:
    """A template name: lower-case words and hyphens, as section and component keys."""
    return validation.slug(name, "template name", max_length=63, where=where)


def _where(org: Organization, name: str | None = None) -> str:
    return f"organization {org.slug}" + (f", page template {name}" if name else "")


def _row(org: Organization, name: str) -> PageTemplate:
    row = PageTemplate.get_or_none((PageTemplate.organization == org) & (PageTemplate.name == name))
    if row is None:
        known = [
            r.name
            for r in PageTemplate.select(PageTemplate.name)
            .where(PageTemplate.organization == org)
            .order_by(PageTemplate.name)
            .limit(5)
        ]
        hint = f" (templates: {', '.join(known)})" if known else " (none saved yet)"
        raise NotFound(f"no page template {name!r}{hint}", where=_where(org))
    return row


def list_page_templates(actor: User, project: str | Project) -> list[PageTemplateView]:
    """The templates of the project's organization, by name."""
    found = project_for(actor, project, Action.READ)
    org = found.organization
    rows = PageTemplate.select().where(PageTemplate.organization == org).order_by(PageTemplate.name)
    return [_view(r, org) for r in rows]


def get_page_template(actor: User, project: str | Project, name: str) -> PageTemplateView:
    found = project_for(actor, project, Action.READ)
    return _view(_row(found.organization, name), found.organization)


def save_page_template(
    actor: User,
    project: str | Project,
    slug: str,
    name: str,
    *,
    description: str = "",
    replace: bool = False,
) -> PageTemplateView:
    """Saves page `slug`'s blocks, title and SEO description as template `name`; an existing template
    of that name is a Conflict unless `replace` is given."""
    found = project_for(actor, project, Action.EDIT)
    org = found.organization
    name = check_template_name(name, _where(org))
    where = _where(org, name)
    description = validation.optional_text(
        description, "description", max_length=500, where=where, multiline=True
    )
    page = find_page(found, slug)
    blocks = [
        {"component": b.get("component"), "props": copy.deepcopy(b.get("props") or {})}
        for b in page.blocks or []
    ]
    if len(blocks) > MAX_TEMPLATE_BLOCKS:
        raise InvalidInput(f"a template holds at most {MAX_TEMPLATE_BLOCKS} blocks", where=where)
    existing = PageTemplate.get_or_none(
        (PageTemplate.organization == org) & (PageTemplate.name == name)
    )
    if existing is not None and not replace:
        raise Conflict(
            f"a page template {name!r} already exists; choose another name or replace it",
            where=_where(org),
        )
    if existing is None:
        count = PageTemplate.select().where(PageTemplate.organization == org).count()
        if count >= MAX_TEMPLATES:
            raise InvalidInput(
                f"the organization has {count} page templates, the most it may keep; remove one first",
                where=_where(org),
            )
    values = {
        "title": page.title,
        "description": description,
        "seo_description": page.seo_description or "",
        "blocks": blocks,
        "source": f"{found.name}/{page.slug}",
        "created_by": actor,
    }
    try:
        with database.atomic():
            if existing is None:
                row = PageTemplate.create(organization=org, name=name, **values)
            else:
                for key, value in values.items():
                    setattr(existing, key, value)
                existing.save()
                row = existing
            audit.record(
                actor,
                org,
                "page_template.replace" if existing is not None else "page_template.save",
                "page_template",
                row.id,
                {"name": name, "project": found.name, "page": page.slug, "blocks": len(blocks)},
            )
    except IntegrityError as exc:  # saved by someone else between the check and the write
        raise Conflict(f"a page template {name!r} already exists", where=_where(org)) from exc
    return _view(row, org)


def remove_page_template(actor: User, project: str | Project, name: str) -> None:
    """Deletes template `name`; pages made from it keep their blocks (they were copies)."""
    found = project_for(actor, project, Action.EDIT)
    org = found.organization
    row = _row(org, name)
    with database.atomic():
        PageTemplate.delete().where(PageTemplate.id == row.id).execute()
        audit.record(actor, org, "page_template.remove", "page_template", row.id, {"name": name})


def add_page_from_template(
    actor: User,
    project: str | Project,
    template: str,
    slug: str,
    title: str | None = None,
    *,
    position: int | None = None,
    show_in_nav: bool = True,
    is_home: bool = False,
) -> NewPage:
    """A new page `slug` holding a copy of the template's blocks (each checked against this project:
    an asset or section the project lacks is refused, naming the block and prop), all or nothing."""
    found = project_for(actor, project, Action.EDIT)
    row = _row(found.organization, template)
    with database.atomic():
        page = add_page(
            actor,
            found,
            slug,
            title if title is not None and title.strip() else row.title,
            position=position,
            seo_description=row.seo_description or "",
            show_in_nav=show_in_nav,
            is_home=is_home,
        )
        blocks = copy.deepcopy(list(row.blocks or []))
        if blocks:
            page = replace_blocks(actor, found, page.slug, blocks)
        audit.record(
            actor,
            found.organization,
            "page_template.use",
            "page",
            page.id,
            {"project": found.name, "slug": page.slug, "template": row.name},
        )
    return NewPage(page.slug, page.title, page.position, bool(page.is_home), len(blocks), row.name)
