"""Failure semantics: render errors, deploy errors, SIGKILL at many points, concurrent publishes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from tests.publish.cli_forks import ForkServer
from tests.publish.sites import edit_page, read_tree

from bgpub.db.enums import DeploymentStatus
from bgpub.db.models import Deployment, DeployTarget, Page, Version
from bgpub.errors import Conflict, RenderError
from bgpub.publish.manifest import digest
from bgpub.services import publishing
from bgpub.services.publishing import publish_project
from bgpub.services.targets import default_site_path


def live_manifest(root) -> dict:
    return {p: [digest(d), len(d)] for p, d in read_tree(root).items()}


def forked_cli(forks: ForkServer, db_target, home, *args, env=None, wait=True):
    """`python -m bgpub ARGS` in a process of its own, forked from a server that has done the
    imports (cli_forks.py): what `cli` hands back, without a new interpreter per kill."""
    environ = {
        **os.environ,
        "BGPUB_HOME": str(home),
        "BGPUB_DATABASE_URL": db_target.url,
        **(env or {}),
    }
    run = forks.start(list(args), environ)
    return run if not wait else run.finished()


def cli(db_target, home, *args, env=None, wait=True):
    environ = {
        **os.environ,
        "BGPUB_HOME": str(home),
        "BGPUB_DATABASE_URL": db_target.url,
        **(env or {}),
    }
    command = [sys.executable, "-m", "bgpub", *args]
    if not wait:
        return subprocess.Popen(
            command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=120)


def test_render_error_records_nothing(actor, project, home):
    publish_project(actor, "demo")
    live = default_site_path(project, home)
    before = read_tree(live)
    page = Page.get((Page.project == project) & (Page.slug == "page-1"))
    page.blocks = [{"component": "no-such-component", "props": {}}]
    page.save()
    with pytest.raises(RenderError):
        publish_project(actor, "demo")
    assert Version.select().count() == 1 and Deployment.select().count() == 1
    assert read_tree(live) == before


def test_deploy_error_keeps_version_and_live_site(actor, project, home, monkeypatch):
    publish_project(actor, "demo")
    live = default_site_path(project, home)
    before = read_tree(live)
    edit_page(project, 1, "New words.")
    real = publishing.fetcher

    def corrupting(site):
        fetch = real(site)
        return lambda hashes: {h: b"corrupt" for h in fetch(hashes)}

    monkeypatch.setattr(publishing, "fetcher", corrupting)
    result = publish_project(actor, "demo")
    assert not result.ok and result.version == 2
    dep = Deployment.get(Deployment.version == Version.get(Version.number == 2))
    assert dep.status == DeploymentStatus.FAILED and "page-1/index.html" in dep.error
    assert dep.finished_at is not None
    assert read_tree(live) == before
    monkeypatch.setattr(publishing, "fetcher", real)
    again = publish_project(actor, "demo")
    assert again.ok and live_manifest(live) == Version.get(Version.number == 3).manifest


def test_failed_verification_is_a_failed_deployment(actor, project, home, monkeypatch):
    from bgpub.publish.folder import ReleaseFolder

    publish_project(actor, "demo")
    before = read_tree(default_site_path(project, home))
    edit_page(project, 2, "Other words.")
    monkeypatch.setattr(
        ReleaseFolder, "verify", lambda self, manifest, full=False: ["changed page-2/index.html"]
    )
    result = publish_project(actor, "demo")
    assert [d.status for d in result.deployments] == ["FAILED"]
    assert "verification failed: changed page-2/index.html" in result.deployments[0].error
    assert read_tree(default_site_path(project, home)) == before


CRASH_POINTS = [
    "build-rendered",
    "blob-batch-stored:1",
    "blobs-stored",
    "version-recorded",
    "deployment-started",
    "folder-dirty",
    "folder-file-written:1",
    "folder-file-written:2",
    "dir-before-swap",
    "dir-after-swap",
    "deployment-finished",
]

# Kills between two file writes, where the database has seen the same statements on either kind:
# the recovery they prove is the release folder's and the git repository's, so SQLite alone runs
# them. Every point around a database write (a version, a blob batch, a deployment row) runs on both.
FILE_ONLY_POINTS = frozenset(
    {
        "folder-dirty",
        "folder-file-written:1",
        "folder-file-written:2",
        "dir-before-swap",
        "git-before-commit",
        "git-after-commit",
    }
)


def on_databases(points: list[str]) -> list[object]:
    """(point, database) cases for a kill test: both databases unless the point only writes files."""
    return [
        pytest.param(point, kind, id=f"{point}-{kind}")
        for point in points
        for kind in (("sqlite",) if point in FILE_ONLY_POINTS else ("sqlite", "postgres"))
    ]


@pytest.mark.parametrize(("point", "db_target"), on_databases(CRASH_POINTS), indirect=["db_target"])
def test_sigkill_leaves_the_site_whole(point, actor, project, home, db_target, forks):
    publish_project(actor, "demo")
    live = default_site_path(project, home)
    old = Version.get(Version.number == 1).manifest
    edit_page(project, 1, "Killed words one.")
    edit_page(project, 3, "Killed words three.")
    done = forked_cli(forks, db_target, home, "publish", "demo", env={"BGPUB_CRASH_AT": point})
    assert done.returncode == -signal.SIGKILL, done.stderr
    newest = Version.select().order_by(Version.number.desc()).first()
    assert live_manifest(live) in (old, newest.manifest)
    result = publish_project(actor, "demo")
    assert result.ok, result.deployments
    assert live_manifest(live) == Version.get(Version.number == result.version).manifest
    assert not Deployment.select().where(Deployment.status == DeploymentStatus.RUNNING).exists()
    if point in (
        "dir-after-swap",
        "deployment-finished",
    ):  # it went live: recorded as such afterwards
        killed = Deployment.get(Deployment.version == newest)
        assert killed.status == DeploymentStatus.SUCCEEDED and killed.finished_at is not None


@pytest.mark.parametrize(
    ("point", "db_target"),
    on_databases(["blob-batch-stored:1", "folder-file-written:2", "dir-before-swap"]),
    indirect=["db_target"],
)
def test_sigkill_during_a_first_publish(point, actor, project, home, db_target, forks):
    """The first deploy writes files in place into a fresh release: killed there, nothing is live
    and the next publish finishes the release and puts it live whole."""
    live = default_site_path(project, home)
    done = forked_cli(forks, db_target, home, "publish", "demo", env={"BGPUB_CRASH_AT": point})
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert not os.path.lexists(live)
    result = publish_project(actor, "demo")
    assert result.ok, result.deployments
    assert live_manifest(live) == Version.get(Version.number == result.version).manifest


def test_a_failure_between_blob_batches_records_nothing(actor, project, home, monkeypatch):
    """The blobs of a publish go in one transaction: a failure after some batches leaves none of
    them, no version, no manifest and no page cache, and the next publish stores them all."""
    from bgpub.db.models import Blob
    from bgpub.services import blobs
    from bgpub.services.targets import project_dir

    publish_project(actor, "demo")
    cache = project_dir(project, home) / "pages.json"
    cached = cache.read_bytes()
    before = {b for (b,) in Blob.select(Blob.id).tuples()}
    for i in range(4):
        edit_page(project, i, f"Batched words {i}.")
    monkeypatch.setattr(blobs, "ROW_BATCH", 2)
    real, calls = blobs.insert_blobs, []

    def failing(rows):
        calls.append(len(rows))
        if len(calls) == 3:
            raise OSError("disk gone")
        real(rows)

    monkeypatch.setattr(blobs, "insert_blobs", failing)
    with pytest.raises(OSError, match="disk gone"):
        publish_project(actor, "demo")
    assert len(calls) == 3
    assert {b for (b,) in Blob.select(Blob.id).tuples()} == before
    assert Version.select().count() == 1 and cache.read_bytes() == cached
    monkeypatch.setattr(blobs, "insert_blobs", real)
    result = publish_project(actor, "demo")
    assert result.ok and result.version == 2 and result.new_blobs >= 5
    manifest = Version.get(Version.number == 2).manifest
    assert blobs.has_many(e[0] for e in manifest.values()) == {e[0] for e in manifest.values()}


@pytest.mark.parametrize(
    ("point", "db_target"),
    on_databases(["deployment-started", "git-before-commit", "git-after-commit"]),
    indirect=["db_target"],
)
def test_sigkill_during_a_git_deploy(point, actor, project, home, db_target, tmp_path, forks):
    from bgpub.services.targets import add_target, open_target

    repo = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    added = add_target(actor, "demo", "pages", "git", repo=str(repo))
    row = DeployTarget.get(DeployTarget.name == added.name)
    publish_project(actor, "demo")
    edit_page(project, 1, "Git words.")
    done = forked_cli(forks, db_target, home, "publish", "demo", env={"BGPUB_CRASH_AT": point})
    assert done.returncode == -signal.SIGKILL, done.stderr
    target = open_target(row, home)
    manifests = [v.manifest for v in Version.select().order_by(Version.number)]
    assert any(target.verify(m) == [] for m in manifests[:2])
    result = publish_project(actor, "demo")
    assert result.ok, result.deployments
    assert target.verify(Version.get(Version.number == result.version).manifest) == []


def test_sigkill_at_timed_moments(actor, project, home, db_target, forks):
    publish_project(actor, "demo")
    live = default_site_path(project, home)
    started = time.monotonic()
    edit_page(project, 1, "Timing run.")
    assert forked_cli(forks, db_target, home, "publish", "demo").returncode == 0
    duration = time.monotonic() - started
    for k in range(8):
        before = live_manifest(live)
        edit_page(project, 2, f"Timed kill {k}.")
        proc = forked_cli(forks, db_target, home, "publish", "demo", wait=False)
        time.sleep(duration * k / 8)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        newest = Version.select().order_by(Version.number.desc()).first()
        assert live_manifest(live) in (before, newest.manifest)
    result = publish_project(actor, "demo")
    assert result.ok
    assert live_manifest(live) == Version.get(Version.number == result.version).manifest


def test_second_publish_is_refused_while_one_runs(actor, project, home, db_target, tmp_path):
    flag = tmp_path / "stalled"
    first = cli(
        db_target,
        home,
        "publish",
        "demo",
        wait=False,
        env={"BGPUB_STALL_AT": "blobs-stored", "BGPUB_STALL_FILE": str(flag)},
    )
    deadline = time.monotonic() + 60
    while not flag.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert flag.exists(), first.communicate()
    second = cli(db_target, home, "publish", "demo")
    assert second.returncode == 1
    assert "another publish, rollback or prune of project demo is running" in second.stderr
    with pytest.raises(Conflict, match="another publish"):
        publish_project(actor, "demo")
    flag.unlink()
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert [v.number for v in Version.select()] == [1]
    assert publish_project(actor, "demo").version == 2
