"""The git and rsync targets, run for real with the git and rsync programs against local paths."""

from __future__ import annotations

import subprocess

import pytest
from tests.publish.sites import MemoryBlobs, read_tree, site

from bgpub.errors import PublishError
from bgpub.publish.targets import DeployRequest, make_target


def git(repo, *args) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def checkout(repo, branch, where) -> dict[str, bytes]:
    subprocess.run(
        ["git", "clone", "-q", "-b", branch, str(repo), str(where)], check=True, capture_output=True
    )
    tree = read_tree(where)
    return {p: d for p, d in tree.items() if not p.startswith(".git/")}


@pytest.fixture
def bare(tmp_path):
    repo = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    return repo


def test_git_one_commit_per_publish(tmp_path, bare):
    blobs = MemoryBlobs()
    target = make_target("git", {"repo": str(bare), "branch": "gh-pages"}, tmp_path / "state")
    v1 = site(4)
    out = target.deploy(
        DeployRequest(1, blobs.add(v1), "First", "Ada", "ada@example.com"), blobs.fetch
    )
    assert out.ok, out.problems
    v2 = site(4, changed={2: "edited"})
    del v2["page-0/index.html"]
    out = target.deploy(DeployRequest(2, blobs.add(v2), "Second"), blobs.fetch)
    assert out.ok and out.files_sent == 1
    log = git(bare, "log", "--format=%s|%an", "gh-pages").splitlines()
    assert log == ["Second|bgpub", "First|Ada"]
    assert checkout(bare, "gh-pages", tmp_path / "co") == v2
    assert target.verify(blobs.add(v2)) == []
    assert target.verify(blobs.add(v1))  # the live tree is not version 1


def test_git_verification_sees_a_moved_branch(tmp_path, bare):
    blobs = MemoryBlobs()
    target = make_target("git", {"repo": str(bare)}, tmp_path / "state")
    v1 = site(2)
    target.deploy(DeployRequest(1, blobs.add(v1)), blobs.fetch)
    tip = git(bare, "rev-parse", "gh-pages").strip()
    empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
    subprocess.run(
        ["git", "-C", str(bare), "hash-object", "-t", "tree", "-w", "--stdin"],
        input=b"",
        check=True,
    )
    other = subprocess.run(
        ["git", "-C", str(bare), "commit-tree", empty_tree, "-p", tip, "-m", "x"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(bare, "update-ref", "refs/heads/gh-pages", other)
    problems = target.verify(blobs.add(v1))
    assert any(p.startswith("missing ") for p in problems)


def test_git_refuses_a_checked_out_branch(tmp_path):
    repo = tmp_path / "work"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    blobs = MemoryBlobs()
    target = make_target("git", {"repo": str(repo), "branch": "main"}, tmp_path / "state")
    with pytest.raises(PublishError, match="checked out"):
        target.deploy(DeployRequest(1, blobs.add(site(1))), blobs.fetch)
    target = make_target("git", {"repo": str(tmp_path / "nope")}, tmp_path / "state")
    with pytest.raises(PublishError, match="no such repository"):
        target.deploy(DeployRequest(1, blobs.add(site(1))), blobs.fetch)
    inside = repo / "sub"
    inside.mkdir()
    target = make_target("git", {"repo": str(inside), "branch": "pages"}, tmp_path / "state")
    with pytest.raises(PublishError, match="is not a git repository"):
        target.deploy(DeployRequest(1, blobs.add(site(1))), blobs.fetch)
    assert (
        subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--verify", "-q", "pages"], capture_output=True
        ).returncode
        != 0
    )  # the enclosing repository is untouched


def test_rsync_to_a_path_with_deletions(tmp_path):
    blobs = MemoryBlobs()
    dest = tmp_path / "remote" / "www"
    target = make_target("rsync", {"dest": str(dest)}, tmp_path / "state")
    v1 = site(5)
    out = target.deploy(DeployRequest(1, blobs.add(v1)), blobs.fetch)
    assert out.ok, out.problems
    assert read_tree(dest) == v1
    v2 = site(5, changed={1: "x"})
    del v2["page-4/index.html"]
    out = target.deploy(DeployRequest(2, blobs.add(v2)), blobs.fetch)
    assert out.ok, out.problems
    assert read_tree(dest) == v2
    (dest / "page-2" / "index.html").write_bytes(b"tampered")
    assert any("page-2/index.html" in p for p in target.verify(blobs.add(v2)))


def test_rsync_sends_a_same_size_change_made_within_the_same_second(tmp_path):
    """rsync's quick check (size and mtime) would skip a file edited to the same size within the
    second of the last send (a sitemap whose date changed); the second publish must still deliver
    and verify it. Both copies get one mtime right before the send, so the quick check would match."""
    import os

    blobs = MemoryBlobs()
    dest = tmp_path / "www"
    state = tmp_path / "state"
    target = make_target("rsync", {"dest": str(dest)}, state)
    v1 = {**site(2), "sitemap.xml": b"<lastmod>2026-12-01</lastmod>"}
    assert target.deploy(DeployRequest(1, blobs.add(v1)), blobs.fetch).ok
    v2 = {**v1, "sitemap.xml": b"<lastmod>2026-12-02</lastmod>"}
    assert len(v2["sitemap.xml"]) == len(v1["sitemap.xml"])
    same_second = (1_764_633_600_000_000_000, 1_764_633_600_000_000_000)

    def same_mtimes() -> None:
        for root in (dest, state / "mirror"):
            os.utime(root / "sitemap.xml", ns=same_second)

    out = target.deploy(DeployRequest(2, blobs.add(v2), before_switch=same_mtimes), blobs.fetch)
    assert out.ok, out.problems
    assert out.files_sent == 1
    assert read_tree(dest) == v2
    assert target.verify(blobs.add(v2)) == []


def test_rsync_remote_form_is_recognised(tmp_path):
    from bgpub.publish.targets.rsync import is_remote

    assert is_remote("host:/srv/www") and is_remote("me@host:www")
    assert not is_remote("/srv/www") and not is_remote("./a:b")
