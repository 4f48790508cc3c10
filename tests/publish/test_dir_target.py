"""The dir target: atomic symlink swaps between release folders, writing only what changed."""

from __future__ import annotations

import os

import pytest
from tests.publish.sites import MemoryBlobs, read_tree, site

from bgpub.errors import PublishError
from bgpub.publish.folder import verify_tree
from bgpub.publish.targets import DeployRequest, make_target


@pytest.fixture
def blobs():
    return MemoryBlobs()


def test_first_deploy_then_incremental(tmp_path, blobs):
    target = make_target("dir", {"path": str(tmp_path / "www")}, tmp_path / "state")
    v1 = site(20)
    out = target.deploy(DeployRequest(1, blobs.add(v1)), blobs.fetch)
    assert out.ok and out.files_sent == len(v1)
    assert read_tree(tmp_path / "www") == v1
    assert os.path.islink(tmp_path / "www")

    v2 = site(20, changed={3: "edited"})
    del v2["page-7/index.html"]
    v2["new/index.html"] = b"new"
    out = target.deploy(DeployRequest(2, blobs.add(v2)), blobs.fetch)
    assert out.ok
    assert out.files_sent == 2  # the edited page and the new one; nothing else is copied
    assert read_tree(tmp_path / "www") == v2
    assert verify_tree(tmp_path / "www", blobs.add(v2)) == []


def test_rollback_to_a_recent_release_writes_nothing(tmp_path, blobs):
    target = make_target("dir", {"path": str(tmp_path / "www")}, tmp_path / "state")
    v1, v2 = site(5), site(5, changed={1: "two"})
    target.deploy(DeployRequest(1, blobs.add(v1)), blobs.fetch)
    target.deploy(DeployRequest(2, blobs.add(v2)), blobs.fetch)
    out = target.deploy(DeployRequest(1, blobs.add(v1)), blobs.fetch)
    assert out.ok and out.files_sent == 0
    assert read_tree(tmp_path / "www") == v1


def test_many_deploys_keep_every_release_consistent(tmp_path, blobs):
    target = make_target("dir", {"path": str(tmp_path / "www")}, tmp_path / "state")
    for n in range(8):
        files = site(6, changed={n % 6: f"v{n}"})
        if n % 3 == 0:
            files.pop("page-5/index.html")
        out = target.deploy(DeployRequest(n + 1, blobs.add(files)), blobs.fetch)
        assert out.ok, out.problems
        assert read_tree(tmp_path / "www") == files


def test_verify_reports_what_differs(tmp_path, blobs):
    target = make_target("dir", {"path": str(tmp_path / "www")}, tmp_path / "state")
    files = site(3)
    manifest = blobs.add(files)
    target.deploy(DeployRequest(1, manifest), blobs.fetch)
    assert target.verify(manifest) == []
    (tmp_path / "www" / "page-1" / "index.html").write_bytes(b"tampered")
    (tmp_path / "www" / "page-0" / "extra.txt").write_bytes(b"x")
    (tmp_path / "www" / "index.html").unlink()
    problems = target.verify(manifest)
    assert any("page-1/index.html" in p and "changed" in p for p in problems)
    assert "unexpected page-0/extra.txt" in problems
    assert "missing index.html" in problems
    assert sorted(target.verify(manifest, full=True)) == sorted(problems)


def test_corrupt_blob_fails_before_going_live(tmp_path, blobs):
    target = make_target("dir", {"path": str(tmp_path / "www")}, tmp_path / "state")
    v1 = site(3)
    target.deploy(DeployRequest(1, blobs.add(v1)), blobs.fetch)
    v2 = site(3, changed={0: "new"})
    manifest = blobs.add(v2)
    blobs.data[manifest["page-0/index.html"][0]] = b"corrupted"
    with pytest.raises(PublishError, match="page-0/index.html"):
        target.deploy(DeployRequest(2, manifest), blobs.fetch)
    assert read_tree(tmp_path / "www") == v1
    blobs.add(v2)  # the store is repaired: the next deploy needs no manual step
    assert target.deploy(DeployRequest(2, manifest), blobs.fetch).ok
    assert read_tree(tmp_path / "www") == v2


def test_refuses_a_folder_it_does_not_manage(tmp_path, blobs):
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text("someone else's site")
    target = make_target("dir", {"path": str(www)}, tmp_path / "state")
    with pytest.raises(PublishError, match="not a site published by bgpub"):
        target.deploy(DeployRequest(1, blobs.add(site(1))), blobs.fetch)
    assert (www / "index.html").read_text() == "someone else's site"
