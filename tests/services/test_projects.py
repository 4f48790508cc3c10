"""Projects: create, list with page counts, settings, archive, delete; refusals write nothing."""

from datetime import datetime, timedelta

import pytest
from services_support import counts

from bgpub.db.enums import ProjectStatus, Role, SubscriptionTier
from bgpub.db.models import AuditLog, Organization, OrganizationMember, Project, User, Version
from bgpub.errors import Conflict, InvalidInput, LimitExceeded, NotFound, PermissionDenied
from bgpub.services import pages, projects


def test_create_blank_project_is_audited(actor, org):
    project = projects.create_project(actor, "shop", title="My shop", theme="midnight")
    assert (project.name, project.title, project.theme, project.organization_id) == (
        "shop",
        "My shop",
        "midnight",
        org.id,
    )
    row = AuditLog.get(AuditLog.action == "project.create")
    assert row.actor_id == actor.id and row.target_id == project.id


def test_create_defaults_title_to_name(actor, org):
    assert projects.create_project(actor, "blog").title == "blog"


@pytest.mark.parametrize(
    ("name", "kwargs", "error", "text"),
    [
        ("Bad Name", {}, InvalidInput, "invalid project name"),
        ("../x", {}, NotFound, "no organization '..'"),
        ("ok", {"theme": "nope"}, InvalidInput, "unknown theme 'nope'"),
        ("ok", {"language": "english!"}, InvalidInput, "invalid language"),
        ("demo", {}, Conflict, "already exists"),
    ],
)
def test_create_refusals_write_nothing(actor, org, project, name, kwargs, error, text):
    before = counts()
    with pytest.raises(error, match=text):
        projects.create_project(actor, name, **kwargs)
    assert counts() == before


def test_free_tier_allows_one_project(actor, org):
    org.tier = SubscriptionTier.FREE
    org.save()
    projects.create_project(actor, "one")
    before = counts()
    with pytest.raises(LimitExceeded):
        projects.create_project(actor, "two")
    assert counts() == before


def test_org_qualified_name(actor, org):
    project = projects.create_project(actor, f"{org.slug}/site")
    assert project.name == "site"
    assert projects.get_project(actor, f"{org.slug}/site").id == project.id


def test_list_projects_with_page_counts_and_versions(actor, org, project):
    other = projects.create_project(actor, "alpha")
    pages.add_page(actor, "demo", "home", "Home")
    pages.add_page(actor, "demo", "about", "About")
    Version.create(project=project, number=1, snapshot={}, manifest={})
    Version.create(project=project, number=2, snapshot={}, manifest={})
    listed = projects.list_projects(actor)
    assert [p.name for p in listed] == ["alpha", "demo"]
    demo = listed[1]
    assert (demo.pages, demo.last_version, demo.organization) == (2, 2, org.slug)
    assert (listed[0].pages, listed[0].last_version) == (0, None)
    projects.archive_project(actor, other)
    assert [p.name for p in projects.list_projects(actor)] == ["demo"]
    assert len(projects.list_projects(actor, include_archived=True)) == 2


def test_outsider_sees_nothing(actor, org, project):
    outsider = User.create(email="out@example.com", name="Out")
    assert projects.list_projects(outsider) == []
    with pytest.raises(NotFound):
        projects.get_project(outsider, "demo")


def test_viewer_reads_but_cannot_edit(actor, org, project):
    viewer = User.create(email="viewer@example.com", name="V")
    OrganizationMember.create(organization=org, user=viewer, role=Role.VIEWER)
    assert projects.get_project(viewer, "demo").id == project.id
    before = counts()
    with pytest.raises(PermissionDenied, match="EDITOR"):
        projects.update_project(viewer, "demo", title="Hacked")
    with pytest.raises(PermissionDenied, match="ADMIN"):
        projects.create_project(viewer, "mine")
    assert counts() == before


def test_update_settings_theme_and_overrides(actor, org, project):
    revision = project.revision
    updated = projects.update_project(
        actor,
        "demo",
        title="New",
        theme="midnight",
        theme_overrides={"color-primary": "#ff0066"},
        settings={"base_url": "https://example.com/", "footer_note": "Made with bgpub"},
    )
    fresh = Project.get_by_id(project.id)
    assert (fresh.title, fresh.theme) == ("New", "midnight")
    assert fresh.theme_overrides == {"color-primary": "#ff0066"}
    assert fresh.settings == {"base_url": "https://example.com", "footer_note": "Made with bgpub"}
    assert fresh.revision == revision + 1 == updated.revision
    projects.update_project(
        actor, "demo", theme_overrides={"color-primary": None}, settings={"footer_note": None}
    )
    fresh = Project.get_by_id(project.id)
    assert fresh.theme_overrides == {} and fresh.settings == {"base_url": "https://example.com"}


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"theme_overrides": {"color-bg": "red;}</style><script>"}}, "not a colour"),
        ({"settings": {"base_url": "javascript:alert(1)"}}, "invalid base_url"),
        ({"settings": {"seo_image": "missing.png"}}, "not an asset"),
        ({"settings": {"colour": "x"}}, "unknown setting"),
        ({"theme_overrides": {"colour-primray": "#ff0066"}}, "unknown token 'colour-primray'"),
        ({"title": ""}, "title is required"),
        ({"custom_domain": "not a domain"}, "invalid custom_domain"),
    ],
)
def test_update_refusals_write_nothing(actor, org, project, kwargs, text):
    before = counts()
    with pytest.raises(InvalidInput, match=text):
        projects.update_project(actor, "demo", **kwargs)
    assert counts() == before
    assert Project.get_by_id(project.id).revision == project.revision


def test_subdomain_unique(actor, org, project):
    projects.update_project(actor, "demo", subdomain="acme")
    projects.create_project(actor, "other")
    with pytest.raises(Conflict, match="subdomain"):
        projects.update_project(actor, "other", subdomain="acme")


def test_delete_project_cascades(actor, org, project):
    pages.add_page(actor, "demo", "home", "Home")
    projects.delete_project(actor, "demo")
    assert Project.select().count() == 0
    assert AuditLog.select().where(AuditLog.action == "project.delete").count() == 1


def test_ambiguous_name_needs_qualifying(actor, org, project):
    team = Organization.create(name="Team", slug="team", tier=SubscriptionTier.PRO)
    OrganizationMember.create(organization=team, user=actor, role=Role.OWNER)
    projects.create_project(actor, "team/demo")
    with pytest.raises(Conflict, match="qualify"):
        projects.get_project(actor, "demo")
    assert projects.get_project(actor, "team/demo").organization_id == team.id
    assert projects.archive_project(actor, "team/demo").status == ProjectStatus.ARCHIVED


def test_project_list_reports_the_live_version_after_a_rollback(actor, org, project):
    from bgpub.db.enums import DeploymentStatus
    from bgpub.db.models import Deployment, Version

    v1 = Version.create(project=project, number=1, snapshot={}, manifest={})
    v2 = Version.create(project=project, number=2, snapshot={}, manifest={})
    start = datetime(2026, 1, 1)
    for i, version in enumerate((v1, v2, v1)):  # publish 1, publish 2, roll back to 1
        Deployment.create(
            project=project,
            version=version,
            target_name="default",
            status=DeploymentStatus.SUCCEEDED,
            finished_at=start + timedelta(minutes=i),
        )
    Deployment.create(
        project=project,
        version=v2,
        target_name="default",
        status=DeploymentStatus.FAILED,
        finished_at=start + timedelta(minutes=5),
    )
    (summary,) = [s for s in projects.list_projects(actor) if s.name == "demo"]
    assert summary.last_version == 2
    assert summary.live_version == 1
