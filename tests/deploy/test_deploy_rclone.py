"""The rclone target against `rclone serve webdav` and `rclone serve sftp` on loopback (the served folder
holds the version), and what a failed deploy leaves on rclone and dir targets."""

from __future__ import annotations

import pytest
from tests.publish.sites import MemoryBlobs, read_tree, site

from bgpub.errors import PublishError
from bgpub.publish.targets import DeployRequest, make_target


def test_verification_and_repair_of_an_unknown_state(webdav, tmp_path):
    remote, served = webdav
    store = MemoryBlobs()
    target = make_target("rclone", {"remote": remote}, tmp_path / "state")
    v1 = site(4)
    m1 = store.add(v1)
    assert target.deploy(DeployRequest(1, m1), store.fetch).ok
    (served / "page-1" / "index.html").write_bytes(b"<p>page X</p>")  # same size, other bytes
    (served / "page-2" / "index.html").unlink()
    (served / "stray.txt").write_bytes(b"x")
    assert sorted(target.verify(m1, full=True)) == [
        "changed page-1/index.html",
        "missing page-2/index.html",
        "unexpected stray.txt",
    ]
    repaired = target.deploy(DeployRequest(1, m1, previous=None), store.fetch)
    assert repaired.ok, repaired
    assert read_tree(served) == v1


def test_a_failed_copy_says_what_is_left(webdav, tmp_path, monkeypatch):
    remote, served = webdav
    store = MemoryBlobs()
    target = make_target("rclone", {"remote": remote}, tmp_path / "state")
    v1 = site(3)
    m1 = store.add(v1)
    assert target.deploy(DeployRequest(1, m1), store.fetch).ok
    monkeypatch.setenv("RCLONE_CONFIG_BGDAV_URL", "http://127.0.0.1:9")  # the server is gone
    monkeypatch.setenv("RCLONE_RETRIES", "1")
    monkeypatch.setenv("RCLONE_LOW_LEVEL_RETRIES", "1")
    v2 = site(3, changed={1: "edited"})
    out = target.deploy(DeployRequest(2, store.add(v2), previous=m1), store.fetch)
    assert not out.ok and out.problems[0].startswith("rclone copy failed")
    assert out.problems[1] == "left over: 0 of 1 changed file(s) were sent"
    assert (
        "the step that failed may have sent some of its 1 file(s) (page-1/index.html)"
        in out.problems
    )
    assert read_tree(served) == v1


def test_sftp_publish_edit_and_roll_back(sftp, tmp_path):
    """Over SFTP (`rclone serve sftp`): each step sends only what differs, the served folder equals
    the version byte for byte, and a rollback re-sends only the page that changed."""
    remote, served = sftp
    store = MemoryBlobs()
    target = make_target("rclone", {"remote": remote + "www"}, tmp_path / "state")
    v1, v2 = site(4), site(4, changed={2: "edited"})
    m1, m2 = store.add(v1), store.add(v2)
    assert [line.split()[0] for line in target.probe()] == ["reached", "may"]
    first = target.deploy(DeployRequest(1, m1), store.fetch)
    assert first.ok and first.files_sent == len(v1), first
    edit = target.deploy(DeployRequest(2, m2, previous=m1), store.fetch)
    assert edit.ok and edit.files_sent == 1, edit
    assert read_tree(served / "www") == v2
    back = target.deploy(DeployRequest(3, m1, previous=m2), store.fetch)
    assert back.ok and back.files_sent == 1, back
    assert read_tree(served / "www") == v1
    (served / "www" / "page-2" / "index.html").write_bytes(b"<p>page X</p>")
    assert target.verify(m1, full=True) == ["changed page-2/index.html"]


def test_a_failed_dir_deploy_says_what_is_left(tmp_path):
    """The dir target's failed deploy (damaged bytes mid-way): the live release untouched, and the
    half-written spare release named."""
    from bgpub.publish.manifest import digest

    store = MemoryBlobs()
    target = make_target("dir", {"path": str(tmp_path / "www")}, tmp_path / "state")
    v1, v2 = site(3), site(3, changed={0: "zero", 2: "two"})
    m1, m2 = store.add(v1), store.add(v2)
    assert target.deploy(DeployRequest(1, m1), store.fetch).ok
    broken = digest(v2["page-2/index.html"])

    def damaged(hashes):
        return {h: (b"corrupt" if h == broken else d) for h, d in store.fetch(hashes).items()}

    with pytest.raises(PublishError) as raised:
        target.deploy(DeployRequest(2, m2, previous=m1), damaged)
    message = raised.value.message
    assert "page-2/index.html do not match their hash" in message, message
    assert "; left over: release r2 (not live) holds part of the new version" in message
    assert "release r1 is still live, unchanged" in message
    assert read_tree(tmp_path / "www") == v1
    assert target.deploy(DeployRequest(2, m2, previous=m1), store.fetch).ok
    assert read_tree(tmp_path / "www") == v2
