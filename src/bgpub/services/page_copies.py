"""Reuse: a page duplicated under a new slug, with its blocks and every page setting
(`domain.page_fields`: SEO fields, share image, noindex, shared header/footer...), in one transaction."""

from __future__ import annotations

import dataclasses

from bgpub.db.connection import database
from bgpub.db.mapping import page_details
from bgpub.db.models import Page, Project, User
from bgpub.domain.page_details import PageDetails
from bgpub.domain.page_fields import settings_of
from bgpub.services.blocks import replace_blocks
from bgpub.services.lookup import find_project
from bgpub.services.pages import add_page, get_page


def duplicate_page(
    actor: User, project: str | Project, slug: str, new_slug: str, title: str | None = None
) -> Page:
    """A copy of page `slug` at `new_slug` (placed right after it in the navigation, not the home
    page), each block validated and the copy audited as a new page plus an edit."""
    source = get_page(actor, project, slug)
    with database.atomic():
        page = add_page(
            actor,
            project,
            new_slug,
            title or f"{source.title} (copy)",
            position=source.position + 1,
            **dataclasses.asdict(settings_of(source)),
        )
        blocks = [
            {"component": b.get("component"), "props": b.get("props") or {}}
            for b in source.blocks or []
        ]
        if blocks:
            page = replace_blocks(actor, project, page.slug, blocks)
    return page


def copy_page(
    actor: User, project: str | Project, slug: str, new_slug: str, title: str | None = None
) -> PageDetails:
    """`duplicate_page` for front ends: the copy as the domain's PageDetails."""
    record = find_project(actor, project)
    return page_details(duplicate_page(actor, record, slug, new_slug, title), record.name)
