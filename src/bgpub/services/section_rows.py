"""Shared sections: rows to values (the snapshot's `SectionSnapshot`, the front ends' `SectionView`)."""

from __future__ import annotations

from bgpub.db.models import Page, Project, SharedSection
from bgpub.db.rows import tuple_rows
from bgpub.domain.blocks import Block
from bgpub.domain.sections import FOOTER, HEADER, SectionView
from bgpub.render.sections import placed_names
from bgpub.snapshot import SectionSnapshot


def section_rows(project: Project) -> list[SharedSection]:
    return list(
        SharedSection.select().where(SharedSection.project == project).order_by(SharedSection.name)
    )


def sections_of(project: Project) -> tuple[SectionSnapshot, ...]:
    """The project's sections for its snapshot, by name (one query; none: an empty tuple)."""
    return tuple(
        SectionSnapshot(
            row.name,
            tuple(Block(b.get("component", ""), b.get("props") or {}) for b in row.blocks or []),
        )
        for row in section_rows(project)
    )


def users_of(
    project: Project, name: str, rows: list[SharedSection] | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(page slugs, section names) that show section `name`: the regions by the page's flags, any
    section by a `section` block placing it."""
    pages = []
    query = (
        Page.select(Page.slug, Page.blocks, Page.show_header, Page.show_footer)
        .where(Page.project == project)
        .order_by(Page.position, Page.slug)
    )
    for slug, blocks, header, footer in tuple_rows(query):
        if (
            (name == HEADER and header)
            or (name == FOOTER and footer)
            or name in placed_names(blocks or [])
        ):
            pages.append(slug)
    rows = section_rows(project) if rows is None else rows
    sections = tuple(
        r.name for r in rows if r.name != name and name in placed_names(r.blocks or [])
    )
    return tuple(pages), sections


def view_of(
    project: Project, row: SharedSection, rows: list[SharedSection] | None = None
) -> SectionView:
    pages, sections = users_of(project, row.name, rows)
    return SectionView(
        row.name, tuple(dict(b) for b in row.blocks or []), row.revision, pages, sections
    )
