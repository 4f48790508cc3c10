"""Reuse: a page duplicated under a new slug, with its blocks and every page setting (SEO fields, share
image, noindex, shared header/footer), in one transaction."""

from __future__ import annotations

from bgpub.db.connection import database
from bgpub.db.models import Page, Project, User
from bgpub.services.blocks import replace_blocks
from bgpub.services.page_settings import set_page_settings
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
            show_in_nav=source.show_in_nav,
            seo_title=source.seo_title or "",
            seo_description=source.seo_description or "",
        )
        blocks = [
            {"component": b.get("component"), "props": b.get("props") or {}}
            for b in source.blocks or []
        ]
        if blocks:
            page = replace_blocks(actor, project, page.slug, blocks)
        image, noindex = str(source.social_image or ""), bool(source.noindex)
        header, footer = bool(source.show_header), bool(source.show_footer)
        if (image, noindex, header, footer) != ("", False, True, True):
            set_page_settings(actor, project, page.slug, social_image=image, noindex=noindex,
                              show_header=header, show_footer=footer)  # fmt: skip
            page = get_page(actor, project, page.slug)
    return page
