"""publish, versions, diff and rollback through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.publish.sites import edit_page, read_tree

from bgpub.db.enums import DeploymentStatus, ProjectStatus
from bgpub.db.models import AuditLog, Blob, Deployment, Project, Version
from bgpub.publish.manifest import digest
from bgpub.services.publishing import publish_project, rollback_project
from bgpub.services.targets import default_site_path
from bgpub.services.versions import diff_versions, list_versions


def live_matches(root, version: Version) -> bool:
    tree = read_tree(root)
    return {p: [digest(d), len(d)] for p, d in tree.items()} == version.manifest


def test_publish_edit_publish_rollback(actor, project, home):
    first = publish_project(actor, "demo", message="first")
    assert first.ok and first.version == 1
    live = default_site_path(project, home)
    v1 = Version.get(Version.number == 1)
    assert v1.author == actor and v1.message == "first" and v1.page_count == 4
    assert live_matches(live, v1)
    assert "index.html" in v1.manifest and "page-1/index.html" in v1.manifest
    stored = {b.id for b in Blob.select(Blob.id)}
    assert {e[0] for e in v1.manifest.values()} <= stored

    edit_page(project, 2, "Changed words.")
    second = publish_project(actor, "demo", message="second")
    assert second.ok and second.version == 2
    assert second.diff["default"]["changed"] == ["page-2/index.html"]
    assert second.deployments[0].files_sent == 1
    v2 = Version.get(Version.number == 2)
    assert live_matches(live, v2)

    d = diff_versions(actor, "demo", 1, 2)
    assert d.pages["changed"] == ["page-2"] and d.files["changed"] == ["page-2/index.html"]

    back = rollback_project(actor, "demo", 1)
    assert back.ok
    assert live_matches(live, v1)
    rows = list_versions(actor, "demo")
    assert [r.number for r in rows] == [2, 1]
    assert rows[1].live_on == ["default"] and rows[0].live_on == []
    dep = Deployment.select().order_by(Deployment.started_at.desc()).first()
    assert dep.is_rollback and dep.status == DeploymentStatus.SUCCEEDED and dep.version == v1
    project = Project.get_by_id(project.id)
    assert project.status == ProjectStatus.PUBLISHED and project.published_at is not None
    actions = [a.action for a in AuditLog.select().where(AuditLog.action.startswith("project."))]
    assert actions.count("project.publish") == 2 and "project.rollback" in actions


def test_dry_run_changes_nothing(actor, project, home):
    publish_project(actor, "demo")
    edit_page(project, 1, "Dry words.")
    before = (Version.select().count(), Deployment.select().count(), Blob.select().count())
    live = default_site_path(project, home)
    tree = read_tree(live)
    result = publish_project(actor, "demo", dry_run=True)
    assert result.dry_run and result.version is None
    assert result.diff["default"] == {"added": [], "changed": ["page-1/index.html"], "removed": []}
    assert (Version.select().count(), Deployment.select().count(), Blob.select().count()) == before
    assert read_tree(live) == tree
