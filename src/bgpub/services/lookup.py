"""Finding what a command names: projects by `name` or `org-slug/name`, pages by slug, organizations.

Only organizations the actor belongs to are searched, so an outsider gets "not found" rather than a
hint that a project of that name exists elsewhere.
"""

from __future__ import annotations

from peewee import fn

from bgpub.db.models import Organization, OrganizationMember, Page, Project, User
from bgpub.errors import Conflict, NotFound


def member_organizations(actor: User) -> list[Organization]:
    """The organizations the actor belongs to, personal first, then by slug."""
    return list(
        Organization.select()
        .join(OrganizationMember)
        .where(OrganizationMember.user == actor)
        .order_by(Organization.is_personal.desc(), Organization.slug)
    )


def find_organization(actor: User, slug: str | Organization | None = None) -> Organization:
    """The named organization, or the actor's only (else personal) one when `slug` is None."""
    if isinstance(slug, Organization):
        return slug
    orgs = member_organizations(actor)
    if slug is not None:
        org = next((o for o in orgs if o.slug == slug), None)
        if org is None:
            raise NotFound(
                f"no organization {slug!r} among {actor.email}'s organizations",
                where="organization",
            )
        return org
    if not orgs:
        raise NotFound(f"{actor.email} belongs to no organization", where="organization")
    if len(orgs) == 1:
        return orgs[0]
    personal = [o for o in orgs if o.is_personal]
    if len(personal) == 1:
        return personal[0]
    names = ", ".join(o.slug for o in orgs)
    raise Conflict(
        f"{actor.email} belongs to several organizations ({names}); name one", where="organization"
    )


def _project_by_id(project_id: str) -> Project:
    """The project with this id, for callers that checked access by other means (an API key's
    organization and project); NotFound when it is gone."""
    project: Project | None = (
        Project.select(Project, Organization)
        .join(Organization)
        .where(Project.id == project_id)
        .first()
    )
    if project is None:
        raise NotFound(f"no project with id {project_id!r}", where="project")
    return project


def project_row(project: Project | str) -> Project:
    """`project` itself, or the project with that id (services the API calls take either)."""
    return project if isinstance(project, Project) else _project_by_id(project)


def split_project_ref(ref: str) -> tuple[str | None, str]:
    """`org/name` -> ("org", "name"); `name` -> (None, "name")."""
    if "/" in ref:
        org, _, name = ref.partition("/")
        return org, name
    return None, ref


def find_project(actor: User, ref: str | Project) -> Project:
    """The project named `name` or `org-slug/name` in one of the actor's organizations."""
    if isinstance(ref, Project):
        return ref
    org_slug, name = split_project_ref(ref.strip())
    query = (
        Project.select(Project, Organization)
        .join(Organization)
        .switch(Project)
        .join(OrganizationMember, on=(OrganizationMember.organization == Project.organization))
        .where((OrganizationMember.user == actor) & (Project.name == name))
    )
    if org_slug is not None:
        query = query.where(Organization.slug == org_slug)
    found = list(query)
    if not found:
        raise NotFound(
            f"no project {ref!r} in {actor.email}'s organizations", where=f"project {ref}"
        )
    if len(found) > 1:
        options = ", ".join(sorted(f"{p.organization.slug}/{p.name}" for p in found))
        raise Conflict(
            f"several projects are called {name!r}; qualify it: {options}", where=f"project {ref}"
        )
    return found[0]


def find_page(project: Project, slug: str) -> Page:
    page: Page | None = Page.select().where((Page.project == project) & (Page.slug == slug)).first()
    if page is None:
        raise NotFound(
            f"no page {slug!r} (see 'bgpub page list {project.name}')",
            where=f"project {project.name}",
        )
    return page


def page_count(project: Project) -> int:
    return Page.select(fn.COUNT(Page.id)).where(Page.project == project).scalar() or 0
