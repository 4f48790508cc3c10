"""Shared sections (Webflow's symbols, Hugo's partials): the site header and footer every page shows
unless it opts out, and named sections a page places with a `section` block, defined once.

Each operation checks the permission, runs in one transaction, writes one audit row and bumps the
project's revision (the preview re-renders). Blocks are checked like a page's (`check_block`); a
section may place other sections, never itself through any path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from peewee import IntegrityError

from bgpub.db.connection import database
from bgpub.db.fields import utcnow
from bgpub.db.models import Asset, Page, Project, SharedSection, User
from bgpub.db.rows import tuple_rows
from bgpub.domain.locations import Location
from bgpub.domain.sections import SectionView
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.render.sections import (
    FOOTER,
    HEADER,
    REGIONS,
    cycle_through,
    reference_name,
)
from bgpub.render.sections import (
    SECTION_BLOCK as SECTION_BLOCK,  # re-exported: `bgpub section add` compares with it
)
from bgpub.services import validation
from bgpub.services.blocks import check_block
from bgpub.services.library import current_library, saved_components_of
from bgpub.services.lookup import find_page, find_project
from bgpub.services.permissions import Action
from bgpub.services.project_access import project_for
from bgpub.services.project_changes import record_change
from bgpub.services.revisions import save_page
from bgpub.services.section_rows import section_rows, users_of, view_of

MAX_SECTION_BLOCKS = 200  # a section is a header, a footer or a reusable band, never a whole site
MAX_SECTIONS = 100


def _project(actor: User, project: str | Project, action: Action = Action.EDIT) -> Project:
    return project_for(actor, project, action)


def check_name(name: object, where: str = "section") -> str:
    """A section name: lower-case words and hyphens (no invisible characters, nothing that looks alike)."""
    return validation.slug(name, "section name", max_length=63, where=where)


def _row(project: Project, name: str) -> SharedSection:
    row = SharedSection.get_or_none(
        (SharedSection.project == project) & (SharedSection.name == name)
    )
    if row is None:
        raise NotFound(
            f"no section {name!r} (see 'bgpub section list {project.name}')",
            where=f"project {project.name}",
        )
    return row


def _done(
    actor: User, project: Project, action: str, target_id: str, details: dict[str, Any]
) -> None:
    record_change(actor, project, action, "section", target_id, details)


def list_sections(actor: User, project: str | Project) -> list[SectionView]:
    project = _project(actor, project, Action.READ)
    rows = section_rows(project)
    return [view_of(project, row, rows) for row in rows]


def show_section(actor: User, project: str | Project, name: str) -> SectionView:
    project = _project(actor, project, Action.READ)
    return view_of(project, _row(project, str(name)))


def check_section_blocks(
    project: Project, name: str, blocks: object, others: Mapping[str, Sequence[Mapping[str, Any]]]
) -> list[dict[str, Any]]:
    """The blocks to store for section `name`, each checked like a page's; `others` are the project's
    other sections by name (a `section` block must name one, and no path may lead back to `name`)."""
    where0 = Location(project.name, section=name)
    if not isinstance(blocks, Sequence) or isinstance(blocks, str | bytes):
        raise InvalidInput("blocks must be a list", where=where0)
    if len(blocks) > MAX_SECTION_BLOCKS:
        raise InvalidInput(
            f"a section holds at most {MAX_SECTION_BLOCKS} blocks, got {len(blocks)}", where=where0
        )
    library = current_library()
    saved = saved_components_of(project.organization_id)
    assets = {
        n: str(t)
        for n, t in tuple_rows(Asset.select(Asset.name, Asset.type).where(Asset.project == project))
    }
    checked: list[dict[str, Any]] = []
    for index, block in enumerate(blocks, start=1):
        component = block.get("component") if isinstance(block, Mapping) else None
        where = Location(project.name, block=index, component=str(component or "?"), section=name)
        if not isinstance(block, Mapping):
            raise InvalidInput("a block must be an object with component and props", where=where)
        if component == SECTION_BLOCK:
            placed = reference_name(block.get("props") or {}, where)
            if placed != name and placed not in others:
                raise InvalidInput(
                    f"section {placed!r} does not exist in this project", where=where.prop("name")
                )
            checked.append({"component": SECTION_BLOCK, "props": {"name": placed}})
        else:
            checked.append(
                {
                    "component": component,
                    "props": check_block(
                        library, component, block.get("props") or {}, where, saved, assets
                    ),
                }
            )
    loop = cycle_through({**others, name: checked}, name)
    if loop:
        raise InvalidInput(
            f"section {name!r} would place itself ({' -> '.join(loop)})", where=where0
        )
    return checked


def _others(project: Project, name: str) -> dict[str, list[dict[str, Any]]]:
    return {r.name: list(r.blocks or []) for r in section_rows(project) if r.name != name}


def create_section(
    actor: User, project: str | Project, name: str, blocks: Sequence[Mapping[str, Any]] = ()
) -> SectionView:
    project = _project(actor, project)
    name = check_name(name, f"project {project.name}")
    with database.atomic():
        others = _others(project, name)
        if SharedSection.get_or_none(
            (SharedSection.project == project) & (SharedSection.name == name)
        ):
            raise Conflict(f"section {name!r} already exists", where=f"project {project.name}")
        if len(others) >= MAX_SECTIONS:
            raise InvalidInput(
                f"a project has at most {MAX_SECTIONS} sections", where=f"project {project.name}"
            )
        checked = check_section_blocks(project, name, list(blocks), others)
        row = _create(project, name, checked, actor)
        _done(actor, project, "section.create", row.id, {"section": name, "blocks": len(checked)})
    return view_of(project, row)


def set_section_blocks(
    actor: User,
    project: str | Project,
    name: str,
    blocks: Sequence[Mapping[str, Any]],
    *,
    expected_revision: int | None = None,
) -> SectionView:
    """Replaces the section's blocks; the site `header` and `footer` are created on first set."""
    project = _project(actor, project)
    name = check_name(name, f"project {project.name}")
    with database.atomic():
        row = SharedSection.get_or_none(
            (SharedSection.project == project) & (SharedSection.name == name)
        )
        if row is None and name not in REGIONS:
            _row(project, name)  # NotFound, naming the command that lists them
        checked = check_section_blocks(project, name, blocks, _others(project, name))
        if row is None:
            row = _create(project, name, checked, actor)
        else:
            _save(project, row, actor, checked, expected_revision)
        _done(actor, project, "section.blocks", row.id, {"section": name, "blocks": len(checked)})
    return view_of(project, row)


def _create(
    project: Project, name: str, blocks: list[dict[str, Any]], actor: User
) -> SharedSection:
    """A new row; another writer creating the same name meanwhile is a Conflict, not a driver error."""
    try:
        with database.atomic():  # a savepoint: the caller's transaction stays usable
            return SharedSection.create(
                project=project, name=name, blocks=blocks, updated_by=actor.id
            )
    except IntegrityError as exc:
        raise Conflict(
            f"section {name!r} was created meanwhile; reload and try again",
            where=f"project {project.name}",
        ) from exc


def _save(
    project: Project,
    row: SharedSection,
    actor: User,
    blocks: list[dict[str, Any]],
    expected_revision: int | None,
) -> None:
    base = row.revision if expected_revision is None else expected_revision
    done = (
        SharedSection.update(
            blocks=blocks, revision=base + 1, updated_at=utcnow(), updated_by=actor.id
        )
        .where((SharedSection.id == row.id) & (SharedSection.revision == base))
        .execute()
    )
    if done != 1:
        raise Conflict(
            f"section {row.name!r} was changed meanwhile (edit based on revision {base}); "
            "reload it and apply the change again",
            where=f"project {project.name}, section {row.name}",
        )
    row.blocks, row.revision = blocks, base + 1


def add_section_block(
    actor: User,
    project: str | Project,
    name: str,
    component: str,
    props: Mapping[str, Any] | None = None,
    *,
    at: int | None = None,
) -> SectionView:
    """Inserts one block into the section at index `at` (default: last)."""
    found = find_project(actor, project)
    current = (
        list(_row(found, str(name)).blocks or [])
        if str(name) not in REGIONS
        else _blocks_or_empty(found, name)
    )
    at = len(current) if at is None else at
    if not isinstance(at, int) or isinstance(at, bool) or not 0 <= at <= len(current):
        raise InvalidInput(
            f"position {at!r} is outside 1..{len(current) + 1}",
            where=f"project {found.name}, section {name}",
        )
    current.insert(at, {"component": component, "props": dict(props or {})})
    return set_section_blocks(actor, found, name, current)


def _blocks_or_empty(project: Project, name: str) -> list[dict[str, Any]]:
    row = SharedSection.get_or_none(
        (SharedSection.project == project) & (SharedSection.name == name)
    )
    return list(row.blocks or []) if row is not None else []


def rename_section(actor: User, project: str | Project, name: str, new_name: str) -> SectionView:
    """Renames a named section and every `section` block placing it (the regions keep their names)."""
    project = _project(actor, project)
    new_name = check_name(new_name, f"project {project.name}")
    if name in REGIONS or new_name in REGIONS:
        raise InvalidInput(
            f"the site {HEADER} and {FOOTER} keep their names", where=f"project {project.name}"
        )
    with database.atomic():
        row = _row(project, name)
        if SharedSection.get_or_none(
            (SharedSection.project == project) & (SharedSection.name == new_name)
        ):
            raise Conflict(f"section {new_name!r} already exists", where=f"project {project.name}")
        for other in section_rows(project):
            if (
                other.id != row.id
                and (renamed := _renamed(other.blocks, name, new_name)) is not None
            ):
                _save(project, other, actor, renamed, None)
        for page in Page.select().where(Page.project == project):
            blocks = _renamed(page.blocks, name, new_name)
            if blocks is not None:
                save_page(page, project, actor, {"blocks": blocks})
        own = _renamed(row.blocks, name, new_name)
        SharedSection.update(
            name=new_name,
            blocks=own if own is not None else row.blocks,
            updated_at=utcnow(),
            revision=row.revision + 1,
        ).where(SharedSection.id == row.id).execute()
        _done(actor, project, "section.rename", row.id, {"section": new_name, "from": name})
    return view_of(project, SharedSection.get_by_id(row.id))


def _renamed(blocks: Any, old: str, new: str) -> list[dict[str, Any]] | None:
    """`blocks` with references to `old` pointing at `new`; None when none referred to it."""
    changed = False
    result = []
    for block in blocks or []:
        if (
            block.get("component") == SECTION_BLOCK
            and (block.get("props") or {}).get("name") == old
        ):
            block = {"component": SECTION_BLOCK, "props": {"name": new}}
            changed = True
        result.append(block)
    return result if changed else None


def delete_section(
    actor: User, project: str | Project, name: str, *, force: bool = False
) -> SectionView:
    """Deletes a section nobody shows; one in use is refused naming its pages and sections. `force`
    deletes the site header or footer even while pages show it (they then show none)."""
    project = _project(actor, project)
    with database.atomic():
        row = _row(project, str(name))
        view = view_of(project, row)
        placing = (
            users_of(project, row.name)[0]
            if row.name in REGIONS
            else tuple(
                slug
                for slug, blocks in tuple_rows(
                    Page.select(Page.slug, Page.blocks).where(Page.project == project)
                )
                if _renamed(blocks, row.name, row.name) is not None
            )
        )
        if view.sections or (placing and not (force and row.name in REGIONS)):
            shown = ", ".join(
                [*(f"page {p}" for p in placing), *(f"section {s}" for s in view.sections)][:20]
            )
            raise Conflict(
                f"section {row.name!r} is in use by {shown}; remove it from them first",
                where=f"project {project.name}, section {row.name}",
            )
        row.delete_instance()
        _done(actor, project, "section.delete", row.id, {"section": row.name})
    return view


def place_section(
    actor: User, project: str | Project, slug: str, name: str, *, at: int | None = None
) -> int:
    """Places section `name` on page `slug` as a `section` block (a reference) at `at` (default: last);
    returns the 0-based position."""
    project = _project(actor, project)
    with database.atomic():
        _row(project, str(name))
        page = find_page(project, slug)
        blocks = list(page.blocks or [])
        at = len(blocks) if at is None else at
        if not isinstance(at, int) or isinstance(at, bool) or not 0 <= at <= len(blocks):
            raise InvalidInput(
                f"position {at!r} is outside 1..{len(blocks) + 1}",
                where=f"project {project.name}, page {slug}",
            )
        blocks.insert(at, {"component": SECTION_BLOCK, "props": {"name": name}})
        save_page(page, project, actor, {"blocks": blocks})
        record_change(
            actor,
            project,
            "section.place",
            "page",
            page.id,
            {"page": slug, "section": name, "block": at + 1},
        )
    return at


def set_page_regions(
    actor: User,
    project: str | Project,
    slug: str,
    *,
    show_header: bool | None = None,
    show_footer: bool | None = None,
) -> tuple[bool, bool]:
    """Opts a page in or out of the site header and footer; returns (show_header, show_footer)."""
    project = _project(actor, project)
    changes = {
        k: v
        for k, v in (("show_header", show_header), ("show_footer", show_footer))
        if v is not None
    }
    for key, value in changes.items():
        if not isinstance(value, bool):
            raise InvalidInput(
                f"{key} must be true or false",
                where=f"project {project.name}, page {slug}",
                field=key,
            )
    with database.atomic():
        page = find_page(project, slug)
        if changes:
            save_page(page, project, actor, changes)
            record_change(
                actor, project, "page.regions", "page", page.id, {"page": slug, **changes}
            )
    return bool(page.show_header), bool(page.show_footer)
