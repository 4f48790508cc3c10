"""The rclone target against `rclone serve webdav` on loopback: the served folder holds the version."""

from __future__ import annotations

from tests.publish.sites import MemoryBlobs, read_tree, site

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
    assert "the step that failed may have sent some of its 1 file(s) (page-1/index.html)" in out.problems
    assert read_tree(served) == v1
