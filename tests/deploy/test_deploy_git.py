"""The git target pushing to a remote: a bare repository on disk and a real sshd with a throwaway key.

A deploy is right when `git clone` of the remote gives back the version's bytes, and a branch that
someone else moved is never overwritten."""

from __future__ import annotations

import subprocess

import pytest
from tests.publish.sites import MemoryBlobs, read_tree, site

from bgpub.errors import PublishError
from bgpub.publish.targets import DeployRequest, make_target
from bgpub.services.publishing import publish_project
from bgpub.services.targets import add_target


def git(*args, cwd=None, env=None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout


def clone(remote: str, where, branch: str = "gh-pages", env=None) -> dict[str, bytes]:
    """A fresh clone's files (without .git): what GitHub Pages would serve."""
    git("clone", "-q", "-b", branch, remote, str(where), env=env)
    return {p: d for p, d in read_tree(where).items() if not p.startswith(".git/")}


@pytest.fixture
def bare(tmp_path):
    repo = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    return repo


def test_a_second_machine_builds_on_what_the_first_pushed(actor, project, tmp_path, bare):
    """Two workspaces on one database (two machines): each leases against the commit the database
    says was pushed last, so they take turns without clobbering each other."""
    add_target(actor, "demo", "pages", "git", remote=str(bare))
    assert publish_project(actor, "demo", workspace=tmp_path / "laptop").ok
    assert publish_project(actor, "demo", workspace=tmp_path / "desktop").ok
    assert publish_project(actor, "demo", workspace=tmp_path / "laptop").ok
    assert git("-C", str(bare), "rev-list", "--count", "gh-pages").strip() == "3"


def test_a_branch_someone_else_moved_is_not_overwritten(actor, project, tmp_path, bare):
    add_target(actor, "demo", "pages", "git", remote=str(bare))
    assert publish_project(actor, "demo").ok
    work = tmp_path / "someone"
    git("clone", "-q", "-b", "gh-pages", str(bare), str(work))
    (work / "index.html").write_text("hand edit")
    git(
        "-c",
        "user.name=Eve",
        "-c",
        "user.email=eve@example.com",
        "commit",
        "-qam",
        "by hand",
        cwd=work,
    )
    git("push", "-q", "origin", "gh-pages", cwd=work)
    theirs = git("-C", str(bare), "rev-parse", "gh-pages").strip()

    result = publish_project(actor, "demo")
    assert not result.ok
    assert "someone else pushed to it, and nothing was overwritten" in result.deployments[0].error
    assert git("-C", str(bare), "rev-parse", "gh-pages").strip() == theirs


def test_a_push_killed_before_it_was_recorded_is_recognised(tmp_path, bare):
    """The commit is remembered before pushing: the machine that pushed accepts it as its own even
    when the database still names the commit before; another machine refuses it."""
    blobs_ = MemoryBlobs()
    target = make_target("git", {"remote": str(bare)}, tmp_path / "state")
    one = target.deploy(DeployRequest(1, blobs_.add(site(3))), blobs_.fetch)
    two = target.deploy(
        DeployRequest(2, blobs_.add(site(3, changed={1: "x"})), previous_ref=one.remote_ref),
        blobs_.fetch,
    )
    three = target.deploy(
        DeployRequest(3, blobs_.add(site(2)), previous_ref=one.remote_ref), blobs_.fetch
    )
    assert one.ok and two.ok and three.ok
    other = make_target("git", {"remote": str(bare)}, tmp_path / "other-machine")
    with pytest.raises(PublishError, match="someone else pushed"):
        other.deploy(
            DeployRequest(4, blobs_.add(site(1)), previous_ref=one.remote_ref), blobs_.fetch
        )


def test_the_push_is_a_compare_and_swap(tmp_path, bare):
    from bgpub.publish.targets.git_remote import leased_push

    blobs_ = MemoryBlobs()
    target = make_target("git", {"remote": str(bare)}, tmp_path / "state")
    first = target.deploy(DeployRequest(1, blobs_.add(site(1))), blobs_.fetch)
    second = target.deploy(
        DeployRequest(2, blobs_.add(site(2)), previous_ref=first.remote_ref), blobs_.fetch
    )
    with pytest.raises(
        PublishError, match="moved while publishing"
    ):  # it expects the branch at `first`
        leased_push(
            str(target.repo),
            str(bare),
            "refs/heads/gh-pages",
            first.remote_ref,
            first.remote_ref,
            "t",
        )
    assert git("-C", str(bare), "rev-parse", "gh-pages").strip() == second.remote_ref


def test_git_over_ssh_with_a_throwaway_key(sshd, tmp_path, monkeypatch):
    """Real git over ssh: credentials are the user's ssh setup (here GIT_SSH_COMMAND), never bgpub's."""
    port, ssh_command, user = sshd
    bare = tmp_path / "srv" / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    monkeypatch.setenv("GIT_SSH_COMMAND", ssh_command)
    remote = f"ssh://{user}@127.0.0.1:{port}{bare}"
    blobs_ = MemoryBlobs()
    target = make_target("git", {"remote": remote, "branch": "gh-pages"}, tmp_path / "state")
    assert target.probe()[-1] == "may push (dry run accepted)"
    v1, v2 = site(4), site(4, changed={2: "edited"})
    one = target.deploy(DeployRequest(1, blobs_.add(v1)), blobs_.fetch)
    two = target.deploy(DeployRequest(2, blobs_.add(v2), previous_ref=one.remote_ref), blobs_.fetch)
    back = target.deploy(
        DeployRequest(1, blobs_.add(v1), previous_ref=two.remote_ref), blobs_.fetch
    )
    assert one.ok and two.ok and back.ok, (one, two, back)
    env = {"GIT_SSH_COMMAND": ssh_command, "PATH": "/usr/bin:/bin"}
    assert clone(remote, tmp_path / "clone", env=env) == v1
    assert target.verify(blobs_.add(v1)) == []


def test_a_refused_push_leaves_the_remote_as_it_was(tmp_path, bare):
    blobs_ = MemoryBlobs()
    target = make_target("git", {"remote": str(bare)}, tmp_path / "state")
    first = target.deploy(DeployRequest(1, blobs_.add(site(2))), blobs_.fetch)
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'quota exceeded' >&2\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(PublishError, match="quota exceeded.*the remote branch was not changed"):
        target.deploy(
            DeployRequest(2, blobs_.add(site(3)), previous_ref=first.remote_ref), blobs_.fetch
        )
    assert git("-C", str(bare), "rev-parse", "gh-pages").strip() == first.remote_ref
