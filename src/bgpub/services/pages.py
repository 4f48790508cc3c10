"""Pages: add, list in navigation order, rename, change slug, move, set the home page, remove.

Positions are kept contiguous (0..n-1) so a move is two range updates, whatever the page count.
Services take 0-based indexes; messages and the CLI count from 1.

Front ends get domain values (`PageDetails`, `PageDocument`): `create_page`, `list_page_details`,
`show_page`, `load_page` and the changes below. `add_page`, `list_pages` and `get_page` return rows
for other services only (page_copies, page_templates, link_updates).
"""

from __future__ import annotations

from typing import Any

from peewee import fn

from bgpub.db.connection import database
from bgpub.db.mapping import page_details, page_document
from bgpub.db.models import Page, Project, User
from bgpub.db.rows import tuple_rows
from bgpub.domain.page_details import PageDetails
from bgpub.domain.pages import PageDocument
from bgpub.errors import Conflict, InvalidInput
from bgpub.services import audit, validation
from bgpub.services.lookup import find_page, find_project
from bgpub.services.page_settings import check_settings_of
from bgpub.services.permissions import Action, require
from bgpub.services.revisions import bump_project, check_expected, save_page


def _editable(actor: User, project: str | Project) -> Project:
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    return project


def _where(project: Project, slug: str | None = None) -> str:
    return f"project {project.name}" + (f", page {slug}" if slug else "")


def _count(project: Project) -> int:
    return Page.select(fn.COUNT(Page.id)).where(Page.project == project).scalar() or 0


def list_pages(actor: User, project: str | Project) -> list[Page]:
    """The project's page rows in navigation order (services only; front ends: list_page_details)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return list(Page.select().where(Page.project == project).order_by(Page.position, Page.slug))


def list_page_details(actor: User, project: str | Project) -> list[PageDetails]:
    """`bgpub page list`: the project's pages in navigation order."""
    record = find_project(actor, project)
    return [page_details(page, record.name) for page in list_pages(actor, record)]


def page_outline(actor: User, project: str | Project) -> list[tuple[str, str, bool, bool]]:
    """(slug, title, is_home, show_in_nav) of every page in navigation order: one light query, so a
    10,000-page project lists in a few tens of milliseconds (list_pages builds full models)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    query = tuple_rows(
        Page.select(Page.slug, Page.title, Page.is_home, Page.show_in_nav)
        .where(Page.project == project)
        .order_by(Page.position, Page.slug)
    )
    return [(slug, title, bool(home), bool(nav)) for slug, title, home, nav in query]


def get_page(actor: User, project: str | Project, slug: str) -> Page:
    """One page row (services only; front ends: show_page or load_page)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return find_page(project, slug)


def show_page(actor: User, project: str | Project, slug: str) -> PageDetails:
    """One page's facts (what `bgpub page remove` names before asking)."""
    record = find_project(actor, project)
    return page_details(get_page(actor, record, slug), record.name)


def load_page(actor: User, project: str | Project, slug: str) -> PageDocument:
    """A page as the editor loads it: title, blocks and the revision a save names."""
    record = find_project(actor, project)
    return page_document(get_page(actor, record, slug), record.name)


def add_page(
    actor: User,
    project: str | Project,
    slug: str,
    title: str,
    *,
    position: int | None = None,
    is_home: bool = False,
    **settings: object,
) -> Page:
    """A new, empty page at `position` (0-based; default last) with the given settings
    (`domain.page_fields`; the rest at their defaults). The first page becomes the home page."""
    project = _editable(actor, project)
    where = _where(project, slug if isinstance(slug, str) else None)
    slug = validation.page_slug(slug, where=_where(project))
    title = validation.required_text(title, "title", max_length=200, where=where)
    given = check_settings_of(project, {k: v for k, v in settings.items() if v is not None}, where)
    if Page.select().where((Page.project == project) & (Page.slug == slug)).exists():
        raise Conflict(f"a page with slug {slug!r} already exists", where=_where(project))
    count = _count(project)
    if position is None:
        position = count
    if not isinstance(position, int) or not 0 <= position <= count:
        raise InvalidInput(
            f"position {position + 1 if isinstance(position, int) else position!r} is outside 1..{count + 1}",
            where=where,
            field="position",
        )
    has_home = Page.select().where((Page.project == project) & Page.is_home).exists()
    with database.atomic():
        if position < count:
            Page.update(position=Page.position + 1).where(
                (Page.project == project) & (Page.position >= position)
            ).execute()
        if is_home and has_home:
            Page.update(is_home=False).where((Page.project == project) & Page.is_home).execute()
        page = Page.create(
            project=project,
            slug=slug,
            title=title,
            position=position,
            is_home=is_home or not has_home,
            **given,
            blocks=[],
            updated_by=actor,
        )
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "page.add",
            "page",
            page.id,
            {"project": project.name, "slug": slug},
        )
    return page


def create_page(
    actor: User,
    project: str | Project,
    slug: str,
    title: str,
    *,
    position: int | None = None,
    show_in_nav: bool = True,
    is_home: bool = False,
) -> PageDetails:
    """`add_page` for front ends: the new page's facts (its position, whether it became home)."""
    record = find_project(actor, project)
    page = add_page(
        actor, record, slug, title, position=position, show_in_nav=show_in_nav, is_home=is_home
    )
    return page_details(page, record.name)


def update_page(
    actor: User,
    project: str | Project,
    slug: str,
    *,
    title: str | None = None,
    new_slug: str | None = None,
    expected_revision: int | None = None,
    **settings: object,
) -> PageDetails:
    """Changes a page's title, slug and any of its settings (`domain.page_fields`: SEO fields,
    share image, navigation, noindex...), in one write; None leaves a field as it is."""
    project = _editable(actor, project)
    page = find_page(project, slug)
    where = _where(project, slug)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = validation.required_text(title, "title", max_length=200, where=where)
    given = {name: value for name, value in settings.items() if value is not None}
    changes.update(check_settings_of(project, given, where))
    if new_slug is not None and new_slug != slug:
        changes["slug"] = validation.page_slug(new_slug, where=where)
        if Page.select().where((Page.project == project) & (Page.slug == changes["slug"])).exists():
            raise Conflict(f"a page with slug {changes['slug']!r} already exists", where=where)
    check_expected(page, project, expected_revision)
    if not changes:
        return page_details(page, project.name)
    with database.atomic():
        save_page(page, project, actor, changes, expected_revision)
        bump_project(project)
        summary = {"project": project.name, "slug": slug, "fields": sorted(changes)}
        if "slug" in changes:
            summary["to"] = changes["slug"]
        audit.record(actor, project.organization, "page.update", "page", page.id, summary)
    return page_details(page, project.name)


def rename_page(
    actor: User,
    project: str | Project,
    slug: str,
    title: str,
    *,
    expected_revision: int | None = None,
) -> PageDetails:
    """Sets the page's title (what the navigation shows)."""
    return update_page(actor, project, slug, title=title, expected_revision=expected_revision)


def change_slug(
    actor: User,
    project: str | Project,
    slug: str,
    new_slug: str,
    *,
    expected_revision: int | None = None,
) -> PageDetails:
    """Moves the page to a new URL segment."""
    return update_page(actor, project, slug, new_slug=new_slug, expected_revision=expected_revision)


def move_page(actor: User, project: str | Project, slug: str, to: int) -> PageDetails:
    """Moves the page to navigation position `to` (0-based), shifting the pages in between."""
    project = _editable(actor, project)
    page = find_page(project, slug)
    count = _count(project)
    if not isinstance(to, int) or not 0 <= to < count:
        shown = to + 1 if isinstance(to, int) else repr(to)
        raise InvalidInput(
            f"position {shown} is outside 1..{count}", where=_where(project, slug), field="position"
        )
    start = page.position
    if to == start:
        return page_details(page, project.name)
    with database.atomic():
        scope = Page.project == project
        if to > start:
            Page.update(position=Page.position - 1).where(
                scope & (Page.position > start) & (Page.position <= to)
            ).execute()
        else:
            Page.update(position=Page.position + 1).where(
                scope & (Page.position >= to) & (Page.position < start)
            ).execute()
        Page.update(position=to).where(Page.id == page.id).execute()
        page.position = to
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "page.move",
            "page",
            page.id,
            {"project": project.name, "slug": slug, "from": start + 1, "to": to + 1},
        )
    return page_details(page, project.name)


def set_home(actor: User, project: str | Project, slug: str) -> PageDetails:
    """Makes the page the site's home (rendered at index.html)."""
    project = _editable(actor, project)
    page = find_page(project, slug)
    if page.is_home:
        return page_details(page, project.name)
    with database.atomic():
        Page.update(is_home=False).where((Page.project == project) & Page.is_home).execute()
        Page.update(is_home=True).where(Page.id == page.id).execute()
        page.is_home = True
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "page.home",
            "page",
            page.id,
            {"project": project.name, "slug": slug},
        )
    return page_details(page, project.name)


def remove_page(
    actor: User, project: str | Project, slug: str, *, expected_revision: int | None = None
) -> None:
    """Deletes the page; if it was the home page, the first remaining page becomes home."""
    project = _editable(actor, project)
    page = find_page(project, slug)
    check_expected(page, project, expected_revision)
    with database.atomic():
        deleted = (
            Page.delete().where((Page.id == page.id) & (Page.revision == page.revision)).execute()
        )
        if deleted != 1:
            raise Conflict(
                f"page {slug!r} was changed by someone else meanwhile; reload it",
                where=_where(project, slug),
            )
        Page.update(position=Page.position - 1).where(
            (Page.project == project) & (Page.position > page.position)
        ).execute()
        if page.is_home:
            first = (
                Page.select(Page.id).where(Page.project == project).order_by(Page.position).first()
            )
            if first is not None:
                Page.update(is_home=True).where(Page.id == first.id).execute()
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "page.remove",
            "page",
            page.id,
            {"project": project.name, "slug": slug},
        )
