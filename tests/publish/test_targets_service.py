"""Targets through the services: add/list, git and rsync deploys, --target all, permissions."""

from __future__ import annotations

import subprocess

import pytest
from tests.publish.sites import read_tree

from bgpub.db.enums import Role
from bgpub.db.models import Deployment, DeployTarget, OrganizationMember, User, Version
from bgpub.errors import InvalidInput, NotFound, PermissionDenied
from bgpub.publish.manifest import digest
from bgpub.services.publishing import publish_project, rollback_project
from bgpub.services.targets import add_target, list_targets


def tree_manifest(root) -> dict:
    return {p: [digest(d), len(d)] for p, d in read_tree(root).items()}


def test_target_all_deploys_everywhere(actor, project, tmp_path):
    repo = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    add_target(actor, "demo", "pages", "git", repo=str(repo), branch="gh-pages")
    add_target(actor, "demo", "mirror", "rsync", dest=str(tmp_path / "mirror"))
    result = publish_project(actor, "demo", target="all", message="Launch")
    assert [d.status for d in result.deployments] == ["SUCCEEDED"] * 3
    v1 = Version.get(Version.number == 1)
    assert tree_manifest(tmp_path / "www") == v1.manifest
    assert tree_manifest(tmp_path / "mirror") == v1.manifest
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%s", "gh-pages"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert log[0] == "Launch"
    assert Deployment.select().count() == 3
    views = {v.name: v for v in list_targets(actor, "demo")}
    assert {n: v.live_version for n, v in views.items()} == {"www": 1, "pages": 1, "mirror": 1}
    assert views["pages"].location.endswith("#gh-pages")

    result = publish_project(actor, "demo", target="pages", message="Only git")
    assert [d.target for d in result.deployments] == ["pages"]
    assert rollback_project(actor, "demo", 1, target="pages").ok
    count = subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--count", "gh-pages"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert count == "3"  # one commit per publish, and the rollback is a new commit


def test_default_target_is_a_workspace_folder(actor, project, home):
    publish_project(actor, "demo")
    target = DeployTarget.get(DeployTarget.project == project)
    assert target.name == "default" and target.kind == "dir"
    assert target.config["path"].startswith(str(home))


def test_bad_target_input_writes_nothing(actor, project):
    with pytest.raises(InvalidInput, match="needs --repo"):
        add_target(actor, "demo", "gh", "git")
    with pytest.raises(InvalidInput, match="target names"):
        add_target(actor, "demo", "Bad Name", "dir", path="/tmp/x")
    with pytest.raises(InvalidInput, match="unknown kind"):
        add_target(actor, "demo", "ftp", "ftp", path="/tmp/x")
    with pytest.raises(NotFound, match="no target 'nope'"):
        publish_project(actor, "demo", target="nope")
    assert DeployTarget.select().count() == 0 and Version.select().count() == 0


def test_a_failing_target_does_not_stop_the_others(actor, project, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "index.html").write_text("not ours")
    add_target(actor, "demo", "good", "dir", path=str(tmp_path / "good"))
    add_target(actor, "demo", "bad", "dir", path=str(taken))
    result = publish_project(actor, "demo", target="all")
    statuses = {d.target: d.status for d in result.deployments}
    assert statuses == {"good": "SUCCEEDED", "bad": "FAILED"} and not result.ok
    assert "not a site published by bgpub" in next(
        d.error for d in result.deployments if d.target == "bad"
    )
    assert (taken / "index.html").read_text() == "not ours"


def test_editors_cannot_publish(actor, project, org):
    editor = User.create(email="ed@example.com", name="Ed")
    OrganizationMember.create(organization=org, user=editor, role=Role.EDITOR)
    with pytest.raises(PermissionDenied, match="publish needs the ADMIN role"):
        publish_project(editor, "demo")
    with pytest.raises(PermissionDenied):
        add_target(editor, "demo", "x", "dir", path="/tmp/x")
    assert Version.select().count() == 0
