"""publish, versions, diff and rollback through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from defusedxml.ElementTree import fromstring
from tests.publish.sites import edit_page, read_tree

from bgpub.db.enums import DeploymentStatus, ProjectStatus
from bgpub.db.models import AuditLog, Blob, Deployment, Page, Project, Version
from bgpub.publish.manifest import digest
from bgpub.services.publishing import publish_project, rollback_project
from bgpub.services.targets import default_site_path
from bgpub.services.versions import diff_versions, list_versions

LONG_AGO = datetime(2020, 1, 1)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def live_matches(root, version: Version) -> bool:
    tree = read_tree(root)
    return {p: [digest(d), len(d)] for p, d in tree.items()} == version.manifest


def edited_long_ago(project) -> None:
    """Every page last edited in 2020: an edit now then moves its page's sitemap lastmod (whole seconds)
    whatever the clock, so what an edit changes does not depend on how fast the test runs."""
    Page.update(updated_at=LONG_AGO).where(Page.project == project).execute()


def lastmods(root) -> dict[str, str]:
    """loc -> lastmod of the live sitemap.xml, read as XML."""
    urls = fromstring(read_tree(root)["sitemap.xml"]).iter(f"{SITEMAP}url")
    return {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in urls}


def test_publish_edit_publish_rollback(actor, project, home):
    edited_long_ago(project)
    first = publish_project(actor, "demo", message="first")
    assert first.ok and first.version == 1
    live = default_site_path(project, home)
    v1 = Version.get(Version.number == 1)
    assert v1.author == actor and v1.message == "first" and v1.page_count == 4
    assert live_matches(live, v1)
    assert "index.html" in v1.manifest and "page-1/index.html" in v1.manifest
    stored = {b.id for b in Blob.select(Blob.id)}
    assert {e[0] for e in v1.manifest.values()} <= stored

    before = lastmods(live)
    assert len(before) == 4 and set(before.values()) == {"2020-01-01T00:00:00Z"}
    edit_page(project, 2, "Changed words.")
    second = publish_project(actor, "demo", message="second")
    assert second.ok and second.version == 2
    # the edited page and the sitemap (its lastmod follows each edit, issue 16), nothing else
    assert second.diff["default"]["changed"] == ["page-2/index.html", "sitemap.xml"]
    assert second.deployments[0].files_sent == 2
    v2 = Version.get(Version.number == 2)
    assert live_matches(live, v2)
    after = lastmods(live)
    moved = [(loc, when) for loc, when in after.items() if when != before.get(loc)]
    assert len(moved) == 1 and moved[0][0].endswith("/page-2/") and moved[0][1] > "2020-01-02"

    d = diff_versions(actor, "demo", 1, 2)
    assert d.pages["changed"] == ["page-2"]
    assert d.files["changed"] == ["page-2/index.html", "sitemap.xml"]

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
    edited_long_ago(project)
    publish_project(actor, "demo")
    edit_page(project, 1, "Dry words.")
    before = (Version.select().count(), Deployment.select().count(), Blob.select().count())
    live = default_site_path(project, home)
    tree = read_tree(live)
    result = publish_project(actor, "demo", dry_run=True)
    assert result.dry_run and result.version is None
    assert result.diff["default"] == {
        "added": [],
        "changed": ["page-1/index.html", "sitemap.xml"],
        "removed": [],
    }
    assert (Version.select().count(), Deployment.select().count(), Blob.select().count()) == before
    assert read_tree(live) == tree


def test_a_publish_sends_each_missing_blob_once(actor, project, home, monkeypatch):
    """The publish's blobs go in one call, each hash once, none already stored: not the share cards
    and images the build kept as renditions, not the outputs two paths share, not an earlier
    version's; and afterwards every hash the version names is in the store."""
    from bgpub.services import blobs

    sent: list[dict[str, bytes]] = []
    real = blobs.put_many

    def spy(items, *, verify=True, absent=False):
        if absent:  # the publish's own call (the build's renditions ask has_many themselves)
            assert not blobs.has_many(items), "a blob already stored was sent again"
            sent.append(dict(items))
        return real(items, verify=verify, absent=absent)

    monkeypatch.setattr(blobs, "put_many", spy)
    first = publish_project(actor, "demo")
    manifest = Version.get(Version.number == 1).manifest
    hashes = {entry[0] for entry in manifest.values()}
    assert len(sent) == 1 and first.new_blobs == len(sent[0])
    assert all(blobs.digest(data) == sha for sha, data in sent[0].items())
    images = {manifest[p][0] for p in manifest if p.endswith((".png", ".jpg", ".webp"))}
    assert images and not images & set(sent[0])  # stored by the build, not sent twice
    assert blobs.has_many(hashes) == hashes
    edit_page(project, 1, "Changed once.")
    second = publish_project(actor, "demo")
    assert len(sent) == 2 and second.new_blobs == len(sent[1]) < len(sent[0])
    assert not set(sent[1]) & set(sent[0])
